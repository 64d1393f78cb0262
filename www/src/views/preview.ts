// The Order preview: pick an order, see how the draft routes it (shipments, documents,
// backorders, hold, trace). When something stops it from routing, the banner says what, each
// cause on its own (rules, inventory, the order), and the last good plan stays visible, dimmed.
// A consignment shipment can be opened to show what its retailer receives (views/forwarding.ts).
import { h, replace, richText, qty } from '../dom';
import { holdOf, planView } from '../plan';
import type { OrderView } from '../data';
import type { Plan } from '../types';
import type { Evaluation } from '../evaluate';
import { actions, persisted, persist, $ } from '../state';
import { explanation, problems } from '../words';
import { forwardingPreview } from './forwarding';

let lastPlan: { order: string; plan: Plan } | null = null;

/** Opens Manual routing on `orderId`. */
function routeByHand(orderId: string) {
  persisted.manualOrder = orderId;
  persist();
  actions.selectRightTab('manual');
}

/** Forgets the last good plan (another rule set or order is shown now). */
export function forgetLastPlan() {
  lastPlan = null;
}

export function renderOrderPicker(ev: Evaluation) {
  const select = $('order-select');
  if (!(select instanceof HTMLSelectElement)) return;
  const signature = ev.orders.map((o) => o.id).join('\u0000');
  if (select.dataset.signature !== signature) {
    select.dataset.signature = signature;
    replace(select, ev.orders.map((o) => {
      const n = o.view.lines.length;
      return h('option', { value: o.id }, `${o.id} · ${o.view.channel ?? '?'} · ${o.view.country ?? '?'} · ${n} line${n === 1 ? '' : 's'}`);
    }));
  }
  select.value = ev.order?.id ?? '';
}

export function orderSummary(o: OrderView): HTMLElement {
  return h('div', { class: 'order-summary' },
    h('dl', { class: 'facts' },
      h('div', null, h('dt', null, 'Channel'), h('dd', null, o.channel ?? '—')),
      h('div', null, h('dt', null, 'Ship to'), h('dd', null, [o.country, o.postcode].filter(Boolean).join(' ') || '—')),
      h('div', null, h('dt', null, 'Customer'), h('dd', null, (o.customerType ?? 'b2c').toUpperCase(), o.customerTags.length ? ` · ${o.customerTags.join(', ')}` : '')),
      h('div', null, h('dt', null, 'Ordered'), h('dd', null, o.lines.map((l) => `${qty(l.qty)} × ${l.sku}`).join(', '))),
    ),
  );
}

/** Why the selected order has no plan: one paragraph per cause. */
function causes(ev: Evaluation, orderId: string): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (ev.rulesErrors.length) {
    const first = ev.rulesErrors[0];
    out.push(h('p', { class: 'cause cause-rules' },
      h('strong', null, `The rules do not compile (${problems(ev.rulesErrors.length)}).`), ' ',
      first.line ? `Line ${first.line}: ` : '', richText(first.message)));
  }
  const inv = ev.inventory;
  if (inv.kind === 'json') {
    out.push(h('p', { class: 'cause cause-inventory' }, h('strong', null, 'The inventory is not valid JSON: '), inv.error.message));
  } else if (inv.kind === 'invalid') {
    const first = inv.diagnostics[0];
    out.push(h('p', { class: 'cause cause-inventory' },
      h('strong', null, 'The inventory is invalid'),
      first?.path ? [' at ', h('code', null, first.path)] : null, ': ', richText(first?.message ?? ''),
      inv.diagnostics.length > 1 ? ` (and ${inv.diagnostics.length - 1} more)` : '',
      first?.help ? h('span', { class: 'muted' }, ' ', richText(first.help)) : null));
  }
  if (ev.routeError) {
    const d = ev.routeError.diagnostics[0];
    out.push(h('div', { class: 'cause cause-route' },
      h('strong', null, `Routing ${orderId} failed. `),
      d ? explanation(d, ev.warehouses) : richText(ev.routeError.message)));
  }
  return out;
}

export function renderPreview(ev: Evaluation) {
  const box = $('preview');
  const banner = $('preview-banner');
  const order = ev.order;
  if (!order) {
    replace(banner);
    replace(box, h('p', { class: 'empty' }, 'Add an order on the Orders tab to see how these rules route it.'));
    return;
  }
  if (ev.plan) {
    lastPlan = { order: order.id, plan: ev.plan };
    replace(banner);
    const plan = ev.plan;
    const router = ev.ready;
    replace(box, orderSummary(order.view), planView(plan, ev.warehouses, order.view, {
      shipmentExtra: router ? (s, i) => forwardingPreview(s, i, plan, order.text, router) : undefined,
    }), holdOf(plan) ? h('p', { class: 'route-by-hand' },
      h('button', { type: 'button', class: 'primary', id: 'route-by-hand', onclick: () => routeByHand(order.id) }, 'Route by hand'),
      h('span', { class: 'muted small' }, ' Assign its lines to warehouses yourself; the engine checks the plan as you type.')) : null);
    box.classList.remove('stale');
    return;
  }
  const stale = lastPlan && lastPlan.order === order.id ? lastPlan.plan : null;
  replace(banner, h('div', { class: 'callout callout-error', role: 'alert' },
    causes(ev, order.id),
    stale ? h('p', { class: 'muted' }, 'Showing the last successful result below.') : null,
  ));
  if (stale) {
    replace(box, orderSummary(order.view), planView(stale, ev.warehouses, order.view));
    box.classList.add('stale');
  } else {
    replace(box, orderSummary(order.view));
    box.classList.remove('stale');
  }
}

