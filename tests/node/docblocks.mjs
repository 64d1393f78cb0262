// The fenced code blocks of the documentation (README.md and docs/*.md), as the docs walker
// (tests/node/docs.test.mjs) reads them, and the matcher that compares a shown output with
// what a command printed. The conventions are described in docs/doc-examples.md.
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { ROOT } from './helpers.mjs';

const markdown = new MarkdownIt({ html: true });

/** README.md and every docs/*.md, as paths relative to the repository. */
export function docFiles() {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

/**
 * Every code block of a Markdown text, in order: `{ file, line, where, lang, words, attrs,
 * info, content, fenced, previous }`. `lang` is the first word of the info string, `words`
 * the other words without a value and `attrs` those written `key=value`; `line` is the
 * 1-based line of the opening fence; `previous` is the block right before this one when
 * only blank lines separate the two (an output block belongs to it). Indented code blocks
 * have `fenced: false` and no info string.
 */
export function blocksOf(text, file = '<markdown>') {
  const out = [];
  let last = null;
  for (const token of markdown.parse(text, {})) {
    if (token.type !== 'fence' && token.type !== 'code_block') {
      // Anything but a code block between two blocks separates them.
      if (token.block && token.type !== 'softbreak') last = null;
      continue;
    }
    const info = token.type === 'fence' ? token.info.trim() : '';
    const [lang = '', ...rest] = info.split(/\s+/).filter(Boolean);
    const attrs = {};
    const words = [];
    for (const w of rest) {
      const eq = w.indexOf('=');
      if (eq > 0) attrs[w.slice(0, eq)] = w.slice(eq + 1);
      else words.push(w);
    }
    const line = token.map[0] + 1;
    const block = {
      file, line, where: `${file}:${line}`, lang, words, attrs, info,
      content: token.content, fenced: token.type === 'fence',
      end: token.map[1], previous: null,
    };
    if (last && text.split('\n').slice(last.end, token.map[0]).every((l) => l.trim() === '')) block.previous = last;
    out.push(block);
    last = block;
  }
  return out;
}

/** The code blocks of one file of the repository (`docs/cli.md`). */
export function docBlocks(file) {
  return blocksOf(fs.readFileSync(path.join(ROOT, file), 'utf8'), file);
}

/**
 * The commands of a shell block: one per line (a line ending in `\` continues on the next),
 * blank lines and `#` comment lines skipped. A trailing `# exit N` gives the exit code the
 * command must end with (default 0); any other trailing comment is kept in `line` but is
 * only a comment to the shell.
 */
export function shellCommands(content) {
  const joined = content.replace(/\\\n/g, ' ');
  return joined.split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = line.match(/#\s*exit (\d+)\s*$/);
      return { line, code: m ? Number(m[1]) : 0 };
    });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compares what a command printed with the output a doc shows. Lines compare after trailing
 * white space is removed; a line `…` stands for any number of lines (none included) and `…`
 * inside a line for any text, so the shown lines must be the printed ones, in order, except
 * where the doc says it leaves something out. Blank lines at the start and end of either
 * side are ignored. Returns `null` when they match, else a message saying from which shown
 * line on they differ.
 */
export function compareShown(printed, shown) {
  const trim = (lines) => {
    let a = 0;
    let b = lines.length;
    while (a < b && lines[a] === '') a += 1;
    while (b > a && lines[b - 1] === '') b -= 1;
    return lines.slice(a, b);
  };
  const got = trim(printed.split(/\r?\n/).map((l) => l.trimEnd()));
  const want = trim(shown.split('\n').map((l) => l.trimEnd()));
  const patterns = want.map((w) => (w === '…' ? null : new RegExp(`^${w.split('…').map(escape).join('.*')}$`)));
  // Glob matching over lines (`…` lines are `*`), memoised on (shown line, printed line).
  const memo = new Map();
  let furthest = 0;
  const match = (i, j) => {
    const key = i * (got.length + 1) + j;
    if (memo.has(key)) return memo.get(key);
    furthest = Math.max(furthest, i);
    let ok;
    if (i === patterns.length) ok = j === got.length;
    else if (patterns[i] === null) ok = match(i + 1, j) || (j < got.length && match(i, j + 1));
    else ok = j < got.length && patterns[i].test(got[j]) && match(i + 1, j + 1);
    memo.set(key, ok);
    return ok;
  };
  if (match(0, 0)) return null;
  const at = Math.min(furthest, want.length - 1);
  return `the doc shows\n    ${want.slice(0, at + 1).slice(-3).join('\n    ')}\n  ` +
    `(from shown line ${at + 1} on it does not match), but the output is:\n    ${got.slice(0, 60).join('\n    ')}` +
    (got.length > 60 ? `\n    … (${got.length - 60} more lines)` : '');
}

/**
 * The output a script's comments show: the full-line `//` comments right after a line that
 * prints (`console.log(…)`), in order. Returns null when no printing line has any.
 */
export function commentOutput(code) {
  const shown = [];
  let printing = false;
  for (const line of code.split('\n')) {
    const comment = line.trim().match(/^\/\/ ?(.*)$/);
    if (comment) {
      if (printing) shown.push(comment[1]);
      continue;
    }
    printing = /\bconsole\.(log|info)\(/.test(line);
  }
  return shown.length ? shown.join('\n') : null;
}
