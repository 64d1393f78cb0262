// The warehouses and channels at a glance, above the inventory JSON: own and consignment
// badged apart, country, priority and how many SKUs each holds.
import { h, replace } from '../dom';
import { kindBadge } from '../plan';
import type { Evaluation } from '../evaluate';
import { $ } from '../state';

let drawnFor: string | null = null;

export function renderInventorySummary(ev: Evaluation) {
  // Redrawn only when the inventory text changed, not on every keystroke in the rules.
  if (drawnFor === ev.inventory.text) return;
  drawnFor = ev.inventory.text;
  const box = $('inventory-summary');
  const inv = ev.inventory.kind === 'json' ? null : ev.inventory.view;
  if (!inv) {
    replace(box);
    return;
  }
  replace(box,
    h('table', { class: 'wh-table' },
      h('thead', null, h('tr', null, ['Warehouse', 'Kind', 'Country', 'Priority', 'SKUs'].map((c, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : '' }, c)))),
      h('tbody', null, inv.warehouses.map((w) => h('tr', { 'data-warehouse': w.id, class: w.enabled ? '' : 'wh-excluded' },
        h('td', null, h('span', { class: 'wh-name', title: w.id }, w.name || w.id), w.enabled ? null : h('span', { class: 'muted small' }, ' · disabled')),
        h('td', null, kindBadge(w.kind, true)),
        h('td', null, w.country ?? ''),
        h('td', { class: 'num' }, w.priority ?? 0),
        h('td', { class: 'num' }, inv.skusPerWarehouse.get(w.id) ?? 0),
      ))),
    ),
    h('p', { class: 'small muted channels-line' }, 'Channels: ', inv.channels.map((c, i) => [
      i ? ', ' : '', h('strong', null, c.id), c.includeConsignment ? ' (own + consignment)' : ' (own only)',
    ])),
  );
}
