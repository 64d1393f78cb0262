// The status bar: the rules' state and the inventory's state side by side (a bad inventory
// value never makes the rules look broken), then whether the selected order routes and
// whether every order line could be read, and how the hooks run (compiled or interpreted).
import { h, replace } from '../dom';
import { hookModesSummary } from './hooks';
import type { Evaluation } from '../evaluate';
import { $ } from '../state';
import { problems } from '../words';

function chip(ok: boolean | 'warn', text: string, id: string): HTMLElement {
  return h('span', { class: `dot ${ok === 'warn' ? 'dot-warn' : ok ? 'dot-ok' : 'dot-error'}`, id }, text);
}

export function renderStatus(ev: Evaluation) {
  const inv = ev.inventory;
  const unreadable = ev.orderErrors.length;
  replace($('engine-state'),
    ev.rulesErrors.length === 0
      ? chip(true, 'Rules compile', 'state-rules')
      : chip(false, `Rules do not compile (${problems(ev.rulesErrors.length)})`, 'state-rules'),
    chip(inv.kind === 'ok', inv.kind === 'ok' ? 'Inventory valid' : inv.kind === 'json' ? 'Inventory is not valid JSON' : 'Inventory invalid', 'state-inventory'),
    ev.routeError && ev.order ? chip(false, `Routing ${ev.order.id} fails`, 'state-route') : null,
    unreadable ? chip(false, `${unreadable} unreadable order line${unreadable === 1 ? '' : 's'}`, 'state-orders') : null,
    ev.hookModes
      ? chip(ev.hookModes.every((m) => m.mode === 'compiled') ? true : 'warn', hookModesSummary(ev.hookModes), 'state-hooks')
      : null,
  );
}
