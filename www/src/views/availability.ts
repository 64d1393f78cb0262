// Availability: per channel and SKU what may be sold (offered, Σ over warehouses, channel
// safety, reservations, the `adjust` hook's change), and per row the per-warehouse breakdown
// (own/consignment, on hand, reserved, safety, available, the `offer` hook's change, offered,
// why a warehouse is excluded).
import { h, replace, qty, richText } from '../dom';
import { kindBadge } from '../plan';
import type { Availability } from '../types';
import type { ChannelView, WarehouseView } from '../data';
import { app, persisted, $ } from '../state';
import { addProblems } from './problems';
import { explanation } from '../words';

/** Why availability cannot be computed, or null when it can. */
function blocked(): HTMLElement | null {
  const ev = app.current;
  if (!ev) return h('p', { class: 'empty' }, 'Loading…');
  const inv = ev.inventory;
  if (inv.kind === 'json') return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The inventory is not valid JSON: '), inv.error.message);
  if (inv.kind === 'invalid') {
    const d = inv.diagnostics[0];
    return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The inventory is invalid, so nothing can be offered. '), d ? explanation(d) : null);
  }
  if (!ev.ready) return h('p', { class: 'empty' }, 'Availability appears once the rules compile.');
  return null;
}

export function renderAvailability() {
  const box = $('availability');
  const why = blocked();
  const ev = app.current;
  if (why || !ev?.ready) {
    replace(box, why);
    return;
  }
  const channelViews = ev.inventory.kind === 'json' ? [] : ev.inventory.view?.channels ?? [];
  const channels = channelViews.map((c) => c.id);
  const select = $('channel-select');
  if (!(select instanceof HTMLSelectElement)) return;
  const sig = channels.join('\u0000');
  if (select.dataset.signature !== sig) {
    select.dataset.signature = sig;
    replace(select, h('option', { value: '' }, 'All channels'), channels.map((c) => h('option', { value: c }, c)));
  }
  const channel = persisted.channel && channels.includes(persisted.channel) ? persisted.channel : '';
  select.value = channel;
  const r = ev.ready.available(channel || undefined);
  if (!r.ok) {
    const d = r.error.diagnostics[0];
    replace(box, h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'Availability failed. '), d ? explanation(d, ev.warehouses) : richText(r.error.message)));
    // Errors in `offer`/`adjust` belong in the problems list and under the squiggle too.
    addProblems(r.error.diagnostics.map((diag) => ({ source: 'rules', diag, where: diag.warehouse ? `warehouse ${diag.warehouse}` : undefined })));
    return;
  }
  replace(box, availabilityTable(r.value, channelViews));
}

const expanded = new Set<string>();

function availabilityTable(av: Availability, channels: ChannelView[]): HTMLElement {
  const warehouses = app.current?.warehouses ?? new Map<string, WarehouseView>();
  const rows: HTMLElement[] = [];
  const channelInfo = new Map(channels.map((c) => [c.id, c]));
  let group = '';
  for (const it of av.items) {
    if (it.channel !== group) {
      group = it.channel;
      const c = channelInfo.get(group);
      rows.push(h('tr', { class: 'av-group' }, h('th', { colspan: 6, scope: 'rowgroup' },
        h('span', { class: 'av-channel' }, group),
        h('span', { class: 'muted small' }, c?.includeConsignment ? ' · own + consignment stock' : ' · own stock only', ` · channel safety ${qty(c?.safety ?? 0)}`),
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
          const now = expanded.has(key);
          if (e.currentTarget instanceof HTMLElement) e.currentTarget.setAttribute('aria-expanded', String(now));
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
