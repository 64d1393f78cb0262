// How a routing plan reads to a merchant: shipments first, then what waits, then why.
import { h, qty, richText } from './dom';
import type { Document, Hold, Plan, Shipment, TraceEntry } from './types';
import type { OrderView, WarehouseView } from './data';

type Warehouses = Map<string, WarehouseView>;

/** The hold of a held plan (whether or not the plan type is discriminated by status). */
export function holdOf(plan: Plan): Hold | undefined {
  return 'hold' in plan ? plan.hold : undefined;
}

export const statusLabel: Record<string, string> = {
  single: 'Single shipment',
  split: 'Split shipment',
  partial: 'Partly backordered',
  backordered: 'Backordered',
  held: 'Held for review',
  error: 'Failed',
};

const documentLabel: Record<Document, string> = {
  invoice: 'Invoice',
  packing_slip: 'Packing slip',
  pro_forma: 'Pro-forma invoice',
  shipping_label: 'Shipping label',
};

const stepLabel: Record<string, string> = {
  eligible: 'Eligibility',
  rank: 'Ranking',
  split: 'Split policy',
  allocate: 'Allocation',
  note: 'Rule note',
  hold: 'Hold',
  backorder: 'Backorder',
  route: 'Custom route',
};

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `status status-${status}`, 'data-status': status }, statusLabel[status] ?? status);
}

export function kindBadge(kind: string | undefined, short = false): HTMLElement {
  const k = kind === 'consignment' ? 'consignment' : 'own';
  return h('span', { class: `kind kind-${k}`, 'data-kind': k }, k === 'consignment' ? 'Consignment' : short ? 'Own' : 'Own warehouse');
}

function forwarding(s: Shipment): HTMLElement {
  const f = s.forward;
  if (f.method === 'email') return h('span', null, 'Emailed to ', h('strong', null, f.to));
  if (f.method === 'api') return h('span', null, 'Sent to API ', h('code', null, f.endpoint));
  return h('span', null, 'Picked by own WMS');
}

/** Identity of a shipment for diffs: where it ships from and exactly what. */
export function shipmentKey(s: Shipment): string {
  return JSON.stringify([s.warehouse, s.lines.map((l) => [l.line, l.qty])]);
}

export function shipmentCard(s: Shipment, index: number, warehouses: Warehouses, order?: OrderView, change?: 'added' | 'removed', extra?: HTMLElement | null): HTMLElement {
  const w = warehouses.get(s.warehouse);
  const ordered = new Map((order?.lines ?? []).map((l) => [l.id, qty(l.qty)]));
  const consignment = s.kind === 'consignment';
  return h('article', { class: `shipment ${consignment ? 'is-consignment' : 'is-own'} ${change ? `diff-${change}` : ''}`, 'data-warehouse': s.warehouse, 'data-change': change, 'aria-label': `Shipment ${index + 1} from ${w?.name || s.warehouse}${change ? ` (${change})` : ''}` },
    h('header', null,
      h('div', { class: 'shipment-title' },
        h('span', { class: 'shipment-index' }, `Shipment ${index + 1}`, change ? h('span', { class: `change-tag change-${change}` }, change === 'added' ? 'new in draft' : 'not in draft') : null),
        h('h3', null, w?.name || s.warehouse, ' ', h('span', { class: 'muted mono' }, s.warehouse)),
      ),
      kindBadge(s.kind),
    ),
    consignment && s.owner ? h('p', { class: 'owner' }, 'Held at ', h('strong', null, s.owner), ' · stock remains supplier-owned') : null,
    h('table', { class: 'lines' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'SKU'), h('th', { scope: 'col', class: 'num' }, 'Qty'))),
      h('tbody', null, s.lines.map((l) => h('tr', { 'data-line': l.line, 'data-sku': l.sku },
        h('td', { class: 'mono' }, l.line),
        h('td', { class: 'mono' }, l.sku),
        h('td', { class: 'num' }, qty(l.qty), ordered.has(l.line) && ordered.get(l.line) !== qty(l.qty) ? h('span', { class: 'muted' }, ` of ${ordered.get(l.line)}`) : null),
      ))),
    ),
    h('dl', { class: 'meta' },
      h('div', null, h('dt', null, 'Forwarding'), h('dd', { class: 'forward' }, forwarding(s))),
      h('div', null, h('dt', null, 'Documents'), h('dd', { class: 'documents' },
        s.documents.map((d) => h('span', { class: `doc doc-${d}`, 'data-doc': d }, documentLabel[d] ?? d)),
        consignment && !s.documents.includes('invoice') ? h('span', { class: 'doc-note' }, 'No invoice: ownership does not transfer') : null,
      )),
    ),
    extra,
  );
}

function traceList(trace: TraceEntry[], warehouses: Warehouses): HTMLElement {
  if (trace.length === 0) return h('p', { class: 'muted' }, 'No trace recorded.');
  return h('ol', { class: 'trace' }, trace.map((t) => h('li', { class: `trace-${t.step}` },
    h('span', { class: 'step' }, stepLabel[t.step] ?? t.step),
    t.warehouse ? h('span', { class: 'trace-wh', title: t.warehouse }, warehouses.get(t.warehouse)?.name || t.warehouse) : null,
    t.line ? h('span', { class: 'trace-line mono' }, `line ${t.line}`) : null,
    h('span', { class: 'trace-msg' }, richText(t.message)),
  )));
}

export interface PlanViewOptions {
  /** `collapsed`: the trace sits behind a disclosure (side-by-side diffs). */
  trace?: boolean | 'collapsed';
  /** The plan on the other side of a diff, and which side this one is. */
  other?: Plan | null;
  side?: 'saved' | 'draft';
  /** Drawn at the foot of a shipment's card (the forwarding preview), or null for none. */
  shipmentExtra?: (s: Shipment, index: number) => HTMLElement | null;
}

export function planView(plan: Plan, warehouses: Warehouses, order?: OrderView, opts: PlanViewOptions = {}): HTMLElement {
  const n = plan.shipments.length;
  const hold = holdOf(plan);
  const otherKeys = opts.other ? new Set(opts.other.shipments.map(shipmentKey)) : null;
  const change = (s: Shipment): 'added' | 'removed' | undefined =>
    otherKeys && !otherKeys.has(shipmentKey(s)) ? (opts.side === 'draft' ? 'added' : 'removed') : undefined;
  const why = h('section', { class: 'why', 'aria-label': 'Why this plan' },
    opts.trace === 'collapsed' ? null : h('h3', null, 'Why this plan'),
    traceList(plan.trace, warehouses),
  );
  return h('div', { class: 'plan', 'data-order': plan.order, 'data-status': plan.status },
    h('div', { class: 'plan-summary' },
      statusBadge(plan.status),
      h('span', { class: 'muted' }, n === 0 ? 'nothing ships now' : `${n} shipment${n === 1 ? '' : 's'} from ${[...new Set(plan.shipments.map((s) => warehouses.get(s.warehouse)?.name || s.warehouse))].join(', ')}`),
    ),
    hold ? h('div', { class: 'callout callout-held', role: 'note' },
      h('strong', null, 'Held for manual routing: '), richText(hold.reason),
      hold.lines.length ? h('p', { class: 'held-lines' }, 'Held: ', hold.lines.map((l) => `${qty(l.qty)} × ${l.sku}`).join(', ')) : null,
      h('p', { class: 'muted' }, 'Nothing ships and nothing is backordered until someone routes this order by hand.'),
    ) : null,
    n > 0 ? h('div', { class: 'shipments' }, plan.shipments.map((s, i) => shipmentCard(s, i, warehouses, order, change(s), opts.shipmentExtra?.(s, i)))) : null,
    plan.backorders.length > 0 ? h('section', { class: 'backorders', 'aria-label': 'Backorders' },
      h('h3', null, 'Backordered'),
      h('table', { class: 'lines' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'SKU'), h('th', { scope: 'col', class: 'num' }, 'Waits for stock'))),
        h('tbody', null, plan.backorders.map((l) => h('tr', { 'data-line': l.line }, h('td', { class: 'mono' }, l.line), h('td', { class: 'mono' }, l.sku), h('td', { class: 'num' }, qty(l.qty))))),
      ),
    ) : null,
    opts.trace === false ? null : opts.trace === 'collapsed' ? h('details', { class: 'why-details' }, h('summary', null, 'Why this plan'), why) : why,
  );
}

/** One-line description of a plan, for lists: `WH-A + CONS-1`, `held`, `backordered`. */
export function planBrief(plan: Plan, warehouses: Warehouses): string {
  if (holdOf(plan)) return 'held';
  const parts = plan.shipments.map((s) => warehouses.get(s.warehouse)?.name || s.warehouse);
  if (plan.backorders.length) parts.push(`${plan.backorders.length} backordered`);
  return parts.join(' + ') || 'nothing ships';
}
