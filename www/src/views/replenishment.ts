// Replenishment: per retailer (grouped by owner) and consignment location, what the engine
// proposes to send of each SKU (`router.replenishment`): stock there, sell-through, days of
// cover, reorder point, target, the most that may go and the proposal, each with the
// engine's reasoning in words (the caps of own stock to spare and of the period end, and
// what the draft's `replenish` hook kept, changed or vetoed). Inputs: the loaded inventory,
// the consignment events (the Events tab, or the bundled sample month), the sales window and
// the As of day. It is recomputed after every evaluation while the view is open, so a
// `replenish` hook typed into the draft shows its effect as you type.
import { h, replace, qty, richText, sumDecimals, decimalSign } from '../dom';
import { sampleEvents } from '../bundled';
import type { Result } from '../engine';
import type { Diagnostic, OwnStock, Proposal, Replenishment, RuleDecision, Skipped } from '../types';
import type { Evaluation } from '../evaluate';
import type { WarehouseView } from '../data';
import { app, eventsView, persisted, persist, $ } from '../state';
import { explanation } from '../words';
import { revealEvent } from './settlement';
import { addProblems } from './problems';

/** `limit` when neither the period end nor own stock limits a proposal (the engine's largest quantity). */
const NO_LIMIT = '1000000000000000';

type Source = 'events' | 'sample';

function source(): Source {
  return persisted.replenishSource === 'sample' ? 'sample' : 'events';
}

function sourceText(s: Source): string {
  return s === 'sample' ? sampleEvents : eventsView().state.doc.toString();
}

/**
 * The window typed (whole days), undefined for the engine's default of 28. Anything else is
 * passed on as typed, so the engine's own `options.invalid` error names the problem.
 */
function windowDays(): number | undefined {
  const t = persisted.replenishWindow?.trim();
  if (!t) return undefined;
  return Number(t);
}

// Proposals depend on the rules, the inventory, the events, the day and the window: kept
// while none of them changes (re-opening the view, or edits elsewhere, cost nothing).
let cache: { key: string; result: Result<Replenishment> } | null = null;

function compute(ev: Evaluation): Result<Replenishment> | null {
  const router = ev.ready;
  if (!router) return null;
  const events = sourceText(source());
  const days = windowDays();
  const key = JSON.stringify([ev.rules, ev.inventory.text, events, ev.asOf, days ?? null]);
  if (cache?.key !== key) {
    cache = { key, result: router.replenishment({ as_of: ev.asOf, events, window_days: days }) };
  }
  return cache.result;
}

export function setupReplenishment(onChanged: () => void) {
  const select = $('replenish-source');
  const input = $('replenish-window');
  if (!(select instanceof HTMLSelectElement) || !(input instanceof HTMLInputElement)) return;
  select.value = source();
  input.value = persisted.replenishWindow ?? '';
  select.addEventListener('change', () => {
    persisted.replenishSource = select.value;
    persist();
    onChanged();
  });
  let timer: number | undefined;
  const apply = () => {
    window.clearTimeout(timer);
    persisted.replenishWindow = input.value;
    persist();
    onChanged();
  };
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 250);
  });
  input.addEventListener('change', apply);
}

/** Redraws the view when it is open (after any evaluation: rules, inventory, events, day). */
export function autoReplenishment() {
  if (app.rightTab === 'replenishment') renderReplenishment();
}

function blocked(ev: Evaluation): HTMLElement | null {
  const inv = ev.inventory;
  if (inv.kind === 'json') return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The inventory is not valid JSON, so nothing can be proposed. '), inv.error.message);
  if (inv.kind === 'invalid') {
    const d = inv.diagnostics[0];
    return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The inventory is invalid, so nothing can be proposed. '), d ? explanation(d) : null);
  }
  if (!ev.ready) {
    const d = ev.rulesErrors[0];
    return h('div', { class: 'callout callout-error', role: 'alert' },
      h('strong', null, 'The rules do not compile, so their replenish hook cannot run and nothing is proposed. '),
      d ? explanation(d) : null);
  }
  return null;
}

function failure(ev: Evaluation, ds: Diagnostic[]): HTMLElement {
  const windowError = ds.find((d) => d.path === 'window_days');
  if (windowError) {
    return h('div', { class: 'callout callout-error replenish-window-error', role: 'alert' },
      h('strong', null, 'These proposals cannot be made for this window. '), richText(windowError.message));
  }
  const lined = ds.filter((d) => d.line && d.code === 'data.invalid');
  if (lined.length && source() === 'events') {
    const n = lined.length;
    return h('div', { class: 'callout callout-error replenish-events-error', role: 'alert' },
      h('strong', null, `The event log has ${n} error${n === 1 ? '' : 's'}, so no sales can be measured and nothing is proposed.`),
      ' Fix each line on the Events tab.',
      h('ul', { class: 'blocked-list' }, lined.map((d) => h('li', { 'data-line': d.line ?? '' },
        h('button', { type: 'button', class: 'link-btn', onclick: () => revealEvent(d.line) }, `Line ${d.line ?? '?'}`), ': ', richText(d.message),
      ))),
    );
  }
  const d = ds[0];
  return h('div', { class: 'callout callout-error replenish-failed', role: 'alert' },
    h('strong', null, 'No proposals could be made. '), d ? explanation(d, ev.warehouses) : null);
}

export function renderReplenishment() {
  const ev = app.current;
  const box = $('replenishment');
  if (!ev) return;
  $('replenish-as-of').textContent = ev.asOf;
  const input = $('replenish-window');
  const why = blocked(ev);
  const r = why ? null : compute(ev);
  input.setAttribute('aria-invalid', String(!!r && !r.ok && r.error.diagnostics.some((d) => d.path === 'window_days')));
  if (why || !r) {
    replace(box, why);
    return;
  }
  if (!r.ok) {
    replace(box, failure(ev, r.error.diagnostics));
    // A failing `replenish` hook belongs in the problems list and under the squiggle too.
    addProblems(r.error.diagnostics.filter((d) => d.code.startsWith('rule.')).map((diag) => ({ source: 'rules', diag, where: diag.warehouse ? `warehouse ${diag.warehouse}` : undefined })));
    return;
  }
  replace(box, resultView(r.value, ev.warehouses));
}

function resultView(r: Replenishment, warehouses: Map<string, WarehouseView>): (HTMLElement | null)[] {
  const sending = r.proposals.filter((p) => decimalSign(p.propose) > 0);
  const from = r.source === 'events'
    ? (source() === 'sample' ? 'the bundled sample month of consignment events' : 'the consignment events on the Events tab')
    : 'the stock counts';
  const intro = h('p', { class: 'replenish-intro' },
    `As of ${r.as_of}: sales from ${r.window.from} to ${r.window.to} (${r.window.days} days), from ${from}. `,
    sending.length === 0
      ? h('strong', null, 'Nothing to send.')
      : h('strong', null, `${sending.length} deliver${sending.length === 1 ? 'y' : 'ies'} proposed, ${qty(sumDecimals(sending.map((p) => p.propose)))} units in all.`),
    ' ', h('span', { class: 'muted' }, 'A delivery is proposed when the stock there is at or below the reorder point; it never exceeds what sells before the period end or what own warehouses can spare.'),
  );
  // One group per retailer (owner), its locations in inventory order.
  const groups = new Map<string, { locations: Map<string, Proposal[]>; skipped: Skipped[] }>();
  const ownerOf = (w: string, p?: Proposal) => p?.retailer ?? warehouses.get(w)?.owner ?? warehouses.get(w)?.name ?? w;
  const group = (owner: string) => {
    let g = groups.get(owner);
    if (!g) groups.set(owner, (g = { locations: new Map(), skipped: [] }));
    return g;
  };
  for (const p of r.proposals) {
    const g = group(ownerOf(p.warehouse, p));
    const list = g.locations.get(p.warehouse) ?? [];
    list.push(p);
    g.locations.set(p.warehouse, list);
  }
  for (const s of r.skipped) group(ownerOf(s.warehouse)).skipped.push(s);
  return [
    intro,
    groups.size === 0 ? h('p', { class: 'empty' }, 'The inventory has no consignment locations.') : null,
    ...[...groups].map(([owner, g]) => h('section', { class: 'replenish-owner', 'data-owner': owner, 'aria-label': `Replenishment for ${owner}` },
      h('h3', null, owner),
      [...g.locations].map(([w, ps]) => locationView(w, ps, warehouses.get(w))),
      g.skipped.map((s) => h('p', { class: 'replenish-skipped', 'data-warehouse': s.warehouse },
        h('strong', null, warehouses.get(s.warehouse)?.name || s.warehouse), ' ', h('span', { class: 'mono muted' }, s.warehouse), ': no proposals, ', richText(s.reason))),
    )),
    ownView(r.own),
  ];
}

function termsText(w: WarehouseView | undefined): string {
  const t = w?.replenish;
  if (!t) return '';
  const lead = t.leadTimeDays ? `, ${t.leadTimeDays}-day lead time` : '';
  if (t.daysOfCover) return `keep ${t.daysOfCover} days of sales${lead}`;
  if (t.min !== undefined || t.max !== undefined) return `reorder at ${t.min ?? '?'}, fill up to ${t.max ?? '?'}${lead}`;
  return '';
}

const ruleLabel: Record<RuleDecision, string> = { kept: 'kept', adjusted: 'changed', vetoed: 'vetoed' };

function atOrBelowReorder(p: Proposal): boolean {
  return decimalSign(sumDecimals([p.on_hand, `-${p.reserved}`, `-${p.reorder_point}`])) <= 0;
}

function locationView(w: string, ps: Proposal[], view: WarehouseView | undefined): HTMLElement {
  const terms = termsText(view);
  return h('section', { class: 'replenish-location', 'data-warehouse': w, 'aria-label': `Proposals for ${view?.name || w}` },
    h('h4', null, view?.name || w, ' ', h('span', { class: 'muted mono' }, w)),
    h('p', { class: 'small muted' },
      terms ? `Terms: ${terms}` : null,
      view?.periodEnd ? `${terms ? ' · ' : ''}consignment period ends ${view.periodEnd}` : null),
    h('table', { class: 'replenish-skus', 'aria-label': `Proposals for ${w}` },
      h('thead', null, h('tr', null,
        ['SKU', 'On hand', 'Sold / day', 'Cover', 'Reorder at', 'Target', 'At most', 'Propose', 'Rule'].map((c, i) =>
          h('th', { scope: 'col', class: i >= 1 && i <= 7 ? 'num' : '' }, c)),
      )),
      ps.map((p) => {
        const sends = decimalSign(p.propose) > 0;
        // The reasoning is open where something happens: a delivery, a rule's decision, or a
        // delivery wanted (stock at or below the reorder point) that a cap held back.
        const open = sends || (p.rule !== undefined && p.rule !== 'kept') || atOrBelowReorder(p);
        return h('tbody', { class: `replenish-sku ${sends ? 'sends' : ''}`, 'data-sku': p.sku },
          h('tr', null,
            h('th', { scope: 'row', class: 'mono' }, p.sku),
            h('td', { class: 'num on-hand' }, qty(p.on_hand), decimalSign(p.reserved) > 0 ? h('span', { class: 'muted small' }, ` (${qty(p.reserved)} reserved)`) : null),
            h('td', { class: 'num sold-per-day' }, qty(p.sold_per_day)),
            h('td', { class: 'num cover' }, p.days_of_cover === undefined ? h('span', { class: 'muted', title: 'nothing sold in the window' }, '—') : `${qty(p.days_of_cover)} d`),
            h('td', { class: 'num reorder-point' }, qty(p.reorder_point)),
            h('td', { class: 'num target' }, qty(p.target)),
            h('td', { class: 'num limit' }, p.limit === NO_LIMIT ? h('span', { class: 'muted' }, 'no limit') : qty(p.limit)),
            h('td', { class: 'num propose' }, sends ? h('strong', null, qty(p.propose)) : qty(p.propose)),
            h('td', { class: 'rule' }, p.rule ? h('span', { class: `rule-decision rule-${p.rule}`, 'data-rule': p.rule }, ruleLabel[p.rule]) : null),
          ),
          h('tr', { class: 'replenish-why-row' }, h('td', { colspan: 9 },
            h('details', { class: 'replenish-why', open },
              h('summary', null, 'Why'),
              h('ol', null, p.why.map((line) => h('li', null, richText(line)))),
            ),
          )),
        );
      }),
    ),
  );
}

function ownView(own: OwnStock[]): HTMLElement | null {
  if (own.length === 0) return null;
  return h('section', { class: 'replenish-own', 'aria-label': 'What own warehouses can spare' },
    h('h3', null, 'From own warehouses'),
    h('p', { class: 'small muted' }, 'Per SKU: available at enabled own warehouses, less what the channels sold but have not routed and the largest channel safety. Locations that run out soonest are served first.'),
    h('table', { class: 'lines replenish-own-table' },
      h('thead', null, h('tr', null, ['SKU', 'Available', 'Reserved on channels', 'Channel safety', 'Can spare', 'Proposed'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
      h('tbody', null, own.map((o) => h('tr', { 'data-sku': o.sku },
        h('th', { scope: 'row', class: 'mono' }, o.sku),
        h('td', { class: 'num available' }, o.unlimited ? 'unlimited' : qty(o.available)),
        h('td', { class: 'num channel-reserved' }, qty(o.channel_reserved)),
        h('td', { class: 'num channel-safety' }, qty(o.channel_safety)),
        h('td', { class: 'num spare' }, o.unlimited ? 'unlimited' : qty(o.spare)),
        h('td', { class: 'num proposed' }, qty(o.proposed)),
      ))),
    ),
  );
}
