// Rule sets, sample data and rule test cases bundled at build time straight from the
// repository, so a new file in `rules/` or `rules/cases/` shows up without code changes.
import type { CaseOutcome } from './types';

const ruleFiles = import.meta.glob<string>('../../rules/*.rhai', { query: '?raw', import: 'default', eager: true });
const caseFiles = import.meta.glob<string>('../../rules/cases/**/*.json', { query: '?raw', import: 'default', eager: true });
// Files a case may reference (shared inventories, order batches) besides the cases themselves.
const sharedFiles = {
  ...(import.meta.glob<string>(['../../examples/**/*.json', '../../examples/**/*.jsonl'], { query: '?raw', import: 'default', eager: true })),
  ...(import.meta.glob<string>(['../../rules/**/*.json', '../../rules/**/*.jsonl'], { query: '?raw', import: 'default', eager: true })),
};

/** Repository-relative path (`rules/x.rhai`) from a glob key (`../../rules/x.rhai`). */
function repoPath(key: string): string {
  return key.replace(/^(\.\.\/)+/, '');
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export interface RuleSetFile { name: string; path: string; source: string }
export interface CaseFile { name: string; path: string; text: string }

export const ruleSets: RuleSetFile[] = Object.entries(ruleFiles)
  .map(([k, source]) => ({ name: basename(k).replace(/\.rhai$/, ''), path: repoPath(k), source }))
  .sort((a, b) => a.name.localeCompare(b.name));

const files: Record<string, string> = {};
for (const [k, v] of Object.entries(sharedFiles)) files[repoPath(k)] = v;
for (const [k, v] of Object.entries(caseFiles)) files[repoPath(k)] = v;

export const sampleInventory: string = files['examples/inventory.json'] ?? '{\n  "warehouses": [],\n  "stock": [],\n  "channels": []\n}\n';
export const sampleOrders: string = files['examples/orders.jsonl'] ?? '';
/** A month of consignment events for the sample retailers (deliveries, sales, counts, …). */
export const sampleEvents: string = files['examples/events.jsonl'] ?? '';

export function casesFor(ruleSet: string): CaseFile[] {
  const prefix = `rules/cases/${ruleSet}/`;
  return Object.keys(files)
    .filter((p) => p.startsWith(prefix) && p.endsWith('.json') && !p.slice(prefix.length).includes('/'))
    .sort()
    .map((p) => ({ name: basename(p).replace(/\.json$/, ''), path: p, text: files[p] }));
}

/** Normalizes `a/b/../c` to `a/c`; returns null when it climbs out of the repository. */
export function normalize(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/**
 * Runs a bundled case the way `stockroute test` and `tests/rule_cases.rs` do: the engine lists
 * the files the case references (`outcome.files`, paths relative to the case file), and a
 * case that references any runs again with those files, read from the bundle.
 */
export function runBundledCase(
  run: (caseJson: string, files: Record<string, string>) => CaseOutcome,
  casePath: string,
  caseText: string,
): CaseOutcome {
  const outcome = run(caseText, {});
  if (!outcome.files?.length) return outcome;
  const dir = casePath.slice(0, casePath.lastIndexOf('/') + 1);
  const found: Record<string, string> = {};
  for (const reference of outcome.files) {
    const target = normalize(dir + reference);
    const text = target === null ? undefined : files[target];
    if (text !== undefined) found[reference] = text;
  }
  return run(caseText, found);
}
