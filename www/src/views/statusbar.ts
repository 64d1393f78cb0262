// The status bar: the rules' state and the inventory's state side by side (a bad inventory
// value never makes the rules look broken), plus unreadable order lines.
import { h, replace } from '../dom';
import type { Evaluation } from '../evaluate';
import { $ } from '../state';
import { problems } from '../words';

function chip(ok: boolean, text: string, id: string): HTMLElement {
  return h('span', { class: `dot ${ok ? 'dot-ok' : 'dot-error'}`, id }, text);
}

export function renderStatus(ev: Evaluation) {
  const rulesOk = ev.rulesErrors.length === 0;
  const inv = ev.inventory;
  const runtime = ev.problems.filter((p) => p.source === 'rules' && p.diag.severity !== 'warning').length;
  replace($('engine-state'),
    chip(rulesOk && runtime === 0, rulesOk ? runtime ? `Rules compile · ${problems(runtime)} when routing` : 'Rules compile' : `Rules do not compile · ${problems(ev.rulesErrors.length)}`, 'state-rules'),
    chip(inv.kind === 'ok', inv.kind === 'ok' ? 'Inventory valid' : inv.kind === 'json' ? 'Inventory is not valid JSON' : 'Inventory invalid', 'state-inventory'),
    ev.orderErrors.length ? chip(false, `Orders: ${ev.orderErrors.length} unreadable line${ev.orderErrors.length === 1 ? '' : 's'}`, 'state-orders') : null,
  );
}
