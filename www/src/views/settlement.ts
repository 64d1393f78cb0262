// Settlement: per consignment location and period, from the event log on the Events tab
// (`settle(inventory, events, period)`): units sent, sold, forwarded, returned and on hand
// per SKU, every discrepancy flagged where it occurs (never folded into another column), the
// lines to invoice to the retailer (sold goods only, at the price in its terms) and the
// returns list. An event log with errors settles nothing: each error is named with its line
// here and in Problems, and underlined in the Events editor.
import { h, replace, qty, richText, sumDecimals } from '../dom';
import * as engine from '../engine';
import type { InventoryState, Problem } from '../evaluate';
import type { Diagnostic, LocationSettlement, Settlement, SkuSettlement } from '../types';
import { actions, app, persisted, persist, $ } from '../state';
import { explanation } from '../words';

/** The period the view opens with: the month the sample events cover. */
export const DEFAULT_PERIOD = '2026-11';

export type SettlementState =
  | { kind: 'inventory'; message: string; diagnostic?: Diagnostic }
  | { kind: 'period'; diagnostic: Diagnostic }
  | { kind: 'events'; diagnostics: Diagnostic[] }
  | { kind: 'failed'; diagnostic: Diagnostic }
  | { kind: 'ok'; settlement: Settlement };

export function period(): string {
  return persisted.period?.trim() || DEFAULT_PERIOD;
}

// Settling depends only on the inventory, the events and the period, not on the rules: the
// verdict is kept while only the rules change.
let cache: { inventory: string; events: string; period: string; state: SettlementState } | null = null;

/** Settles the events for the current period (cached by its inputs). */
export function judgeSettlement(inventory: InventoryState, events: string): SettlementState {
  const p = period();
  if (cache && cache.inventory === inventory.text && cache.events === events && cache.period === p) return cache.state;
  let state: SettlementState;
  if (inventory.kind === 'json') state = { kind: 'inventory', message: 'The inventory is not valid JSON, so nothing can be settled.' };
  else if (inventory.kind === 'invalid') state = { kind: 'inventory', message: 'The inventory is invalid, so nothing can be settled.', diagnostic: inventory.diagnostics[0] };
  else {
    const r = engine.settle(inventory.text, events, p);
    if (r.ok) state = { kind: 'ok', settlement: r.value };
    else {
      const ds = r.error.diagnostics;
      const periodError = ds.find((d) => d.path === 'period');
      if (periodError) state = { kind: 'period', diagnostic: periodError };
      else if (ds.some((d) => d.line)) state = { kind: 'events', diagnostics: ds };
      else state = { kind: 'failed', diagnostic: ds[0] ?? { code: r.error.code, severity: 'error', message: r.error.message } };
    }
  }
  cache = { inventory: inventory.text, events, period: p, state };
  return state;
}

/** The event log's errors as problems of the Events editor, each at its line. */
export function eventProblems(state: SettlementState): Problem[] {
  if (state.kind !== 'events') return [];
  return state.diagnostics.map((d) => ({ source: 'events', diag: d, orderLine: d.line }));
}

/** Redraws the view when it is open (after an edit of the inventory, the events or the period). */
export function autoSettlement() {
  if (app.rightTab === 'settlement') renderSettlement();
}

export function setupSettlement(onPeriodChanged: () => void) {
  const input = $('settle-period');
  if (!(input instanceof HTMLInputElement)) return;
  input.value = period();
  let timer: number | undefined;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      persisted.period = input.value;
      persist();
      onPeriodChanged();
    }, 250);
  });
  input.addEventListener('change', () => {
    window.clearTimeout(timer);
    persisted.period = input.value;
    persist();
    onPeriodChanged();
  });
}

export function renderSettlement() {
  const ev = app.current;
  const box = $('settlement');
  const input = $('settle-period');
  if (!ev) return;
  const state = ev.settlement;
  input.setAttribute('aria-invalid', String(state.kind === 'period'));
  if (state.kind === 'inventory') {
    replace(box, h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, state.message), ' ', state.diagnostic ? explanation(state.diagnostic) : null));
    return;
  }
  if (state.kind === 'period') {
    replace(box, h('div', { class: 'callout callout-error settle-period-error', role: 'alert' }, h('strong', null, 'This period cannot be settled. '), richText(state.diagnostic.message), state.diagnostic.help ? h('p', { class: 'muted' }, richText(state.diagnostic.help)) : null));
    return;
  }
  if (state.kind === 'failed') {
    replace(box, h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'Settling failed. '), explanation(state.diagnostic, ev.warehouses)));
    return;
  }
  if (state.kind === 'events') {
    const n = state.diagnostics.length;
    replace(box, h('div', { class: 'callout callout-error settle-events-error', role: 'alert' },
      h('strong', null, `The event log has ${n} error${n === 1 ? '' : 's'}, so nothing was settled.`),
      ' A skipped event would silently change the figures; fix each line on the Events tab.',
      h('ul', { class: 'blocked-list' }, state.diagnostics.map((d) => h('li', { 'data-line': d.line ?? '' },
        h('button', { type: 'button', class: 'link-btn', onclick: () => revealEvent(d.line) }, `Line ${d.line ?? '?'}`), ': ',
        richText(d.message), d.path ? h('span', { class: 'muted' }, ' (at ', h('code', null, d.path), ')') : null,
      ))),
    ));
    return;
  }
  const s = state.settlement;
  const names = ev.warehouses;
  replace(box,
    h('p', { class: 'settle-intro' },
      `${s.period.from} to ${s.period.to}: ${s.locations.length} consignment location${s.locations.length === 1 ? '' : 's'}, from ${countEvents()} on the Events tab. `,
      h('span', { class: 'muted' }, 'Per SKU: opening + sent = sold + forwarded + returned + on hand + discrepancy.'),
    ),
    s.locations.length === 0 ? h('p', { class: 'empty' }, 'The inventory has no consignment locations.') : summaryTable(s, names),
    s.locations.map((l) => locationView(l, names.get(l.warehouse)?.name)),
  );
}

function countEvents(): string {
  const n = (app.eventsView?.state.doc.toString() ?? '').split('\n').filter((l) => l.trim() && !l.trim().startsWith('//')).length;
  return `${n} event${n === 1 ? '' : 's'}`;
}

/** Shows the Events tab with the cursor on `line` (an event the engine names by its line). */
export function revealEvent(line: number | undefined) {
  const view = app.eventsView;
  if (!view || !line || line > view.state.doc.lines) return;
  actions.selectLeftTab('events');
  view.dispatch({ selection: { anchor: view.state.doc.line(line).from }, scrollIntoView: true });
  view.focus();
}

/** `EUR 1,234.50`-like, from an exact decimal string (never through a float). */
export function money(v: string | undefined, currency: string | undefined): string {
  if (v === undefined) return '—';
  const neg = v.startsWith('-');
  const [int, frac = ''] = (neg ? v.slice(1) : v).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = frac.length >= 2 ? frac : frac.padEnd(2, '0');
  return `${neg ? '−' : ''}${currency ? `${currency} ` : ''}${grouped}.${cents}`;
}

function isZero(v: string): boolean {
  return /^-?0*(\.0*)?$/.test(v);
}

/** `1 missing`, `2 surplus`, or `0`. */
function discrepancyText(v: string): string {
  if (isZero(v)) return '0';
  return v.startsWith('-') ? `${qty(v.slice(1))} surplus` : `${qty(v)} missing`;
}

function summaryTable(s: Settlement, names: Map<string, { name?: string }>): HTMLElement {
  const sum = (xs: SkuSettlement[], k: 'sold' | 'on_hand') => sumDecimals(xs.map((x) => x[k]));
  return h('table', { class: 'summary settle-summary', 'aria-label': 'Settlement per location' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Location'), h('th', { scope: 'col', class: 'num' }, 'Sold'), h('th', { scope: 'col', class: 'num' }, 'To invoice'),
      h('th', { scope: 'col', class: 'num' }, 'On hand'), h('th', { scope: 'col', class: 'num' }, 'Discrepancies'),
    )),
    h('tbody', null, s.locations.map((l) => h('tr', { 'data-warehouse': l.warehouse },
      h('th', { scope: 'row' }, h('a', { href: `#settle-${l.warehouse}` }, names.get(l.warehouse)?.name || l.warehouse)),
      h('td', { class: 'num sold' }, qty(sum(l.skus, 'sold'))),
      h('td', { class: 'num invoice-total' }, money(l.invoice_total, l.currency)),
      h('td', { class: 'num on-hand' }, qty(sum(l.skus, 'on_hand'))),
      h('td', { class: `num discrepancy-count ${l.discrepancies.length ? 'flag' : ''}` }, l.discrepancies.length ? `⚠ ${l.discrepancies.length}` : '0'),
    ))),
  );
}

function locationView(l: LocationSettlement, name: string | undefined): HTMLElement {
  const salesText = l.sales === 'from_syncs' ? 'sold = units missing at the retailer’s stock counts' : 'sold = what the retailer reports';
  return h('section', { class: 'settle-location', id: `settle-${l.warehouse}`, 'data-warehouse': l.warehouse, 'aria-label': `Settlement of ${name || l.warehouse}` },
    h('header', { class: 'settle-head' },
      h('h3', null, name || l.warehouse, ' ', h('span', { class: 'muted mono' }, l.warehouse)),
      h('p', { class: 'small muted' },
        l.retailer ? ['Retailer ', h('strong', null, l.retailer), ' · '] : null,
        `prices in ${l.currency ?? 'the supplier’s currency'} · ${salesText}`,
        l.period_end ? ` · consignment period ends ${l.period_end}` : '',
        l.period_ended ? h('span', { class: 'period-ended' }, ' · period ended: everything on hand is due back') : null,
      ),
    ),
    l.discrepancies.length ? h('div', { class: 'callout callout-warn settle-discrepancies', role: 'note' },
      h('strong', null, `${l.discrepancies.length} discrepanc${l.discrepancies.length === 1 ? 'y' : 'ies'}: units the events cannot account for`),
      h('ul', null, l.discrepancies.map((d) => h('li', { 'data-sku': d.sku }, richText(d.message)))),
    ) : null,
    l.issues.length ? h('div', { class: 'callout callout-warn settle-issues', role: 'note' },
      h('strong', null, 'To sort out before invoicing'),
      h('ul', null, l.issues.map((i) => h('li', null, richText(i)))),
    ) : null,
    l.skus.length === 0
      ? h('p', { class: 'empty' }, 'No events for this location in or before the period.')
      : h('table', { class: 'settle-skus', 'aria-label': `Stock movements at ${l.warehouse}` },
        h('thead', null, h('tr', null, ['SKU', 'Opening', 'Sent', 'Sold', 'Forwarded', 'Returned', 'On hand', 'Discrepancy', 'Counted'].map((c, i) => h('th', { scope: 'col', class: i >= 1 && i <= 7 ? 'num' : '' }, c)))),
        h('tbody', null, l.skus.map((k) => h('tr', { 'data-sku': k.sku, class: isZero(k.discrepancy) ? '' : 'has-discrepancy' },
          h('th', { scope: 'row', class: 'mono' }, k.sku),
          h('td', { class: 'num opening' }, qty(k.opening)),
          h('td', { class: 'num sent' }, qty(k.sent)),
          h('td', { class: 'num sold' }, qty(k.sold)),
          h('td', { class: 'num forwarded' }, qty(k.forwarded)),
          h('td', { class: 'num returned' }, qty(k.returned)),
          h('td', { class: 'num on-hand' }, qty(k.on_hand)),
          h('td', { class: `num discrepancy ${isZero(k.discrepancy) ? '' : 'flag'}` }, isZero(k.discrepancy) ? '0' : ['⚠ ', discrepancyText(k.discrepancy)]),
          h('td', { class: 'counted small' }, k.counted ?? h('span', { class: 'muted' }, 'never counted')),
        ))),
      ),
    h('div', { class: 'settle-grid' },
      h('section', { class: 'settle-invoice', 'aria-label': `Invoice lines for ${l.retailer ?? l.warehouse}` },
        h('h4', null, 'Invoice to the retailer ', h('span', { class: 'muted small' }, '(sold goods only)')),
        l.invoice.length === 0
          ? h('p', { class: 'empty small' }, 'Nothing sold in this period: nothing to invoice.')
          : h('table', { class: 'lines' },
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'SKU'), h('th', { scope: 'col' }, 'Description'), h('th', { scope: 'col', class: 'num' }, 'Qty'), h('th', { scope: 'col', class: 'num' }, 'Unit price'), h('th', { scope: 'col', class: 'num' }, 'Amount'))),
            h('tbody', null, l.invoice.map((i) => h('tr', { 'data-sku': i.sku },
              h('td', { class: 'mono' }, i.sku), h('td', null, i.description), h('td', { class: 'num qty' }, qty(i.qty)),
              h('td', { class: 'num' }, i.unit_price === undefined ? h('span', { class: 'flag' }, 'no price') : money(i.unit_price, undefined)),
              h('td', { class: 'num amount' }, i.amount === undefined ? '—' : money(i.amount, undefined)),
            ))),
            h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: 4 }, 'Total'), h('td', { class: 'num invoice-total' }, h('strong', null, money(l.invoice_total, l.currency))))),
          ),
      ),
      h('section', { class: 'settle-returns', 'aria-label': `Returns from ${l.warehouse}` },
        h('h4', null, 'Returns ', h('span', { class: 'muted small' }, l.period_end ? `(on hand; due back when the period ends, ${l.period_end})` : '(on hand at the period end)')),
        l.returns.length === 0
          ? h('p', { class: 'empty small' }, 'Nothing on hand: nothing to return.')
          : h('table', { class: 'lines' },
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'SKU'), h('th', { scope: 'col' }, 'Description'), h('th', { scope: 'col', class: 'num' }, 'Qty'), h('th', { scope: 'col' }, 'Due'))),
            h('tbody', null, l.returns.map((r) => h('tr', { 'data-sku': r.sku, class: r.due ? 'due' : '' },
              h('td', { class: 'mono' }, r.sku), h('td', null, r.description), h('td', { class: 'num qty' }, qty(r.qty)),
              h('td', { class: 'due-state' }, r.due ? h('strong', { class: 'flag' }, 'due now') : 'not yet'),
            ))),
          ),
      ),
    ),
  );
}
