// Batch diff: every sample order (or a pasted / uploaded JSONL batch) routed with the draft
// and with the saved version: counts per outcome and shipments per warehouse side by side,
// the orders whose plan changed, and both plans of one order next to each other. Each side
// routes the batch as production does (`routeBatch`, consuming): in file order, every order
// sees the stock the earlier orders' shipments left, so a rule change in one order can change
// the orders after it; those knock-on changes are marked. When either version cannot run (it
// does not compile, or the inventory is invalid) it says so and shows no counts.
import { h, replace } from '../dom';
import { Compiled, type EngineFailure } from '../engine';
import { parseOrders, type OrderEntry } from '../data';
import { planBrief, planView, statusBadge, kindBadge } from '../plan';
import type { Diagnostic, ErrorDetails, Plan } from '../types';
import type { Evaluation } from '../evaluate';
import { app, asOf, persisted, rulesText, savedSource, $ } from '../state';
import { explanation, primary, problems, sentence } from '../words';
import { orderSummary } from './preview';

/** Pasted batches up to this size are re-compared on every edit; larger ones on request. */
export const AUTO_BATCH_LIMIT = 500;

type Outcome = { ok: true; plan: Plan } | { ok: false; error: ErrorDetails };

/** Why one side cannot be routed at all. */
interface Blocked { title: string; diagnostics: Diagnostic[] }

function batchOrders(ev: Evaluation): { orders: OrderEntry[]; errors: string[]; source: string } {
  const custom = persisted.batch?.trim();
  if (custom) {
    const p = parseOrders(custom);
    return { orders: p.orders, errors: p.errors.map((e) => `line ${e.line}: ${e.message}`), source: 'pasted batch' };
  }
  return { orders: ev.orders, errors: [], source: 'sample orders' };
}

// The saved version compiled once per (rules, inventory), not on every keystroke in the draft.
let savedCache: { rules: string; inventory: string; result: Compiled | EngineFailure } | null = null;

function savedCompiled(rules: string, inventory: string): Compiled | EngineFailure {
  if (savedCache && savedCache.rules === rules && savedCache.inventory === inventory) return savedCache.result;
  if (savedCache?.result instanceof Compiled) savedCache.result.free();
  let result: Compiled | EngineFailure;
  const c = Compiled.compile(rules, app.ruleSet);
  if (!c.ok) result = c.error;
  else {
    const loaded = c.value.load(inventory);
    if (loaded.ok) result = c.value;
    else {
      c.value.free();
      result = loaded.error;
    }
  }
  savedCache = { rules, inventory, result };
  return result;
}

/**
 * Routes the batch with `c`. `consume`: in order, each order seeing the stock the earlier
 * ones left (what the diff shows); without it, each against the full inventory (used to tell
 * a knock-on change from one the rules make to the order itself).
 */
function route(c: Compiled, orders: OrderEntry[], consume = true): Outcome[] | EngineFailure {
  const r = c.routeBatch(orders.map((o) => o.text), consume, asOf());
  if (!r.ok) return r.error;
  return r.value.map((b): Outcome => (b.ok ? { ok: true, plan: b.plan } : { ok: false, error: b.error }));
}

function comparable(o: Outcome): string {
  if (!o.ok) {
    const d = primary(o.error);
    return `error:${d.code}:${d.message}`;
  }
  const { shipments, backorders, status, order } = o.plan;
  return JSON.stringify({ order, status, shipments, backorders, hold: 'hold' in o.plan ? o.plan.hold?.reason ?? null : null });
}

function statusOf(o: Outcome | undefined): string {
  return !o || !o.ok ? 'error' : o.plan.status;
}

/** What a failed order's outcome reads like in the list: `Failed · Runtime error in rank() at line 22: …` */
function failure(o: Outcome, ev: Evaluation): HTMLElement | string {
  return o.ok ? planBrief(o.plan, ev.warehouses) : sentence(primary(o.error), ev.warehouses);
}

function blockedCallout(b: Blocked): HTMLElement {
  const errors = b.diagnostics.filter((d) => d.severity !== 'warning');
  return h('div', { class: 'callout callout-error batch-blocked', role: 'alert' },
    h('strong', null, b.title), ' Nothing was routed, so there is nothing to compare.',
    h('ul', { class: 'blocked-list' }, errors.map((d) => h('li', null, sentence(d)))),
  );
}

function blockedInventory(ev: Evaluation): Blocked | null {
  const inv = ev.inventory;
  if (inv.kind === 'json') return { title: 'The inventory is not valid JSON.', diagnostics: [{ code: 'data.invalid', severity: 'error', message: inv.error.message }] };
  if (inv.kind === 'invalid') return { title: 'The inventory is invalid.', diagnostics: inv.diagnostics };
  return null;
}

let openDiff: string | null = null;

/** Forgets the opened order (another rule set is shown now). */
export function closeDiff() {
  openDiff = null;
}

/** Re-compares after an edit, unless a large pasted batch waits for the button. */
export function autoBatch() {
  const ev = app.current;
  if (ev && batchOrders(ev).orders.length <= AUTO_BATCH_LIMIT) runBatch();
}

export function runBatch() {
  const ev = app.current;
  const box = $('batch');
  if (!ev) return;
  const { orders, errors, source } = batchOrders(ev);
  const t0 = performance.now();
  const skipped = errors.length ? h('div', { class: 'callout callout-error' }, h('strong', null, 'Skipped unreadable lines: '), errors.join('; ')) : null;

  const inventoryProblem = blockedInventory(ev);
  if (inventoryProblem) {
    replace(box, skipped, blockedCallout(inventoryProblem));
    return;
  }
  const blocked: Blocked[] = [];
  let draft: Outcome[] | null = null;
  let saved: Outcome[] | null = null;
  if (!ev.ready) {
    blocked.push({ title: `The draft does not compile (${problems(ev.rulesErrors.length)}).`, diagnostics: ev.rulesErrors });
  } else {
    const r = route(ev.ready, orders);
    if (Array.isArray(r)) draft = r;
    else blocked.push({ title: 'The draft cannot route this batch.', diagnostics: r.diagnostics });
  }
  const savedRules = savedSource(app.ruleSet);
  const s = savedCompiled(savedRules, ev.inventory.text);
  if (s instanceof Compiled) {
    const r = route(s, orders);
    if (Array.isArray(r)) saved = r;
    else blocked.push({ title: 'The saved version cannot route this batch.', diagnostics: r.diagnostics });
  } else {
    blocked.push({ title: `The saved version does not compile (${problems(s.diagnostics.length)}).`, diagnostics: s.diagnostics });
  }
  if (!draft || !saved) {
    replace(box, skipped, blocked.map(blockedCallout));
    return;
  }
  const knockOn = knockOnChanges(ev.ready, s instanceof Compiled ? s : null, orders, saved, draft);
  const ms = performance.now() - t0;
  render(ev, box, orders, source, skipped, saved, draft, knockOn, ms);
}

function changedIndexes(orders: OrderEntry[], saved: Outcome[], draft: Outcome[]): number[] {
  const out: number[] = [];
  orders.forEach((_, i) => {
    const a = saved[i];
    const b = draft[i];
    if (a && b && comparable(a) !== comparable(b)) out.push(i);
  });
  return out;
}

/**
 * The changed orders (by index) that the two versions route alike when each is routed against
 * the full inventory: they change only because the orders before them left other stock.
 */
function knockOnChanges(draftRules: Compiled | null, savedRules: Compiled | null, orders: OrderEntry[], saved: Outcome[], draft: Outcome[]): Set<number> {
  const changed = changedIndexes(orders, saved, draft);
  if (!draftRules || !savedRules || changed.length === 0) return new Set();
  const picked = changed.map((i) => orders[i]);
  const a = route(savedRules, picked, false);
  const b = route(draftRules, picked, false);
  if (!Array.isArray(a) || !Array.isArray(b)) return new Set();
  return new Set(changed.filter((_, k) => a[k] && b[k] && comparable(a[k]) === comparable(b[k])));
}

function render(ev: Evaluation, box: HTMLElement, orders: OrderEntry[], source: string, skipped: HTMLElement | null, saved: Outcome[], draft: Outcome[], knockOn: Set<number>, ms: number) {
  const statuses = ['single', 'split', 'partial', 'backordered', 'held', 'error'];
  const count = (outs: Outcome[]) => {
    const c = new Map<string, number>(statuses.map((s) => [s, 0]));
    outs.forEach((o) => c.set(statusOf(o), (c.get(statusOf(o)) ?? 0) + 1));
    return c;
  };
  const perWarehouse = (outs: Outcome[]) => {
    const m = new Map<string, number>();
    outs.forEach((o) => o.ok && o.plan.shipments.forEach((s) => m.set(s.warehouse, (m.get(s.warehouse) ?? 0) + 1)));
    return m;
  };
  const cs = count(saved);
  const cd = count(draft);
  const ws = perWarehouse(saved);
  const wd = perWarehouse(draft);
  const whIds = [...new Set([...ev.warehouses.keys(), ...ws.keys(), ...wd.keys()])].filter((w) => ws.has(w) || wd.has(w));

  const changed = changedIndexes(orders, saved, draft).map((i) => ({ id: orders[i].id, i }));
  if (openDiff && !changed.some((c) => c.id === openDiff)) openDiff = null;

  const delta = (a: number, b: number) => {
    const d = b - a;
    return h('td', { class: `num delta ${d > 0 ? 'up' : d < 0 ? 'down' : ''}` }, d === 0 ? '·' : d > 0 ? `+${d}` : `−${-d}`);
  };
  const same = rulesText() === savedSource(app.ruleSet);
  const showError = (cs.get('error') ?? 0) + (cd.get('error') ?? 0) > 0;

  replace(box,
    h('p', { class: 'batch-intro' },
      `${orders.length} ${source} routed with the draft and with the saved version in ${ms.toFixed(0)} ms.`,
      same ? h('span', { class: 'muted' }, ' The draft equals the saved version, so nothing can differ yet: edit the rules to compare.') : null,
    ),
    h('p', { class: 'batch-mode small', id: 'batch-mode' },
      h('strong', null, 'Orders consume stock: '),
      'each side routes the orders one after another in file order, and every order sees only the stock the orders before it left, as a real batch does. ',
      'So a rule change in one order can change the orders after it (marked ', h('em', null, 'knock-on'), '). ',
      h('span', { class: 'muted' }, 'The Order preview routes one order against the full inventory.'),
    ),
    skipped,
    h('div', { class: 'batch-grid' },
      h('table', { class: 'summary', 'aria-label': 'Plans by status' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col', class: 'num' }, 'Saved'), h('th', { scope: 'col', class: 'num' }, 'Draft'), h('th', { scope: 'col', class: 'num' }, 'Change'))),
        h('tbody', null, statuses.filter((s) => s !== 'error' || showError).map((s) => h('tr', { 'data-status': s },
          h('th', { scope: 'row' }, statusBadge(s)), h('td', { class: 'num saved' }, cs.get(s) ?? 0), h('td', { class: 'num draft' }, cd.get(s) ?? 0), delta(cs.get(s) ?? 0, cd.get(s) ?? 0),
        ))),
      ),
      h('table', { class: 'summary', 'aria-label': 'Shipments per warehouse' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Shipments from'), h('th', { scope: 'col', class: 'num' }, 'Saved'), h('th', { scope: 'col', class: 'num' }, 'Draft'), h('th', { scope: 'col', class: 'num' }, 'Change'))),
        h('tbody', null, whIds.map((w) => h('tr', { 'data-warehouse': w },
          h('th', { scope: 'row' }, ev.warehouses.get(w)?.name || w, ' ', kindBadge(ev.warehouses.get(w)?.kind)),
          h('td', { class: 'num saved' }, ws.get(w) ?? 0), h('td', { class: 'num draft' }, wd.get(w) ?? 0), delta(ws.get(w) ?? 0, wd.get(w) ?? 0),
        ))),
      ),
    ),
    h('h3', { class: 'section-title' }, changed.length === 0 ? 'No order changes its plan' : `${changed.length} order${changed.length === 1 ? '' : 's'} change${changed.length === 1 ? 's' : ''} plan`),
    changed.length ? h('ul', { class: 'changed', id: 'changed-orders' }, changed.map(({ id, i }) => {
      const a = saved[i];
      const b = draft[i];
      const knock = knockOn.has(i);
      return h('li', null, h('button', {
        type: 'button', class: `changed-order ${openDiff === id ? 'active' : ''}`, 'data-order': id, 'data-knock-on': knock ? 'true' : null, 'aria-pressed': openDiff === id ? 'true' : 'false',
        onclick: () => {
          openDiff = openDiff === id ? null : id;
          runBatch();
          document.getElementById('diff-view')?.scrollIntoView({ block: 'start' });
        },
      },
      h('span', { class: 'mono order-id' }, id),
      h('span', { class: 'from' }, statusBadge(statusOf(a)), ' ', failure(a, ev)),
      h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      h('span', { class: 'to' }, statusBadge(statusOf(b)), ' ', failure(b, ev)),
      knock ? h('span', { class: 'knock-on', title: 'Both versions route this order alike against the full inventory: it changes because the orders before it took other stock' }, 'knock-on') : null,
      ));
    })) : null,
    openDiff ? diffView(ev, openDiff, orders, saved, draft, knockOn) : null,
  );
}

function diffView(ev: Evaluation, id: string, orders: OrderEntry[], saved: Outcome[], draft: Outcome[], knockOn: Set<number>): HTMLElement {
  const i = orders.findIndex((o) => o.id === id);
  const order = orders[i];
  const planOf = (o: Outcome | undefined) => (o && o.ok ? o.plan : null);
  const side = (title: string, o: Outcome | undefined, other: Outcome | undefined, which: 'saved' | 'draft') => h('div', { class: `diff-side diff-${which}` },
    h('h4', null, title),
    !o ? null : o.ok
      ? planView(o.plan, ev.warehouses, order?.view, { trace: 'collapsed', other: planOf(other), side: which })
      : h('div', { class: 'callout callout-error' }, explanation(primary(o.error), ev.warehouses)),
  );
  return h('section', { class: 'diff', id: 'diff-view', 'aria-label': `Plan of ${id}, saved and draft side by side` },
    h('h3', { class: 'section-title' }, `Order ${id}: saved version and draft side by side`),
    order ? orderSummary(order.view) : null,
    h('p', { class: 'small muted diff-stock' },
      i === 0
        ? `${id} is the first order of the batch: both sides route it against the full inventory.`
        : `Both sides route ${id} against the stock the ${i} order${i === 1 ? '' : 's'} before it left.`,
      knockOn.has(i) ? h('strong', { class: 'knock-on-note' }, ' Against the full inventory both versions route it alike: it changes only because the orders before it took other stock.') : null,
    ),
    h('div', { class: 'diff-cols' }, side('Saved version', saved[i], draft[i], 'saved'), side('Draft', draft[i], saved[i], 'draft')),
  );
}

