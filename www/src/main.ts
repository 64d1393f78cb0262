import './style.css';
import { EditorState, type Extension } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars, dropCursor,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching } from '@codemirror/language';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { json } from '@codemirror/lang-json';
import { tags as t } from '@lezer/highlight';

import * as engine from './engine';
import type { Diagnostic, Plan, Availability } from './engine';
import { rhaiLanguage, rhaiCompletions, rhaiHoverDocs } from './rhai';
import { ruleSets, sampleInventory, sampleOrders, casesFor, referencedFiles } from './bundled';
import { loadState, saveState } from './store';
import { h, replace, qty, richText } from './dom';
import { planView, planBrief, statusBadge, kindBadge, statusLabel, type WarehouseInfo, type OrderInfo } from './plan';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

// ---------------------------------------------------------------- state

const persisted = loadState();
const DEFAULT_SET = 'own-first-then-consignment';
let ruleSetName = persisted.ruleSet && ruleSets.some((r) => r.name === persisted.ruleSet)
  ? persisted.ruleSet
  : (ruleSets.find((r) => r.name === DEFAULT_SET) ?? ruleSets[0])?.name ?? 'rules';

function fileSource(name: string): string {
  return ruleSets.find((r) => r.name === name)?.source ?? '';
}
function savedSource(name: string): string {
  return persisted.saved[name] ?? fileSource(name);
}
function draftSource(name: string): string {
  return persisted.drafts[name] ?? savedSource(name);
}
function persist() {
  saveState(persisted);
}

interface ParsedData {
  inventory: any | null;
  inventoryError: { message: string; pos?: number } | null;
  orders: OrderInfo[];
  orderErrors: { line: number; message: string }[];
}

let data: ParsedData = { inventory: null, inventoryError: null, orders: [], orderErrors: [] };
let warehouses = new Map<string, WarehouseInfo>();

/** JSON.parse with the error position, which V8 reports as "at position N". */
function parseJson(text: string): { value?: any; error?: { message: string; pos?: number } } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    const m = message.match(/position (\d+)/);
    return { error: { message: message.replace(/^JSON\.parse: /, ''), pos: m ? Number(m[1]) : undefined } };
  }
}

function parseOrders(text: string): { orders: OrderInfo[]; errors: { line: number; message: string }[] } {
  const orders: OrderInfo[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    const r = parseJson(line);
    if (r.error) errors.push({ line: i + 1, message: r.error.message });
    else orders.push(r.value);
  });
  return { orders, errors };
}

function parseData() {
  const inv = parseJson(invView.state.doc.toString());
  const ord = parseOrders(ordersView.state.doc.toString());
  data = { inventory: inv.value ?? null, inventoryError: inv.error ?? null, orders: ord.orders, orderErrors: ord.errors };
  if (data.inventory && Array.isArray(data.inventory.warehouses)) {
    warehouses = new Map(data.inventory.warehouses.map((w: WarehouseInfo) => [w.id, w]));
  }
}

// ---------------------------------------------------------------- editors

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: '#7c3aed', fontWeight: '600' },
  { tag: [t.atom, t.bool], color: '#b45309' },
  { tag: t.number, color: '#b45309' },
  { tag: t.string, color: '#047857' },
  { tag: t.comment, color: '#6b7280', fontStyle: 'italic' },
  { tag: t.definition(t.variableName), color: '#1d4ed8', fontWeight: '600' },
  { tag: t.function(t.variableName), color: '#0e7490' },
  { tag: t.propertyName, color: '#1e40af' },
  { tag: t.operator, color: '#374151' },
  { tag: t.bracket, color: '#7c3aed' },
]);

function baseExtensions(label: string, onChange: () => void): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    syntaxHighlighting(highlight),
    lintGutter(),
    EditorView.lineWrapping,
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ 'aria-label': label }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange();
    }),
  ];
}

let meta: engine.ApiMetadata | null = null;

function rulesExtensions(): Extension[] {
  return [
    ...baseExtensions('Rule source', onRulesChanged),
    rhaiLanguage,
    autocompletion({ override: meta ? [rhaiCompletions(meta)] : [], activateOnTyping: true }),
    meta ? rhaiHoverDocs(meta) : [],
  ];
}

let rulesView: EditorView;
let invView: EditorView;
let ordersView: EditorView;

// ---------------------------------------------------------------- evaluation

interface Problem { source: 'rules' | 'inventory' | 'orders'; diag: Diagnostic; where?: string }
let problems: Problem[] = [];
let session: engine.Session | null = null;
let sessionKey = '';
let lastPlan: Plan | null = null;
let lastPlanOrder = '';
let timings = { checkMs: 0, routeMs: 0, previewMs: 0, otherViewsMs: 0, at: 0 };
// Hooks for the end-to-end tests (and the curious): read-only views plus cursor placement.
(window as any).__stockroute = {
  timings: () => timings,
  evaluations: 0,
  rules: () => rulesView.state.doc.toString(),
  setRules: (text: string) => setRules(text),
  cursorAt: (line: number, column: number) => {
    const l = rulesView.state.doc.line(line);
    rulesView.dispatch({ selection: { anchor: Math.min(l.from + column - 1, l.to) }, scrollIntoView: true });
    rulesView.focus();
  },
  evaluateNow: () => evaluate(),
  /** Replaces the first `find` in the inventory or orders editor, as an edit the user made. */
  editData: (which: 'inventory' | 'orders', find: string, replaceWith: string) => {
    const view = which === 'inventory' ? invView : ordersView;
    const at = view.state.doc.toString().indexOf(find);
    if (at < 0) return false;
    view.dispatch({ changes: { from: at, to: at + find.length, insert: replaceWith }, userEvent: 'input' });
    return true;
  },
};

let evalTimer: number | undefined;
function schedule(delay = 250) {
  window.clearTimeout(evalTimer);
  evalTimer = window.setTimeout(evaluate, delay);
}

function onRulesChanged() {
  persisted.drafts[ruleSetName] = rulesView.state.doc.toString();
  persist();
  updateSaveState();
  schedule();
}

function onDataChanged(which: 'inventory' | 'orders') {
  const view = which === 'inventory' ? invView : ordersView;
  persisted[which] = view.state.doc.toString();
  persist();
  schedule();
}

function selectedOrder(): OrderInfo | undefined {
  return data.orders.find((o) => o.id === persisted.order) ?? data.orders[0];
}

/** Re-checks the rules, rebuilds the router if rules or inventory changed and re-renders the visible view. */
function evaluate() {
  window.clearTimeout(evalTimer);
  const t0 = performance.now();
  const rules = rulesView.state.doc.toString();
  parseData();
  problems = [];

  const report = engine.check(rules, ruleSetName);
  for (const d of report.diagnostics) problems.push({ source: 'rules', diag: d });
  if (data.inventoryError) {
    problems.push({ source: 'inventory', diag: { code: 'data.invalid', severity: 'error', message: data.inventoryError.message } });
  }
  for (const e of data.orderErrors) {
    problems.push({ source: 'orders', diag: { code: 'data.invalid', severity: 'error', message: e.message, line: e.line }, where: `line ${e.line}` });
  }

  const invText = invView.state.doc.toString();
  const key = `${rules}\u0000${invText}`;
  let ready = report.ok && data.inventory !== null;
  if (ready && key !== sessionKey) {
    session?.free();
    session = null;
    const opened = engine.Session.open(rules, ruleSetName, data.inventory);
    if (opened.ok) {
      session = opened.value;
      sessionKey = key;
    } else {
      sessionKey = '';
      for (const d of opened.error.diagnostics) {
        problems.push({ source: d.line ? 'rules' : 'inventory', diag: d, where: d.path ? `at ${d.path}` : undefined });
      }
      ready = false;
    }
  } else if (!ready) {
    session?.free();
    session = null;
    sessionKey = '';
  }

  const order = selectedOrder();
  let planError: engine.EngineFailure | null = null;
  let plan: Plan | null = null;
  const tRoute = performance.now();
  if (ready && session && order) {
    const r = session.route(order);
    if (r.ok) plan = r.value;
    else {
      planError = r.error;
      for (const d of r.error.diagnostics) {
        problems.push({ source: d.line ? 'rules' : d.code.startsWith('data') ? 'orders' : 'rules', diag: d, where: d.order ? `order ${d.order}` : undefined });
      }
    }
  }
  const t1 = performance.now();

  renderProblems();
  renderInventorySummary();
  renderOrderPicker();
  renderPreview(plan, planError, report.ok && data.inventory !== null, order);
  const t2 = performance.now();
  if (rightTab === 'availability') renderAvailability();
  // Large pasted batches only run on request; the samples follow every edit.
  if (rightTab === 'batch' && batchOrders().orders.length <= AUTO_BATCH_LIMIT) runBatch();
  if (rightTab === 'tests') runTests();
  const t3 = performance.now();
  timings = { checkMs: tRoute - t0, routeMs: t1 - tRoute, previewMs: t2 - t1, otherViewsMs: t3 - t2, at: Date.now() };
  (window as any).__stockroute.evaluations++;
  $('timing').textContent = `Checked and compiled in ${(tRoute - t0).toFixed(1)} ms · order routed in ${(t1 - tRoute).toFixed(1)} ms · preview drawn in ${(t2 - t1).toFixed(1)} ms`;
  $('engine-state').replaceChildren(
    problems.some((p) => p.diag.severity !== 'warning')
      ? h('span', { class: 'dot dot-error' }, `${problems.filter((p) => p.diag.severity !== 'warning').length} problem(s)`)
      : h('span', { class: 'dot dot-ok' }, 'Rules compile'),
  );
}

// ---------------------------------------------------------------- diagnostics

function rulePosition(view: EditorView, d: Diagnostic): { from: number; to: number } | null {
  if (!d.line) return null;
  const doc = view.state.doc;
  if (d.line < 1 || d.line > doc.lines) return { from: doc.length, to: doc.length };
  const line = doc.line(d.line);
  const col = Math.max(1, d.columnUtf16 ?? d.column ?? 1);
  let from = Math.min(line.from + col - 1, line.to);
  // Underline the token at the position so the squiggle is visible even for one character.
  const rest = doc.sliceString(from, line.to);
  const word = rest.match(/^[A-Za-z_0-9]+/);
  let to = from + (word ? word[0].length : Math.min(1, line.to - from));
  if (to === from && from > line.from) from -= 1;
  if (to === from) to = Math.min(from + 1, doc.length);
  return { from, to };
}

const codeLabel: Record<string, string> = {
  'rule.syntax': 'syntax error',
  'rule.signature': 'hook signature',
  'rule.runtime': 'runtime error',
  'rule.limit': 'sandbox limit',
  'rule.return': 'wrong return value',
  'data.invalid': 'invalid data',
  'plan.invalid': 'invalid plan',
  'availability.invalid': 'invalid availability',
  'options.invalid': 'invalid options',
};

function describe(d: Diagnostic): string {
  return [d.message, d.help ? `Hint: ${d.help}` : ''].filter(Boolean).join('\n');
}

function renderProblems() {
  const ruleDiags: CmDiagnostic[] = [];
  const invDiags: CmDiagnostic[] = [];
  const orderDiags: CmDiagnostic[] = [];
  for (const p of problems) {
    const severity = p.diag.severity === 'warning' ? 'warning' : 'error';
    if (p.source === 'rules') {
      const pos = rulePosition(rulesView, p.diag);
      if (pos) ruleDiags.push({ ...pos, severity, message: describe(p.diag), source: [codeLabel[p.diag.code] ?? p.diag.code, p.diag.hook ? `in ${p.diag.hook}()` : ''].filter(Boolean).join(' · ') });
    }
  }
  if (data.inventoryError) {
    const len = invView.state.doc.length;
    const pos = Math.min(data.inventoryError.pos ?? 0, len);
    invDiags.push({ from: pos, to: Math.min(pos + 1, len), severity: 'error', message: data.inventoryError.message });
  }
  for (const e of data.orderErrors) {
    const line = ordersView.state.doc.line(e.line);
    orderDiags.push({ from: line.from, to: line.to, severity: 'error', message: e.message });
  }
  rulesView.dispatch(setDiagnostics(rulesView.state, ruleDiags));
  invView.dispatch(setDiagnostics(invView.state, invDiags));
  ordersView.dispatch(setDiagnostics(ordersView.state, orderDiags));

  const list = $('problems');
  $('problem-count').textContent = String(problems.length);
  $('problem-count').dataset.count = String(problems.length);
  if (problems.length === 0) {
    replace(list, h('li', { class: 'problem-none' }, 'No problems. The rules compile and every input parses.'));
    return;
  }
  replace(list, problems.map((p) => {
    const d = p.diag;
    const loc = p.source === 'rules' && d.line ? `Rules ${d.line}:${d.columnUtf16 ?? d.column ?? 1}` : p.source === 'rules' ? 'Rules' : p.source === 'inventory' ? 'Inventory' : 'Orders';
    return h('li', { class: `problem problem-${d.severity ?? 'error'}`, 'data-line': d.line ?? '', 'data-code': d.code },
      h('button', {
        type: 'button',
        class: 'problem-go',
        onclick: () => reveal(p),
        'aria-label': `Go to problem: ${d.message}`,
      },
      h('span', { class: 'problem-sev', 'aria-hidden': 'true' }, d.severity === 'warning' ? '!' : '×'),
      h('span', { class: 'problem-loc mono' }, loc),
      h('span', { class: 'problem-msg' }, richText(d.message),
        h('span', { class: 'muted' }, ` · ${codeLabel[d.code] ?? d.code}`),
        d.hook ? h('span', { class: 'muted' }, ` in ${d.hook}()`) : null,
        p.where ? h('span', { class: 'muted' }, ` · ${p.where}`) : null),
      ),
      d.help ? h('p', { class: 'problem-help' }, richText(d.help)) : null,
    );
  }));
}

function reveal(p: Problem) {
  const tab = p.source === 'rules' ? 'rules' : p.source;
  selectLeftTab(tab);
  const view = tab === 'rules' ? rulesView : tab === 'inventory' ? invView : ordersView;
  let pos = 0;
  if (tab === 'rules') pos = rulePosition(rulesView, p.diag)?.from ?? 0;
  else if (tab === 'orders' && p.diag.line) pos = ordersView.state.doc.line(p.diag.line).from;
  else if (tab === 'inventory') pos = Math.min(data.inventoryError?.pos ?? 0, invView.state.doc.length);
  view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
  view.focus();
}

// ---------------------------------------------------------------- inventory at a glance

function renderInventorySummary() {
  const box = $('inventory-summary');
  const inv = data.inventory;
  if (!inv || !Array.isArray(inv.warehouses)) {
    replace(box);
    return;
  }
  const units = new Map<string, number>();
  for (const row of inv.stock ?? []) units.set(row.warehouse, (units.get(row.warehouse) ?? 0) + 1);
  replace(box,
    h('table', { class: 'wh-table' },
      h('thead', null, h('tr', null, ['Warehouse', 'Kind', 'Country', 'Priority', 'SKUs'].map((c, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : '' }, c)))),
      h('tbody', null, inv.warehouses.map((w: any) => h('tr', { 'data-warehouse': w.id, class: w.enabled === false ? 'wh-excluded' : '' },
        h('td', null, h('span', { class: 'wh-name', title: w.id }, w.name || w.id), w.enabled === false ? h('span', { class: 'muted small' }, ' · disabled') : null),
        h('td', null, kindBadge(w.kind, true)),
        h('td', null, w.country ?? ''),
        h('td', { class: 'num' }, w.priority ?? 0),
        h('td', { class: 'num' }, units.get(w.id) ?? 0),
      ))),
    ),
    h('p', { class: 'small muted channels-line' }, 'Channels: ', (inv.channels ?? []).map((c: any, i: number) => [
      i ? ', ' : '', h('strong', null, c.id), c.include_consignment ? ' (own + consignment)' : ' (own only)',
    ])),
  );
}

// ---------------------------------------------------------------- preview

function renderOrderPicker() {
  const select = $('order-select') as HTMLSelectElement;
  const current = selectedOrder()?.id ?? '';
  const signature = data.orders.map((o) => o.id).join('\u0000');
  if (select.dataset.signature !== signature) {
    select.dataset.signature = signature;
    replace(select, data.orders.map((o) => {
      const lines = o.lines?.length ?? 0;
      return h('option', { value: o.id }, `${o.id} · ${o.channel ?? '?'} · ${o.ship_to?.country ?? '?'} · ${lines} line${lines === 1 ? '' : 's'}`);
    }));
  }
  select.value = current;
}

function orderSummary(o: OrderInfo): HTMLElement {
  return h('div', { class: 'order-summary' },
    h('dl', { class: 'facts' },
      h('div', null, h('dt', null, 'Channel'), h('dd', null, o.channel ?? '—')),
      h('div', null, h('dt', null, 'Ship to'), h('dd', null, [o.ship_to?.country, o.ship_to?.postcode].filter(Boolean).join(' ') || '—')),
      h('div', null, h('dt', null, 'Customer'), h('dd', null, (o.customer?.type ?? 'b2c').toUpperCase(), o.customer?.tags?.length ? ` · ${o.customer.tags.join(', ')}` : '')),
      h('div', null, h('dt', null, 'Ordered'), h('dd', null, (o.lines ?? []).map((l) => `${qty(l.qty)} × ${l.sku}`).join(', '))),
    ),
  );
}

/** `in rank() at line 22, for Berlin main warehouse: property not found: priorty` */
function runtimeSummary(error: engine.EngineFailure): HTMLElement {
  const d = error.diagnostics[0];
  if (!d) return h('span', null, ': ', richText(error.message));
  const where = [
    d.hook ? ` in ${d.hook}()` : '',
    d.line ? ` at line ${d.line}` : '',
    d.warehouse ? `, for ${warehouses.get(d.warehouse)?.name || d.warehouse}` : '',
    d.orderLine ? `, order line ${d.orderLine}` : '',
  ].join('');
  return h('span', null, `${where}: `, richText(d.message), d.help ? h('p', { class: 'muted' }, richText(d.help)) : null);
}

function renderPreview(plan: Plan | null, error: engine.EngineFailure | null, compiled: boolean, order: OrderInfo | undefined) {
  const box = $('preview');
  const banner = $('preview-banner');
  if (!order) {
    replace(banner);
    replace(box, h('p', { class: 'empty' }, 'Add an order on the Orders tab to see how these rules route it.'));
    return;
  }
  if (plan) {
    lastPlan = plan;
    lastPlanOrder = order.id;
    replace(banner);
    replace(box, orderSummary(order), planView(plan, warehouses, order));
    box.classList.remove('stale');
    return;
  }
  const errors = problems.filter((p) => p.diag.severity !== 'warning');
  const why = !compiled
    ? data.inventory === null
      ? 'The inventory is not valid JSON.'
      : `The rules do not compile (${errors.length} problem${errors.length === 1 ? '' : 's'}).`
    : error
      ? `Routing ${order.id} failed`
      : 'The rules could not be loaded.';
  const first = errors[0]?.diag;
  const firstWhere = first?.line ? `Line ${first.line}: ` : '';
  replace(banner, h('div', { class: 'callout callout-error', role: 'alert' },
    h('strong', null, why), error ? null : ' ',
    error ? runtimeSummary(error) : first ? h('span', null, firstWhere, richText(first.message)) : null,
    lastPlan && lastPlanOrder === order.id ? h('p', { class: 'muted' }, 'Showing the last successful result below.') : null,
  ));
  if (lastPlan && lastPlanOrder === order.id) {
    replace(box, orderSummary(order), planView(lastPlan, warehouses, order));
    box.classList.add('stale');
  } else {
    replace(box, orderSummary(order));
  }
}

// ---------------------------------------------------------------- availability

function renderAvailability() {
  const box = $('availability');
  if (!session) {
    replace(box, h('p', { class: 'empty' }, 'Availability appears once the rules compile and the inventory is valid.'));
    return;
  }
  const channels: string[] = (data.inventory?.channels ?? []).map((c: { id: string }) => c.id);
  const select = $('channel-select') as HTMLSelectElement;
  const sig = channels.join('\u0000');
  if (select.dataset.signature !== sig) {
    select.dataset.signature = sig;
    replace(select, h('option', { value: '' }, 'All channels'), channels.map((c) => h('option', { value: c }, c)));
  }
  const channel = persisted.channel && channels.includes(persisted.channel) ? persisted.channel : '';
  select.value = channel;
  const r = session.available(channel || undefined);
  if (!r.ok) {
    replace(box, h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'Availability failed'), runtimeSummary(r.error)));
    // Errors in `offer`/`adjust` belong in the problems list and under the squiggle too.
    let added = false;
    for (const d of r.error.diagnostics) {
      if (!problems.some((p) => p.diag.message === d.message && p.diag.line === d.line)) {
        problems.push({ source: 'rules', diag: d, where: d.warehouse ? `warehouse ${d.warehouse}` : undefined });
        added = true;
      }
    }
    if (added) renderProblems();
    return;
  }
  replace(box, availabilityTable(r.value, channels));
}

const expanded = new Set<string>();

function availabilityTable(av: Availability, channels: string[]): HTMLElement {
  const rows: HTMLElement[] = [];
  const channelInfo = new Map<string, any>((data.inventory?.channels ?? []).map((c: any) => [c.id, c]));
  let group = '';
  for (const it of av.items) {
    if (it.channel !== group) {
      group = it.channel;
      const c = channelInfo.get(group);
      rows.push(h('tr', { class: 'av-group' }, h('th', { colspan: 6, scope: 'rowgroup' },
        h('span', { class: 'av-channel' }, group),
        h('span', { class: 'muted small' }, c?.include_consignment ? ' · own + consignment stock' : ' · own stock only', ` · channel safety ${qty(c?.safety ?? 0)}`),
      )));
    }
    const key = `${it.channel}/${it.sku}`;
    const open = expanded.has(key);
    const detailId = `av-${it.channel}-${it.sku}`.replace(/[^A-Za-z0-9_-]/g, '_');
    rows.push(h('tr', { class: 'av-row', 'data-channel': it.channel, 'data-sku': it.sku },
      h('td', null, h('button', {
        type: 'button', class: 'disclosure', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': detailId,
        onclick: (e: Event) => {
          if (expanded.has(key)) expanded.delete(key); else expanded.add(key);
          const btn = e.currentTarget as HTMLElement;
          const now = expanded.has(key);
          btn.setAttribute('aria-expanded', String(now));
          document.getElementById(detailId)?.toggleAttribute('hidden', !now);
        },
      }, h('span', { class: 'chev', 'aria-hidden': 'true' }, '▸'), h('span', { class: 'mono' }, it.sku))),
      h('td', { class: 'num offered' }, h('strong', null, qty(it.offered))),
      h('td', { class: 'num warehouses-total' }, qty(it.warehouses_total)),
      h('td', { class: 'num channel-safety' }, neg(it.channel_safety)),
      h('td', { class: 'num reserved' }, neg(it.reserved)),
      h('td', { class: 'num rule-adjustment' }, signed(it.rule_adjustment)),
    ));
    rows.push(h('tr', { class: 'av-detail', id: detailId, hidden: !open },
      h('td', { colspan: 6 },
        h('table', { class: 'breakdown' },
          h('caption', { class: 'sr-only' }, `Per-warehouse breakdown of ${it.sku} on ${it.channel}`),
          h('thead', null, h('tr', null, ['Warehouse', 'Kind', 'On hand', 'Reserved', 'Safety', 'Available', 'Rule adj.', 'Offered', 'Note'].map((c, i) => h('th', { scope: 'col', class: i >= 2 && i <= 7 ? 'num' : '' }, c)))),
          h('tbody', null, it.warehouses.map((w) => h('tr', { class: w.included ? 'wh-included' : 'wh-excluded', 'data-warehouse': w.warehouse },
            h('td', null, warehouses.get(w.warehouse)?.name || w.warehouse, ' ', h('span', { class: 'muted mono small' }, w.warehouse)),
            h('td', null, kindBadge(w.kind)),
            h('td', { class: 'num' }, qty(w.on_hand)),
            h('td', { class: 'num' }, neg(w.reserved)),
            h('td', { class: 'num' }, neg(w.safety)),
            h('td', { class: 'num' }, qty(w.available)),
            h('td', { class: 'num' }, w.included ? signed(w.rule_adjustment) : '—'),
            h('td', { class: 'num wh-offered' }, w.included ? h('strong', null, qty(w.offered)) : h('span', { class: 'muted' }, 'not offered')),
            h('td', { class: 'small' }, w.reason ? richText(w.reason) : w.included ? '' : 'excluded'),
          ))),
        ),
      ),
    ));
  }
  return h('div', null,
    h('table', { class: 'availability', 'aria-describedby': 'av-help' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'SKU'), h('th', { scope: 'col', class: 'num' }, 'Offered'),
        h('th', { scope: 'col', class: 'num' }, 'From warehouses'), h('th', { scope: 'col', class: 'num' }, 'Channel safety'),
        h('th', { scope: 'col', class: 'num' }, 'Reservations'), h('th', { scope: 'col', class: 'num' }, 'Rule adj.'),
      )),
      h('tbody', null, rows),
    ),
    av.trace && av.trace.length ? h('section', { class: 'why' }, h('h3', null, 'Rule notes'), h('ul', { class: 'trace' }, av.trace.map((t) => h('li', null, richText(t.message))))) : null,
    channels.length === 0 ? h('p', { class: 'empty' }, 'The inventory defines no channels.') : null,
  );
}

function neg(v: string): string {
  const q = qty(v);
  return q === '0' ? '0' : `−${q}`;
}
function signed(v: string): string {
  const q = qty(v);
  if (q === '0') return '0';
  return q.startsWith('-') ? `−${q.slice(1)}` : `+${q}`;
}

// ---------------------------------------------------------------- batch diff

const AUTO_BATCH_LIMIT = 500;

type Outcome = { ok: true; plan: Plan } | { ok: false; message: string };

function batchOrders(): { orders: any[]; errors: string[]; source: string } {
  const custom = persisted.batch?.trim();
  if (custom) {
    const p = parseOrders(custom);
    return { orders: p.orders, errors: p.errors.map((e) => `line ${e.line}: ${e.message}`), source: 'pasted batch' };
  }
  return { orders: data.orders, errors: [], source: 'sample orders' };
}

function runAll(rules: string, orders: any[]): { outcomes: Outcome[]; error?: string } {
  if (data.inventory === null) return { outcomes: [], error: 'the inventory is not valid JSON' };
  const opened = engine.Session.open(rules, ruleSetName, data.inventory);
  if (!opened.ok) return { outcomes: [], error: opened.error.diagnostics[0]?.message ?? opened.error.message };
  try {
    const results = opened.value.routeBatch(orders);
    return {
      outcomes: results.map((r) => (r.ok ? { ok: true, plan: r.plan } : { ok: false, message: r.error?.message ?? 'failed' })),
    };
  } catch (e) {
    return { outcomes: [], error: engine.failure(e).message };
  } finally {
    opened.value.free();
  }
}

function comparable(o: Outcome): string {
  if (!o.ok) return `error:${o.message}`;
  const { shipments, backorders, hold, status } = o.plan;
  return JSON.stringify({ status, shipments, backorders, hold: hold?.reason ?? null });
}

function statusOf(o: Outcome | undefined): string {
  return !o ? 'error' : o.ok ? o.plan.status : 'error';
}

let openDiff: string | null = null;

function runBatch() {
  const box = $('batch');
  const { orders, errors, source } = batchOrders();
  const t0 = performance.now();
  const draft = runAll(rulesView.state.doc.toString(), orders);
  const saved = runAll(savedSource(ruleSetName), orders);
  const ms = performance.now() - t0;

  const statuses = ['single', 'split', 'partial', 'backordered', 'held', 'error'];
  const count = (outs: Outcome[]) => {
    const c: Record<string, number> = Object.fromEntries(statuses.map((s) => [s, 0]));
    outs.forEach((o) => c[statusOf(o)]++);
    return c;
  };
  const perWarehouse = (outs: Outcome[]) => {
    const m = new Map<string, number>();
    outs.forEach((o) => o.ok && o.plan.shipments.forEach((s) => m.set(s.warehouse, (m.get(s.warehouse) ?? 0) + 1)));
    return m;
  };
  const cs = count(saved.outcomes);
  const cd = count(draft.outcomes);
  const ws = perWarehouse(saved.outcomes);
  const wd = perWarehouse(draft.outcomes);
  const whIds = [...new Set([...warehouses.keys(), ...ws.keys(), ...wd.keys()])].filter((w) => ws.has(w) || wd.has(w));

  const changed: { id: string; i: number }[] = [];
  orders.forEach((o, i) => {
    const a = saved.outcomes[i];
    const b = draft.outcomes[i];
    if (a && b && comparable(a) !== comparable(b)) changed.push({ id: String(o.id ?? `#${i + 1}`), i });
  });
  if (openDiff && !changed.some((c) => c.id === openDiff)) openDiff = null;

  const delta = (a: number, b: number) => {
    const d = b - a;
    return h('td', { class: `num delta ${d > 0 ? 'up' : d < 0 ? 'down' : ''}` }, d === 0 ? '·' : d > 0 ? `+${d}` : `−${-d}`);
  };
  const same = persisted.drafts[ruleSetName] === undefined || rulesView.state.doc.toString() === savedSource(ruleSetName);

  replace(box,
    h('p', { class: 'batch-intro' },
      `${orders.length} ${source} routed with the draft and with the saved version in ${ms.toFixed(0)} ms.`,
      same ? h('span', { class: 'muted' }, ' The draft equals the saved version, so nothing can differ yet: edit the rules to compare.') : null,
    ),
    errors.length ? h('div', { class: 'callout callout-error' }, h('strong', null, 'Skipped unreadable lines: '), errors.join('; ')) : null,
    draft.error ? h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'Draft rules cannot run: '), richText(draft.error)) : null,
    saved.error ? h('div', { class: 'callout callout-error' }, h('strong', null, 'Saved version cannot run: '), richText(saved.error)) : null,
    h('div', { class: 'batch-grid' },
      h('table', { class: 'summary', 'aria-label': 'Plans by status' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col', class: 'num' }, 'Saved'), h('th', { scope: 'col', class: 'num' }, 'Draft'), h('th', { scope: 'col', class: 'num' }, 'Change'))),
        h('tbody', null, statuses.filter((s) => s !== 'error' || cs.error || cd.error).map((s) => h('tr', { 'data-status': s },
          h('th', { scope: 'row' }, statusBadge(s)), h('td', { class: 'num saved' }, cs[s]), h('td', { class: 'num draft' }, cd[s]), delta(cs[s], cd[s]),
        ))),
      ),
      h('table', { class: 'summary', 'aria-label': 'Shipments per warehouse' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Shipments from'), h('th', { scope: 'col', class: 'num' }, 'Saved'), h('th', { scope: 'col', class: 'num' }, 'Draft'), h('th', { scope: 'col', class: 'num' }, 'Change'))),
        h('tbody', null, whIds.map((w) => h('tr', { 'data-warehouse': w },
          h('th', { scope: 'row' }, warehouses.get(w)?.name || w, ' ', kindBadge(warehouses.get(w)?.kind)),
          h('td', { class: 'num saved' }, ws.get(w) ?? 0), h('td', { class: 'num draft' }, wd.get(w) ?? 0), delta(ws.get(w) ?? 0, wd.get(w) ?? 0),
        ))),
      ),
    ),
    h('h3', { class: 'section-title' }, changed.length === 0 ? 'No order changes its plan' : `${changed.length} order${changed.length === 1 ? '' : 's'} change${changed.length === 1 ? 's' : ''} plan`),
    changed.length ? h('ul', { class: 'changed', id: 'changed-orders' }, changed.map(({ id, i }) => {
      const a = saved.outcomes[i];
      const b = draft.outcomes[i];
      return h('li', null, h('button', {
        type: 'button', class: `changed-order ${openDiff === id ? 'active' : ''}`, 'data-order': id, 'aria-pressed': openDiff === id ? 'true' : 'false',
        onclick: () => {
          openDiff = openDiff === id ? null : id;
          runBatch();
          document.getElementById('diff-view')?.scrollIntoView({ block: 'start' });
        },
      },
      h('span', { class: 'mono order-id' }, id),
      h('span', { class: 'from' }, statusBadge(statusOf(a)), ' ', planBrief(a.ok ? a.plan : null, warehouses)),
      h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      h('span', { class: 'to' }, statusBadge(statusOf(b)), ' ', planBrief(b.ok ? b.plan : null, warehouses)),
      ));
    })) : null,
    openDiff ? diffView(openDiff, orders, saved.outcomes, draft.outcomes) : null,
  );
}

function diffView(id: string, orders: any[], saved: Outcome[], draft: Outcome[]): HTMLElement {
  const i = orders.findIndex((o, k) => String(o.id ?? `#${k + 1}`) === id);
  const planOf = (o: Outcome | undefined) => (o && o.ok ? o.plan : null);
  const side = (title: string, o: Outcome | undefined, other: Outcome | undefined, which: 'saved' | 'draft') => h('div', { class: `diff-side diff-${which}` },
    h('h4', null, title),
    !o ? null : o.ok ? planView(o.plan, warehouses, orders[i], { trace: 'collapsed', other: planOf(other), side: which }) : h('div', { class: 'callout callout-error' }, richText(o.message)),
  );
  return h('section', { class: 'diff', id: 'diff-view', 'aria-label': `Plan of ${id}, saved and draft side by side` },
    h('h3', { class: 'section-title' }, `Order ${id}: saved version and draft side by side`),
    orders[i] ? orderSummary(orders[i]) : null,
    h('div', { class: 'diff-cols' }, side('Saved version', saved[i], draft[i], 'saved'), side('Draft', draft[i], saved[i], 'draft')),
  );
}

// ---------------------------------------------------------------- rule tests

function runTests() {
  const box = $('tests');
  const cases = casesFor(ruleSetName);
  if (cases.length === 0) {
    replace(box, h('p', { class: 'empty' }, 'This rule set has no test cases yet. Add JSON files to ', h('code', null, `rules/cases/${ruleSetName}/`), '.'));
    $('tests-summary').textContent = '';
    $('tests-badge').hidden = true;
    return;
  }
  const rules = rulesView.state.doc.toString();
  const t0 = performance.now();
  const results = cases.map((c) => ({ file: c, out: engine.runCase(c.text, rules, referencedFiles(c.path, c.text), ruleSetName) }));
  const ms = performance.now() - t0;
  const passed = results.filter((r) => r.out.passed).length;
  const failed = results.length - passed;
  const summary = $('tests-summary');
  summary.textContent = `${passed} passed, ${failed} failed · ${ms.toFixed(0)} ms`;
  const badge = $('tests-badge');
  badge.hidden = false;
  badge.textContent = failed ? `${failed} failing` : `${passed} ok`;
  badge.className = `tab-badge ${failed ? 'bad' : 'good'}`;
  summary.className = `tests-summary ${failed ? 'has-failures' : 'all-passed'}`;
  replace(box, h('ul', { class: 'cases' }, results.map(({ file, out }) => h('li', { class: `case ${out.passed ? 'pass' : 'fail'}`, 'data-case': file.name },
    h('span', { class: `verdict ${out.passed ? 'pass' : 'fail'}` }, out.passed ? 'Pass' : 'Fail'),
    h('div', null,
      h('div', { class: 'case-name' }, out.name || file.name),
      out.description ? h('p', { class: 'case-desc' }, out.description) : null,
      h('span', { class: 'case-file muted mono small' }, file.path),
      out.failures.length ? h('ul', { class: 'failures' }, out.failures.map((f) => h('li', null, richText(f)))) : null,
    ),
  ))));
}

// ---------------------------------------------------------------- tabs and chrome

let rightTab = persisted.rightTab ?? 'preview';

function setupTabs(listId: string, onSelect: (tab: string) => void) {
  const list = $(listId);
  const tabs = [...list.querySelectorAll<HTMLElement>('[role=tab]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => onSelect(tab.dataset.tab!));
    tab.addEventListener('keydown', (e) => {
      const k = (e as KeyboardEvent).key;
      const next = k === 'ArrowRight' ? i + 1 : k === 'ArrowLeft' ? i - 1 : k === 'Home' ? 0 : k === 'End' ? tabs.length - 1 : -1;
      if (next < 0 && k !== 'ArrowLeft') return;
      e.preventDefault();
      const target = tabs[(next + tabs.length) % tabs.length];
      onSelect(target.dataset.tab!);
      target.focus();
    });
  });
}

function showTab(listId: string, tab: string) {
  $(listId).querySelectorAll<HTMLElement>('[role=tab]').forEach((el) => {
    const on = el.dataset.tab === tab;
    el.setAttribute('aria-selected', String(on));
    el.tabIndex = on ? 0 : -1;
    $(el.getAttribute('aria-controls')!).hidden = !on;
  });
}

function selectLeftTab(tab: string) {
  persisted.leftTab = tab;
  persist();
  showTab('left-tabs', tab);
  const view = tab === 'rules' ? rulesView : tab === 'inventory' ? invView : ordersView;
  view?.requestMeasure();
}

function selectRightTab(tab: string) {
  rightTab = tab;
  persisted.rightTab = tab;
  persist();
  showTab('right-tabs', tab);
  if (tab === 'availability') renderAvailability();
  if (tab === 'batch') runBatch();
  if (tab === 'tests') runTests();
}

function updateSaveState() {
  const draft = rulesView.state.doc.toString();
  const dirty = draft !== savedSource(ruleSetName);
  const el = $('save-state');
  el.dataset.dirty = String(dirty);
  const at = persisted.savedAt[ruleSetName];
  el.textContent = dirty ? 'Draft · unsaved changes' : at ? `Saved ${new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : 'Saved · as in repository';
  ($('revert') as HTMLButtonElement).disabled = !dirty;
  ($('save') as HTMLButtonElement).disabled = !dirty;
  // Mark rule sets with unsaved drafts in the picker, so none is forgotten.
  for (const opt of ($('ruleset') as HTMLSelectElement).options) {
    const name = opt.value;
    const text = name === ruleSetName ? draft : persisted.drafts[name];
    const changed = text !== undefined && text !== savedSource(name);
    opt.textContent = changed ? `${name} • draft` : name;
  }
}

function switchRuleSet(name: string) {
  ruleSetName = name;
  persisted.ruleSet = name;
  persist();
  lastPlan = null;
  openDiff = null;
  rulesView.setState(EditorState.create({ doc: draftSource(name), extensions: rulesExtensions() }));
  updateSaveState();
  evaluate();
}

function setRules(text: string) {
  rulesView.dispatch({ changes: { from: 0, to: rulesView.state.doc.length, insert: text } });
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = h('a', { href: url, download: name }) as HTMLAnchorElement;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function toast(message: string) {
  const el = $('toast');
  el.textContent = message;
  el.classList.add('show');
  setTimeout(() => el.classList.remove('show'), 2200);
}

async function main() {
  await engine.load();
  meta = engine.apiMetadata();
  $('engine-version').textContent = `engine ${engine.version()}`;

  const picker = $('ruleset') as HTMLSelectElement;
  replace(picker, ruleSets.map((r) => h('option', { value: r.name }, r.name)));
  if (ruleSets.length === 0) picker.append(h('option', { value: ruleSetName }, 'no rule sets found'));
  picker.value = ruleSetName;
  picker.addEventListener('change', () => switchRuleSet(picker.value));

  rulesView = new EditorView({ state: EditorState.create({ doc: draftSource(ruleSetName), extensions: rulesExtensions() }), parent: $('rules-editor') });
  invView = new EditorView({
    state: EditorState.create({ doc: persisted.inventory ?? sampleInventory, extensions: [...baseExtensions('Inventory JSON', () => onDataChanged('inventory')), json()] }),
    parent: $('inventory-editor'),
  });
  ordersView = new EditorView({
    state: EditorState.create({
      doc: persisted.orders ?? sampleOrders,
      extensions: [
        ...baseExtensions('Orders, one JSON object per line', () => onDataChanged('orders')),
        json(),
        // Putting the cursor on an order previews that order.
        EditorView.updateListener.of((u) => {
          if (!u.selectionSet || u.docChanged || !u.view.hasFocus) return;
          const text = u.state.doc.lineAt(u.state.selection.main.head).text;
          const id = text.match(/"id"\s*:\s*"([^"]+)"/)?.[1];
          if (id && id !== persisted.order && data.orders.some((o) => o.id === id)) {
            persisted.order = id;
            persist();
            lastPlan = null;
            schedule(50);
          }
        }),
      ],
    }),
    parent: $('orders-editor'),
  });

  setupTabs('left-tabs', selectLeftTab);
  setupTabs('right-tabs', selectRightTab);
  selectLeftTab(persisted.leftTab ?? 'rules');

  $('order-select').addEventListener('change', (e) => {
    persisted.order = (e.target as HTMLSelectElement).value;
    persist();
    lastPlan = null;
    evaluate();
  });
  $('channel-select').addEventListener('change', (e) => {
    persisted.channel = (e.target as HTMLSelectElement).value;
    persist();
    renderAvailability();
  });
  $('save').addEventListener('click', saveVersion);
  $('revert').addEventListener('click', () => {
    if (confirm(`Discard the draft of ${ruleSetName} and go back to the saved version?`)) setRules(savedSource(ruleSetName));
  });
  $('reset-file').addEventListener('click', () => {
    if (!confirm(`Replace the draft with ${ruleSetName}.rhai as shipped in the repository?`)) return;
    setRules(fileSource(ruleSetName));
  });
  $('export').addEventListener('click', () => download(`${ruleSetName}.rhai`, rulesView.state.doc.toString()));
  $('reset-inventory').addEventListener('click', () => {
    if (confirm('Replace the inventory with the bundled sample?')) invView.dispatch({ changes: { from: 0, to: invView.state.doc.length, insert: sampleInventory } });
  });
  $('reset-orders').addEventListener('click', () => {
    if (confirm('Replace the orders with the bundled samples?')) ordersView.dispatch({ changes: { from: 0, to: ordersView.state.doc.length, insert: sampleOrders } });
  });
  $('run-batch').addEventListener('click', runBatch);
  $('run-tests').addEventListener('click', runTests);
  const batchText = $('batch-text') as HTMLTextAreaElement;
  batchText.value = persisted.batch ?? '';
  batchText.addEventListener('input', () => {
    persisted.batch = batchText.value;
    persist();
  });
  $('batch-file').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    batchText.value = await file.text();
    persisted.batch = batchText.value;
    persist();
    runBatch();
  });
  $('batch-clear').addEventListener('click', () => {
    batchText.value = '';
    persisted.batch = '';
    persist();
    runBatch();
  });
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 's') {
      e.preventDefault();
      saveVersion();
    }
  });

  updateSaveState();
  evaluate();
  selectRightTab(rightTab);
  document.body.dataset.ready = 'true';
}

function saveVersion() {
  const text = rulesView.state.doc.toString();
  if (text === savedSource(ruleSetName)) return;
  persisted.saved[ruleSetName] = text;
  persisted.savedAt[ruleSetName] = new Date().toISOString();
  persisted.drafts[ruleSetName] = text;
  persist();
  updateSaveState();
  if (rightTab === 'batch') runBatch();
  toast(`Saved ${ruleSetName}. Batch diffs now compare against this version.`);
}

main().catch((e) => {
  replace($('fatal'), h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The engine failed to load: '), String((e as Error)?.message ?? e)));
  document.body.dataset.ready = 'error';
});
