// Start-up and wiring: load the engine, create the four editors and the views, connect the
// controls, and re-evaluate after edits (debounced while typing). See README.md for the map.
import './style.css';
import { EditorView } from '@codemirror/view';
import * as engine from './engine';
import { sampleEvents, sampleInventory, sampleOrders } from './bundled';
import { h, replace } from './dom';
import { rulesState, jsonState } from './editors';
import { evaluate, evaluationCount, resetCompiled, type Timings } from './evaluate';
import { actions, app, draftSource, eventsView, inventoryView, ordersView, persist, persisted, rulesText, rulesView, $ } from './state';
import type { ApiMetadata } from './types';
import { renderAvailability } from './views/availability';
import { closeDiff, runBatch } from './views/batch';
import { forgetLastPlan } from './views/preview';
import { selectLeftTab, selectRightTab, setupTabs } from './views/tabs';
import { setupSettlement } from './views/settlement';
import { setupReplenishment } from './views/replenishment';
import { setupManual } from './views/manual';
import { setupAsOf } from './views/asof';
import { runTests } from './views/tests';
import { setRules, setupToolbar, updateSaveState } from './views/toolbar';

/** What the end-to-end tests and the keystroke benchmark use: read-only views and edits as a user makes them. */
interface TestHooks {
  timings(): Timings | null;
  readonly evaluations: number;
  /** How many times `check()` ran: only drafts that do not compile need it. */
  readonly checks: number;
  rules(): string;
  setRules(text: string): void;
  cursorAt(line: number, column: number): void;
  evaluateNow(): void;
  editData(which: DataEditor, find: string, replaceWith: string): boolean;
  /** Milliseconds between the last keystroke and the evaluation (250 by default). */
  setDebounce(ms: number): void;
}

type DataEditor = 'inventory' | 'orders' | 'events';

function dataView(which: DataEditor): EditorView {
  return which === 'inventory' ? inventoryView() : which === 'events' ? eventsView() : ordersView();
}

declare global {
  interface Window { __stockroute: TestHooks }
}

let meta: ApiMetadata | null = null;
let debounce = 250;
let timer: number | undefined;

function run() {
  window.clearTimeout(timer);
  evaluate();
}

function schedule(delay = debounce) {
  window.clearTimeout(timer);
  // Without a delay, evaluate right after the editor's update rather than on a timer: a
  // timer would wait for the next frame to be drawn first.
  if (delay <= 0) queueMicrotask(run);
  else timer = window.setTimeout(run, delay);
}

function onRulesChanged() {
  persisted.drafts[app.ruleSet] = rulesText();
  persist();
  updateSaveState();
  schedule();
}

function onDataChanged(which: DataEditor) {
  persisted[which] = dataView(which).state.doc.toString();
  persist();
  schedule();
}

function switchRuleSet(name: string) {
  if (!meta) return;
  app.ruleSet = name;
  persisted.ruleSet = name;
  persist();
  forgetLastPlan();
  closeDiff();
  resetCompiled();
  rulesView().setState(rulesState(draftSource(name), meta, onRulesChanged));
  updateSaveState();
  run();
}

/** Putting the cursor on an order in the Orders editor previews that order. */
const followCursor = EditorView.updateListener.of((u) => {
  if (!u.selectionSet || u.docChanged || !u.view.hasFocus) return;
  const text = u.state.doc.lineAt(u.state.selection.main.head).text;
  const id = text.match(/"id"\s*:\s*"([^"]+)"/)?.[1];
  if (id && id !== persisted.order && app.current?.orders.some((o) => o.id === id)) {
    persisted.order = id;
    persist();
    forgetLastPlan();
    schedule(50);
  }
});

function replaceAll(view: EditorView, text: string) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function setupControls() {
  const orderSelect = $('order-select');
  orderSelect.addEventListener('change', () => {
    if (!(orderSelect instanceof HTMLSelectElement)) return;
    persisted.order = orderSelect.value;
    persist();
    forgetLastPlan();
    run();
  });
  const channelSelect = $('channel-select');
  channelSelect.addEventListener('change', () => {
    if (!(channelSelect instanceof HTMLSelectElement)) return;
    persisted.channel = channelSelect.value;
    persist();
    renderAvailability();
  });
  $('reset-inventory').addEventListener('click', () => {
    if (confirm('Replace the inventory with the bundled sample?')) replaceAll(inventoryView(), sampleInventory);
  });
  $('reset-orders').addEventListener('click', () => {
    if (confirm('Replace the orders with the bundled samples?')) replaceAll(ordersView(), sampleOrders);
  });
  $('reset-events').addEventListener('click', () => {
    if (confirm('Replace the consignment events with the bundled sample month?')) replaceAll(eventsView(), sampleEvents);
  });
  $('run-batch').addEventListener('click', runBatch);
  $('run-tests').addEventListener('click', runTests);
  const batchText = $('batch-text');
  if (!(batchText instanceof HTMLTextAreaElement)) return;
  batchText.value = persisted.batch ?? '';
  batchText.addEventListener('input', () => {
    persisted.batch = batchText.value;
    persist();
  });
  const batchFile = $('batch-file');
  batchFile.addEventListener('change', async () => {
    const file = batchFile instanceof HTMLInputElement ? batchFile.files?.[0] : undefined;
    if (!file) return;
    batchText.value = await file.text();
    persisted.batch = batchText.value;
    persist();
    runBatch();
  });
  $('batch-clear').addEventListener('click', () => {
    batchText.value = '';
    persisted.batch = '';
    persist();
    runBatch();
  });
}

window.__stockroute = {
  timings: () => app.current?.timings ?? null,
  get evaluations() {
    return evaluationCount();
  },
  get checks() {
    return engine.checkCount();
  },
  rules: () => rulesText(),
  setRules: (text) => setRules(text),
  cursorAt: (line, column) => {
    const view = rulesView();
    const l = view.state.doc.line(line);
    view.dispatch({ selection: { anchor: Math.min(l.from + column - 1, l.to) }, scrollIntoView: true });
    view.focus();
  },
  evaluateNow: () => run(),
  editData: (which, find, replaceWith) => {
    const view = dataView(which);
    const at = view.state.doc.toString().indexOf(find);
    if (at < 0) return false;
    view.dispatch({ changes: { from: at, to: at + find.length, insert: replaceWith }, userEvent: 'input' });
    return true;
  },
  setDebounce: (ms) => {
    debounce = ms;
  },
};

async function main() {
  await engine.load();
  const api = engine.apiMetadata();
  meta = api;
  $('engine-version').textContent = `engine ${engine.version()}`;
  actions.selectLeftTab = selectLeftTab;
  actions.selectRightTab = selectRightTab;

  app.rulesView = new EditorView({ state: rulesState(draftSource(app.ruleSet), api, onRulesChanged), parent: $('rules-editor') });
  app.inventoryView = new EditorView({
    state: jsonState(persisted.inventory ?? sampleInventory, 'Inventory JSON', () => onDataChanged('inventory')),
    parent: $('inventory-editor'),
  });
  app.ordersView = new EditorView({
    state: jsonState(persisted.orders ?? sampleOrders, 'Orders, one JSON object per line', () => onDataChanged('orders'), [followCursor]),
    parent: $('orders-editor'),
  });
  app.eventsView = new EditorView({
    state: jsonState(persisted.events ?? sampleEvents, 'Consignment events, one JSON object per line', () => onDataChanged('events')),
    parent: $('events-editor'),
  });

  setupToolbar(switchRuleSet);
  setupTabs('left-tabs', selectLeftTab);
  setupTabs('right-tabs', selectRightTab);
  selectLeftTab(persisted.leftTab ?? 'rules');
  setupControls();
  setupSettlement(run);
  setupReplenishment(run);
  setupManual();
  setupAsOf(run);

  updateSaveState();
  run();
  selectRightTab(app.rightTab);
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  replace($('fatal'), h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'The engine failed to load: '), e instanceof Error ? e.message : String(e)));
  document.body.dataset.ready = 'error';
});
