// The editor's shared state: what is persisted (drafts, saved versions, data, selections),
// which rule set is open, the four editors (rules, inventory, orders, consignment events),
// and the latest evaluation. Views read it; only
// `main.ts` and `evaluate.ts` replace its parts.
import type { EditorView } from '@codemirror/view';
import { ruleSets } from './bundled';
import { loadState, saveState } from './store';
import type { Evaluation } from './evaluate';

export const persisted = loadState();

const DEFAULT_SET = 'own-first-then-consignment';

export const app: {
  ruleSet: string;
  rulesView: EditorView | null;
  inventoryView: EditorView | null;
  ordersView: EditorView | null;
  eventsView: EditorView | null;
  /** The latest evaluation (rules, inventory, orders, selected order's plan). */
  current: Evaluation | null;
  rightTab: string;
} = {
  ruleSet: persisted.ruleSet && ruleSets.some((r) => r.name === persisted.ruleSet)
    ? persisted.ruleSet
    : (ruleSets.find((r) => r.name === DEFAULT_SET) ?? ruleSets[0])?.name ?? 'rules',
  rulesView: null,
  inventoryView: null,
  ordersView: null,
  eventsView: null,
  current: null,
  rightTab: persisted.rightTab ?? 'preview',
};

/**
 * What a view may ask for without importing the module that does it (which imports that
 * view, directly or not): `main.ts` fills these in at start-up.
 */
export const actions = {
  /** Shows the left tab (`rules`, `inventory`, `orders`, `events`). */
  selectLeftTab: (_tab: string): void => {},
  /** Shows a result view (`preview`, `manual`, ...). */
  selectRightTab: (_tab: string): void => {},
};

/** Today (UTC) as `YYYY-MM-DD`, the day JavaScript's engine calls default to. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A day as the engine reads it: `YYYY-MM-DD`. */
export function isDay(text: string | undefined): text is string {
  return text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text);
}

/**
 * The day every date-dependent engine call is made for (routing, the batch diff, forwarding,
 * manual plans, replenishment): the *As of* control in the top bar, today when it is unset.
 * Consignment periods end relative to it, and replenishment measures sales up to it.
 */
export function asOf(): string {
  return isDay(persisted.asOf) ? persisted.asOf : todayUtc();
}

export function persist() {
  saveState(persisted);
}

export function fileSource(name: string): string {
  return ruleSets.find((r) => r.name === name)?.source ?? '';
}
export function savedSource(name: string): string {
  return persisted.saved[name] ?? fileSource(name);
}
export function draftSource(name: string): string {
  return persisted.drafts[name] ?? savedSource(name);
}

function view(v: EditorView | null, which: string): EditorView {
  if (!v) throw new Error(`the ${which} editor is not set up yet`);
  return v;
}
export function rulesView(): EditorView {
  return view(app.rulesView, 'rules');
}
export function inventoryView(): EditorView {
  return view(app.inventoryView, 'inventory');
}
export function ordersView(): EditorView {
  return view(app.ordersView, 'orders');
}
export function eventsView(): EditorView {
  return view(app.eventsView, 'events');
}
export function rulesText(): string {
  return rulesView().state.doc.toString();
}

export const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el;
};
