// Manual routing: for an order the rules hold (or any order of the Orders tab), a person
// picks per line the warehouse(s) and quantities, backorders the rest and asks for documents
// per shipment; `router.validate` checks the plan as they type, against the loaded
// inventory, the draft's rules (`eligible` included) and the As of day. Each violation is
// shown next to the line and warehouse it names (and in a list), and a valid plan is shown
// completed (kinds, owners, forwarding, documents) as the Order preview shows plans. The
// engine, not this view, decides what is valid: an invoice asked for on consignment goods
// is the engine's violation like any other.
import { decimalSign, h, replace, qty, richText, sumDecimals } from '../dom';
import type { Result } from '../engine';
import type { OrderEntry, WarehouseView } from '../data';
import { isRecord } from '../data';
import type { Evaluation } from '../evaluate';
import { holdOf, kindBadge, planBrief, planView } from '../plan';
import type { Availability, BatchResult, Diagnostic, Document, ManualLine, ManualPlan, ManualShipment, Plan, Validation } from '../types';
import { app, persisted, persist, $ } from '../state';
import { sentence } from '../words';
import { forwardingPreview } from './forwarding';
import { orderSummary } from './preview';
import { addProblems } from './problems';

interface Alloc { warehouse: string; qty: string }
interface LineDraft { allocs: Alloc[]; backorder: string }
/** What the person has entered for one order: per order line, and documents per warehouse. */
interface Draft { lines: Record<string, LineDraft>; documents: Record<string, Document[]> }

const DOCUMENTS: { doc: Document; label: string }[] = [
  { doc: 'invoice', label: 'Invoice' },
  { doc: 'packing_slip', label: 'Packing slip' },
  { doc: 'pro_forma', label: 'Pro-forma' },
  { doc: 'shipping_label', label: 'Shipping label' },
];

function emptyLine(): LineDraft {
  return { allocs: [{ warehouse: '', qty: '' }], backorder: '' };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** A stored draft, read defensively (an older or damaged store yields an empty draft). */
function readDraft(text: string | undefined): Draft | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(v) || !isRecord(v.lines)) return null;
  const lines: Record<string, LineDraft> = {};
  for (const [id, l] of Object.entries(v.lines)) {
    if (!isRecord(l)) continue;
    const allocs = Array.isArray(l.allocs) ? l.allocs.filter(isRecord).map((a) => ({ warehouse: str(a.warehouse), qty: str(a.qty) })) : [];
    lines[id] = { allocs, backorder: str(l.backorder) };
  }
  const documents: Record<string, Document[]> = {};
  const known = new Set<string>(DOCUMENTS.map((d) => d.doc));
  const isDocument = (d: unknown): d is Document => typeof d === 'string' && known.has(d);
  if (isRecord(v.documents)) {
    for (const [w, ds] of Object.entries(v.documents)) if (Array.isArray(ds)) documents[w] = ds.filter(isDocument);
  }
  return { lines, documents };
}

/** The rules' own plan as a starting point: what it ships from where, and what it backorders. */
function draftFromPlan(order: OrderEntry, plan: Plan | null): Draft {
  const lines: Record<string, LineDraft> = {};
  for (const l of order.view.lines) lines[l.id] = { allocs: [], backorder: '' };
  if (plan && !holdOf(plan)) {
    for (const s of plan.shipments) for (const l of s.lines) lines[l.line]?.allocs.push({ warehouse: s.warehouse, qty: qty(l.qty) });
    for (const b of plan.backorders) if (lines[b.line]) lines[b.line].backorder = qty(b.qty);
  }
  for (const l of Object.values(lines)) if (l.allocs.length === 0) l.allocs.push({ warehouse: '', qty: '' });
  return { lines, documents: {} };
}

function lineDraft(draft: Draft, id: string): LineDraft {
  let l = draft.lines[id];
  if (!l) draft.lines[id] = l = emptyLine();
  return l;
}

/** Where a part of the plan came from, so the engine's `path` finds its field again. */
interface Built {
  plan: ManualPlan;
  /** Per shipment index: the warehouse, and per line index the (order line, allocation row). */
  shipments: { warehouse: string; rows: { line: string; row: number }[] }[];
  /** Per backorder index: the order line. */
  backorders: string[];
}

/** The plan the draft describes; rows without a warehouse or a quantity are not in it yet. */
function build(order: OrderEntry, draft: Draft): Built {
  const shipments: ManualShipment[] = [];
  const index: Built['shipments'] = [];
  const byWarehouse = new Map<string, number>();
  const backorders: ManualLine[] = [];
  const backorderLines: string[] = [];
  for (const line of order.view.lines) {
    const d = lineDraft(draft, line.id);
    d.allocs.forEach((a, row) => {
      if (!a.warehouse || !a.qty.trim()) return;
      let i = byWarehouse.get(a.warehouse);
      if (i === undefined) {
        i = shipments.length;
        byWarehouse.set(a.warehouse, i);
        const docs = draft.documents[a.warehouse];
        shipments.push({ warehouse: a.warehouse, lines: [], ...(docs?.length ? { documents: docs } : {}) });
        index.push({ warehouse: a.warehouse, rows: [] });
      }
      shipments[i].lines.push({ line: line.id, qty: a.qty.trim(), ...(line.sku ? { sku: line.sku } : {}) });
      index[i].rows.push({ line: line.id, row });
    });
    if (d.backorder.trim()) {
      backorders.push({ line: line.id, qty: d.backorder.trim() });
      backorderLines.push(line.id);
    }
  }
  return { plan: { order: order.id, shipments, backorders }, shipments: index, backorders: backorderLines };
}

/** Where on the page a violation (or a data error) belongs. */
type Slot = { kind: 'row'; line: string; row: number } | { kind: 'line'; line: string } | { kind: 'shipment'; warehouse: string } | { kind: 'general' };

function slotOf(d: Diagnostic, built: Built, draft: Draft): Slot {
  const path = d.path ?? '';
  const s = path.match(/^shipments\[(\d+)\](?:\.lines\[(\d+)\])?(\.documents)?/);
  if (s) {
    const ship = built.shipments[Number(s[1])];
    if (ship && s[2] !== undefined) {
      const r = ship.rows[Number(s[2])];
      if (r) return { kind: 'row', line: r.line, row: r.row };
    }
    if (ship) return { kind: 'shipment', warehouse: ship.warehouse };
  }
  const b = path.match(/^backorders\[(\d+)\]/);
  if (b && built.backorders[Number(b[1])] !== undefined) return { kind: 'line', line: built.backorders[Number(b[1])] };
  const line = d.orderLine;
  if (line && d.warehouse) {
    const row = draft.lines[line]?.allocs.findIndex((a) => a.warehouse === d.warehouse && a.qty.trim() !== '') ?? -1;
    if (row >= 0) return { kind: 'row', line, row };
  }
  if (line && draft.lines[line]) return { kind: 'line', line };
  if (d.warehouse && built.shipments.some((x) => x.warehouse === d.warehouse)) return { kind: 'shipment', warehouse: d.warehouse };
  return { kind: 'general' };
}

function slotKey(s: Slot): string {
  return s.kind === 'row' ? `row\u0000${s.line}\u0000${s.row}` : s.kind === 'line' ? `line\u0000${s.line}` : s.kind === 'shipment' ? `shipment\u0000${s.warehouse}` : 'general';
}

// The rules' plan of each order (to mark held orders and start from), and the availability
// per channel shown next to each warehouse: kept while rules, inventory, orders and day stay.
let outcomes: { key: string; byOrder: Map<string, BatchResult> } | null = null;
let availability: { key: string; byChannel: Map<string, Result<Availability>> } | null = null;

function rulesOutcomes(ev: Evaluation): Map<string, BatchResult> {
  const key = JSON.stringify([ev.rules, ev.inventory.text, ev.orders.map((o) => o.text), ev.asOf]);
  if (outcomes?.key !== key) {
    const byOrder = new Map<string, BatchResult>();
    const r = ev.ready?.routeBatch(ev.orders.map((o) => o.text), false, ev.asOf);
    if (r?.ok) r.value.forEach((b, i) => byOrder.set(ev.orders[i].id, b));
    outcomes = { key, byOrder };
  }
  return outcomes.byOrder;
}

function available(ev: Evaluation, channel: string | undefined): Availability | null {
  const key = JSON.stringify([ev.rules, ev.inventory.text]);
  if (availability?.key !== key) availability = { key, byChannel: new Map() };
  if (!ev.ready || !channel) return null;
  let r = availability.byChannel.get(channel);
  if (!r) availability.byChannel.set(channel, (r = ev.ready.available(channel)));
  return r.ok ? r.value : null;
}

function rulesPlan(b: BatchResult | undefined): Plan | null {
  return b && b.ok ? b.plan : null;
}

function isHeld(b: BatchResult | undefined): boolean {
  const p = rulesPlan(b);
  return !!p && !!holdOf(p);
}

/** The order being routed by hand: the one picked, else the first the rules hold, else the first. */
function pickedOrder(ev: Evaluation, results: Map<string, BatchResult>): OrderEntry | undefined {
  return ev.orders.find((o) => o.id === persisted.manualOrder)
    ?? ev.orders.find((o) => isHeld(results.get(o.id)))
    ?? ev.orders[0];
}

function currentDraft(order: OrderEntry, results: Map<string, BatchResult>): Draft {
  return readDraft(persisted.manual[order.id]) ?? draftFromPlan(order, rulesPlan(results.get(order.id)));
}

function save(orderId: string, draft: Draft) {
  persisted.manual[orderId] = JSON.stringify(draft);
  persist();
}

/** Redraws the view when it is open (after an edit of the rules, the inventory, the orders or the day). */
export function autoManual() {
  if (app.rightTab === 'manual') renderManual();
}

function blocked(ev: Evaluation): HTMLElement | null {
  const inv = ev.inventory;
  if (inv.kind === 'json') return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The inventory is not valid JSON, so no plan can be checked. '), inv.error.message);
  if (inv.kind === 'invalid') return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The inventory is invalid, so no plan can be checked. '), inv.diagnostics[0] ? sentence(inv.diagnostics[0]) : null);
  if (!ev.ready) {
    const d = ev.rulesErrors[0];
    return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The rules do not compile, so their eligible hook cannot check a plan. '), d ? sentence(d) : null);
  }
  if (ev.orders.length === 0) return h('p', { class: 'empty' }, 'Add an order on the Orders tab to route it by hand.');
  return null;
}

export function renderManual() {
  const ev = app.current;
  const box = $('manual');
  const select = $('manual-order');
  if (!ev || !(select instanceof HTMLSelectElement)) return;
  // Keep the focused field (and the caret in it) across the redraw that follows each keystroke.
  const focused = document.activeElement instanceof HTMLElement && box.contains(document.activeElement) ? document.activeElement : null;
  const focusId = focused?.id;
  const caret = focused instanceof HTMLInputElement && focused.type === 'text' ? [focused.selectionStart, focused.selectionEnd] : null;

  const why = blocked(ev);
  const results = why ? new Map<string, BatchResult>() : rulesOutcomes(ev);
  const signature = JSON.stringify(ev.orders.map((o) => [o.id, isHeld(results.get(o.id))]));
  if (select.dataset.signature !== signature) {
    select.dataset.signature = signature;
    replace(select, ev.orders.map((o) => h('option', { value: o.id },
      `${o.id}${isHeld(results.get(o.id)) ? ' · held by the rules' : ''} · ${o.view.lines.length} line${o.view.lines.length === 1 ? '' : 's'}`)));
  }
  if (why) {
    replace(box, why);
    return;
  }
  const order = pickedOrder(ev, results);
  if (!order) return;
  select.value = order.id;
  // The order shown stays the one worked on when the rules change (and stop holding it).
  if (persisted.manualOrder !== order.id) {
    persisted.manualOrder = order.id;
    persist();
  }
  const draft = currentDraft(order, results);
  replace(box, orderView(ev, order, draft, results.get(order.id)));
  if (focusId) {
    const el = document.getElementById(focusId);
    if (el) {
      el.focus();
      if (caret && el instanceof HTMLInputElement) el.setSelectionRange(caret[0], caret[1]);
    }
  }
}

export function setupManual() {
  const select = $('manual-order');
  if (!(select instanceof HTMLSelectElement)) return;
  select.addEventListener('change', () => {
    persisted.manualOrder = select.value;
    persist();
    renderManual();
  });
  $('manual-from-rules').addEventListener('click', () => {
    const ev = app.current;
    if (!ev || blocked(ev)) return;
    const results = rulesOutcomes(ev);
    const order = pickedOrder(ev, results);
    if (!order) return;
    save(order.id, draftFromPlan(order, rulesPlan(results.get(order.id))));
    renderManual();
  });
  $('manual-clear').addEventListener('click', () => {
    const ev = app.current;
    if (!ev || blocked(ev)) return;
    const order = pickedOrder(ev, rulesOutcomes(ev));
    if (!order) return;
    save(order.id, draftFromPlan(order, null));
    renderManual();
  });
}

function orderView(ev: Evaluation, order: OrderEntry, draft: Draft, rules: BatchResult | undefined): (HTMLElement | null)[] {
  const built = build(order, draft);
  const router = ev.ready;
  const checked: Result<Validation> | null = router ? router.validate(order.text, built.plan, ev.asOf) : null;
  // A rule that fails while checking (`eligible`) is the rules' problem: listed and underlined there too.
  if (checked && !checked.ok) addProblems(checked.error.diagnostics.filter((d) => d.code.startsWith('rule.')).map((diag) => ({ source: 'rules', diag, where: `order ${order.id}` })));
  // Every violation (or the data error) in the slot it names; all of them also in the list.
  const diagnostics: Diagnostic[] = !checked ? [] : checked.ok ? checked.value.violations : checked.error.diagnostics;
  const slots = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const k = slotKey(slotOf(d, built, draft));
    slots.set(k, [...(slots.get(k) ?? []), d]);
  }
  const at = (s: Slot) => violationList(slots.get(slotKey(s)) ?? []);
  const change = (f: () => void) => () => {
    f();
    save(order.id, draft);
    renderManual();
  };
  const stock = available(ev, order.view.channel);
  const plan = rulesPlan(rules);
  const hold = plan ? holdOf(plan) : undefined;
  // Until a person changes a line, the draft is the rules' plan and follows them.
  const touched = persisted.manual[order.id] !== undefined;

  return [
    orderSummary(order.view),
    hold
      ? h('div', { class: 'callout callout-held manual-held', role: 'note' }, h('strong', null, 'The rules hold this order: '), richText(hold.reason), h('p', null, 'Assign each line below; the engine checks the plan as you type.'))
      : h('p', { class: 'small muted manual-rules' }, !plan
        ? 'The rules cannot route this order (see the Order preview). Assign each line below.'
        : ['The rules route it: ', planBrief(plan, ev.warehouses), '. ', touched
          ? 'Below is the plan made by hand (Start from the rules\' plan to go back to theirs).'
          : 'It follows the rules until you change a line.']),
    h('p', { class: 'small muted' }, `Checked as of ${ev.asOf} (the As of day in the top bar): consignment periods that ended before it cannot ship.`),
    h('section', { class: 'manual-lines', 'aria-label': 'Order lines' },
      order.view.lines.map((line, li) => lineView(ev, draft, line, li, stock, at, change)),
    ),
    built.shipments.length ? h('section', { class: 'manual-shipments', 'aria-label': 'Shipments and their documents' },
      h('h3', null, 'Shipments ', h('span', { class: 'small muted' }, '· asking for documents is optional: the engine adds what each warehouse sends')),
      built.shipments.map((s, si) => shipmentView(ev, draft, s.warehouse, si, at, change)),
    ) : null,
    at({ kind: 'general' }),
    resultView(ev, order, checked, diagnostics),
  ];
}

type At = (s: Slot) => HTMLElement | null;
type Change = (f: () => void) => () => void;

function lineView(ev: Evaluation, draft: Draft, line: OrderEntry['view']['lines'][number], li: number, stock: Availability | null, at: At, change: Change): HTMLElement {
  const d = lineDraft(draft, line.id);
  const assigned = d.allocs.filter((a) => a.warehouse && a.qty.trim()).map((a) => a.qty.trim());
  const rest = restOf(line.qty, [...assigned]);
  // Nothing to do once the backorder is already the rest.
  const bo = d.backorder.trim();
  const restPending = rest !== null && !(/^\d+(\.\d+)?$/.test(bo) && decimalSign(sumDecimals([rest, `-${bo}`])) === 0);
  const perWarehouse = new Map((stock?.items.find((i) => i.sku === line.sku)?.warehouses ?? []).map((w) => [w.warehouse, w]));
  const options = (selected: string) => [
    h('option', { value: '', selected: selected === '' }, '— pick a warehouse —'),
    [...ev.warehouses.values()].map((w) => {
      const a = perWarehouse.get(w.id);
      // What the order's channel may take there, or why nothing (the engine's words, without backticks).
      const note = !w.enabled ? 'disabled' : !a ? `no ${line.sku}` : !a.included && a.reason ? a.reason.replace(/`/g, '') : `${qty(a.available)} available`;
      return h('option', { value: w.id, selected: selected === w.id }, `${w.id} · ${w.kind === 'consignment' ? 'consignment' : 'own'} · ${note}`);
    }),
  ];
  return h('fieldset', { class: 'manual-line', 'data-line': line.id },
    h('legend', null, `Line ${line.id}`, ' · ', h('span', { class: 'mono' }, line.sku), ` · ${qty(line.qty)} ordered`),
    d.allocs.map((a, row) => {
      const base = `manual-l${li}-r${row}`;
      return h('div', { class: `manual-alloc ${a.warehouse && a.qty.trim() ? '' : 'incomplete'}`, 'data-line': line.id, 'data-row': row, 'data-warehouse': a.warehouse },
        h('label', { class: 'field' }, 'From',
          h('select', { id: `${base}-wh`, class: 'manual-warehouse', 'aria-label': `Warehouse for line ${line.id}, row ${row + 1}`,
            onchange: (e: Event) => change(() => { a.warehouse = e.target instanceof HTMLSelectElement ? e.target.value : ''; })() }, options(a.warehouse))),
        h('label', { class: 'field' }, 'Qty',
          h('input', { id: `${base}-qty`, class: 'manual-qty', type: 'text', inputmode: 'decimal', size: 6, value: a.qty, spellcheck: 'false', 'aria-label': `Quantity for line ${line.id}, row ${row + 1}`,
            oninput: (e: Event) => change(() => { a.qty = e.target instanceof HTMLInputElement ? e.target.value : ''; })() })),
        a.warehouse ? kindBadge(ev.warehouses.get(a.warehouse)?.kind, true) : null,
        h('button', { type: 'button', class: 'small-btn manual-remove', 'aria-label': `Remove row ${row + 1} of line ${line.id}`,
          onclick: change(() => { d.allocs.splice(row, 1); }) }, 'Remove'),
        !a.warehouse || !a.qty.trim() ? h('span', { class: 'small muted' }, 'not in the plan until it has a warehouse and a quantity') : null,
        at({ kind: 'row', line: line.id, row }),
      );
    }),
    h('div', { class: 'manual-line-actions' },
      h('button', { type: 'button', class: 'small-btn manual-add', onclick: change(() => { d.allocs.push({ warehouse: '', qty: '' }); }) }, '+ Ship part from another warehouse'),
      h('label', { class: 'field' }, 'Backorder',
        h('input', { id: `manual-l${li}-bo`, class: 'manual-backorder', type: 'text', inputmode: 'decimal', size: 6, value: d.backorder, spellcheck: 'false', 'aria-label': `Backorder of line ${line.id}`,
          oninput: (e: Event) => change(() => { d.backorder = e.target instanceof HTMLInputElement ? e.target.value : ''; })() })),
      h('button', { type: 'button', class: 'small-btn manual-backorder-rest', disabled: !restPending, title: 'Backorder what the warehouses above do not ship',
        onclick: change(() => { if (rest !== null) d.backorder = rest; }) }, restPending ? `Backorder the rest (${rest})` : 'Backorder the rest'),
    ),
    at({ kind: 'line', line: line.id }),
  );
}

/** Ordered less the assigned quantities, when they are all numbers and leave a positive rest. */
function restOf(ordered: string, assigned: string[]): string | null {
  const nums = [ordered, ...assigned];
  if (!nums.every((n) => /^\d+(\.\d+)?$/.test(n))) return null;
  const scale = Math.max(...nums.map((n) => (n.split('.')[1] ?? '').length));
  const big = (n: string) => BigInt(n.replace('.', '') + '0'.repeat(scale - (n.split('.')[1] ?? '').length));
  const rest = assigned.reduce((acc, n) => acc - big(n), big(ordered));
  if (rest <= 0n) return null;
  const digits = rest.toString().padStart(scale + 1, '0');
  return qty(scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);
}

function shipmentView(ev: Evaluation, draft: Draft, warehouse: string, si: number, at: At, change: Change): HTMLElement {
  const w = ev.warehouses.get(warehouse);
  const asked = draft.documents[warehouse] ?? [];
  return h('div', { class: 'manual-shipment', 'data-warehouse': warehouse },
    h('div', { class: 'manual-shipment-head' }, h('strong', null, w?.name || warehouse), ' ', h('span', { class: 'mono muted' }, warehouse), ' ', kindBadge(w?.kind)),
    h('div', { class: 'manual-documents', role: 'group', 'aria-label': `Documents asked for with the shipment from ${warehouse}` },
      h('span', { class: 'small muted' }, 'Documents asked for:'),
      DOCUMENTS.map(({ doc, label }) => h('label', { class: 'field small' },
        h('input', { type: 'checkbox', id: `manual-s${si}-${doc}`, 'data-doc': doc, checked: asked.includes(doc),
          onchange: (e: Event) => change(() => {
            const on = e.target instanceof HTMLInputElement && e.target.checked;
            const next = asked.filter((x) => x !== doc);
            draft.documents[warehouse] = on ? [...next, doc] : next;
          })() }),
        label)),
    ),
    at({ kind: 'shipment', warehouse }),
  );
}

function violationList(ds: Diagnostic[]): HTMLElement | null {
  if (ds.length === 0) return null;
  return h('ul', { class: 'manual-violations' }, ds.map((d) => h('li', { class: 'violation', 'data-code': d.code, 'data-line': d.orderLine ?? '', 'data-warehouse': d.warehouse ?? '' },
    h('span', { class: 'violation-mark', 'aria-hidden': 'true' }, '⚠ '), richText(d.message), d.help ? h('span', { class: 'muted small' }, ' — ', richText(d.help)) : null)));
}

/** `line 1 · Vienna warehouse`: what a violation names, for the list under the plan. */
function named(d: Diagnostic, warehouses: Map<string, WarehouseView>): string {
  return [d.orderLine ? `line ${d.orderLine}` : '', d.warehouse ? warehouses.get(d.warehouse)?.name || d.warehouse : '', d.path && !d.orderLine ? d.path : '']
    .filter(Boolean).join(' · ');
}

function resultView(ev: Evaluation, order: OrderEntry, checked: Result<Validation> | null, diagnostics: Diagnostic[]): HTMLElement {
  const box = h('section', { class: 'manual-result', id: 'manual-result', 'aria-label': 'The checked plan', 'aria-live': 'polite' });
  if (!checked) return box;
  if (!checked.ok) {
    replace(box, h('div', { class: 'callout callout-error manual-invalid', role: 'alert', 'data-code': checked.error.code },
      h('strong', null, checked.error.code === 'data.invalid' ? 'This is not a plan the engine can read. ' : 'The plan could not be checked. '),
      diagnostics.map((d) => h('p', null, sentence(d, ev.warehouses)))));
    return box;
  }
  const v = checked.value;
  if (!v.valid || !v.plan) {
    const n = v.violations.length;
    replace(box, h('div', { class: 'callout callout-error manual-invalid', role: 'alert' },
      h('strong', null, `${n} violation${n === 1 ? '' : 's'}: this plan cannot ship as it is.`),
      h('ul', { class: 'manual-violation-list' }, v.violations.map((d) => h('li', { 'data-line': d.orderLine ?? '', 'data-warehouse': d.warehouse ?? '' },
        named(d, ev.warehouses) ? h('strong', { class: 'violation-where' }, named(d, ev.warehouses), ': ') : null, richText(d.message))))));
    return box;
  }
  const plan = v.plan;
  const router = ev.ready;
  replace(box,
    h('div', { class: 'callout callout-ok manual-valid', role: 'status' }, h('strong', null, 'The plan keeps every invariant. '), 'Completed by the engine: kinds, owners, forwarding and documents.'),
    planView(plan, ev.warehouses, order.view, {
      trace: false,
      shipmentExtra: router ? (s, i) => forwardingPreview(s, i, plan, order.text, router) : undefined,
    }),
  );
  return box;
}
