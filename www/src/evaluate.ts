// One evaluation after an edit: compile the rules (their warnings come with the compiled
// router; `check` runs only for a draft that does not compile, to list every problem),
// validate and load the inventory, route the selected order, then redraw the problems, the
// preview and the open view. The rules and the inventory are judged separately, so a bad
// inventory value never reads as "the rules could not be loaded". The compiled rules are
// kept while only the inventory or the selected order changes, and the inventory's verdict
// while only the rules do.
import * as engine from './engine';
import { Compiled, type EngineFailure } from './engine';
import type { CheckReport, Diagnostic, HookModeInfo, Plan } from './types';
import { parseJson, parseOrders, readInventory, type InventoryView, type OrderEntry, type ParseError, type WarehouseView } from './data';
import { app, asOf, persisted, rulesText, inventoryView, ordersView, eventsView, $ } from './state';
import { renderProblems } from './views/problems';
import { renderInventorySummary } from './views/inventory';
import { renderOrderPicker, renderPreview } from './views/preview';
import { renderStatus } from './views/statusbar';
import { renderHookModes } from './views/hooks';
import { autoSettlement, eventProblems, judgeSettlement, type SettlementState } from './views/settlement';
import { renderAvailability } from './views/availability';
import { autoBatch } from './views/batch';
import { autoReplenishment } from './views/replenishment';
import { autoManual } from './views/manual';
import { runTests } from './views/tests';

export type InventoryState =
  | { kind: 'ok'; text: string; view: InventoryView | null }
  | { kind: 'json'; text: string; error: ParseError }
  | { kind: 'invalid'; text: string; view: InventoryView | null; diagnostics: Diagnostic[] };

export interface Problem {
  source: 'rules' | 'inventory' | 'orders' | 'events';
  diag: Diagnostic;
  /** Extra context shown after the message: `order WEB-1004`, `line 3`. */
  where?: string;
  /** For order and event problems: the line in the Orders or Events editor. */
  orderLine?: number;
}

export interface Timings {
  /** `new Router()`: compile the rules and read their warnings (0 when the rules did not change). */
  compileMs: number;
  /** `check()`: only for a draft that does not compile, to list every problem (else 0). */
  checkMs: number;
  /** Validate the inventory and load it into the compiled rules (0 when neither changed). */
  inventoryMs: number;
  /** Route the selected order. */
  routeMs: number;
  /** Redraw the problems, the order picker and the preview. */
  previewMs: number;
  /** Redraw the open results view (availability, batch diff, rule tests). */
  otherViewsMs: number;
  /** `performance.now()` when this evaluation started and when it finished drawing. */
  startedAt: number;
  endedAt: number;
  at: number;
}

export interface Evaluation {
  rules: string;
  /** The day the engine's date-dependent calls were made for (the *As of* control). */
  asOf: string;
  /** What `check` found, for a draft that does not compile; null when the rules compiled. */
  report: CheckReport | null;
  /** How each hook runs, from the compiled rules; null when they do not compile. */
  hookModes: HookModeInfo[] | null;
  /** The compiled rules with the inventory loaded: set only when both are fine. */
  ready: Compiled | null;
  /** Why the rules cannot run, when they cannot (check or compile errors). */
  rulesErrors: Diagnostic[];
  inventory: InventoryState;
  warehouses: Map<string, WarehouseView>;
  orders: OrderEntry[];
  orderErrors: { line: number; message: string }[];
  order: OrderEntry | undefined;
  plan: Plan | null;
  routeError: EngineFailure | null;
  /** The consignment settlement of the Events tab for the chosen period (or why there is none). */
  settlement: SettlementState;
  problems: Problem[];
  timings: Timings;
}

let compiled: Compiled | null = null;
/** The last compile failure, kept with the rules text it belongs to. */
let compileFailure: { rules: string; error: EngineFailure } | null = null;
/** The last `check` report (of a draft that does not compile), with its rules text. */
let checked: { rules: string; report: CheckReport } | null = null;

function checkReport(rules: string): CheckReport {
  if (checked?.rules !== rules) checked = { rules, report: engine.check(rules, app.ruleSet) };
  return checked.report;
}
let evaluations = 0;

export function evaluationCount(): number {
  return evaluations;
}

function judgeInventory(text: string): InventoryState {
  const parsed = parseJson(text);
  if (!parsed.ok) return { kind: 'json', text, error: parsed.error };
  const view = readInventory(parsed.value);
  const verdict = engine.validateInventory(text);
  return verdict.ok ? { kind: 'ok', text, view } : { kind: 'invalid', text, view, diagnostics: verdict.error.diagnostics };
}

/** The compiled rules for `rules`, compiling only when they changed. */
function compile(rules: string): Compiled | EngineFailure {
  if (compiled?.rules === rules) return compiled;
  if (compileFailure?.rules === rules) return compileFailure.error;
  compiled?.free();
  compiled = null;
  compileFailure = null;
  const r = Compiled.compile(rules, app.ruleSet);
  if (r.ok) {
    compiled = r.value;
    return compiled;
  }
  compileFailure = { rules, error: r.error };
  return r.error;
}

/** Forgets the compiled rules (a rule set switch renames the diagnostics' `rule`). */
export function resetCompiled() {
  compiled?.free();
  compiled = null;
  compileFailure = null;
  checked = null;
}

export function evaluate(): Evaluation {
  const t0 = performance.now();
  const rules = rulesText();
  const day = asOf();
  const c = compile(rules);
  const tCompile = performance.now();

  // A draft that compiles carries its warnings; only one that does not runs `check`, which
  // lists every problem (the compile error is the first it meets), warnings included.
  let report: CheckReport | null = null;
  let rulesCompiled: Compiled | null = null;
  let rulesErrors: Diagnostic[] = [];
  const problems: Problem[] = [];
  if (c instanceof Compiled) {
    rulesCompiled = c;
    for (const d of c.warnings) problems.push({ source: 'rules', diag: d });
  } else {
    report = checkReport(rules);
    for (const d of report.diagnostics) problems.push({ source: 'rules', diag: d });
    rulesErrors = report.diagnostics.filter((d) => d.severity !== 'warning');
    if (rulesErrors.length === 0) {
      // `check` found nothing that stops compiling: the compile error says what did.
      rulesErrors = c.diagnostics;
      for (const d of c.diagnostics) problems.push({ source: 'rules', diag: d });
    }
  }
  const tCheck = performance.now();

  const inventory = judgeInventory(inventoryView().state.doc.toString());
  if (inventory.kind === 'json') {
    problems.push({ source: 'inventory', diag: { code: 'data.invalid', severity: 'error', message: `not valid JSON: ${inventory.error.message}` } });
  } else if (inventory.kind === 'invalid') {
    for (const d of inventory.diagnostics) problems.push({ source: 'inventory', diag: d });
  }
  let ready: Compiled | null = null;
  if (rulesCompiled && inventory.kind === 'ok') {
    if (rulesCompiled.inventory === inventory.text) ready = rulesCompiled;
    else {
      const loaded = rulesCompiled.load(inventory.text);
      // The validator accepted this inventory, so loading it cannot fail for data reasons;
      // should it fail anyway, say so rather than route against the previous one.
      if (loaded.ok) ready = rulesCompiled;
      else for (const d of loaded.error.diagnostics) problems.push({ source: 'inventory', diag: d });
    }
  }
  const tInventory = performance.now();

  // Settling reads only the inventory, the events and the period: cached while they stay.
  const settlement = judgeSettlement(inventory, eventsView().state.doc.toString());
  problems.push(...eventProblems(settlement));

  const parsedOrders = parseOrders(ordersView().state.doc.toString());
  for (const e of parsedOrders.errors) {
    problems.push({ source: 'orders', diag: { code: 'data.invalid', severity: 'error', message: `not valid JSON: ${e.message}`, line: e.line }, where: `line ${e.line}`, orderLine: e.line });
  }
  const order = parsedOrders.orders.find((o) => o.id === persisted.order) ?? parsedOrders.orders[0];
  let plan: Plan | null = null;
  let routeError: EngineFailure | null = null;
  if (ready && order) {
    const r = ready.route(order.text, day);
    if (r.ok) plan = r.value;
    else {
      routeError = r.error;
      for (const d of r.error.diagnostics) {
        // A data error is the order's own fault; anything else points into the rules.
        const isData = d.code === 'data.invalid' && !d.line;
        problems.push(isData
          ? { source: 'orders', diag: d, where: `order ${order.id}`, orderLine: order.line }
          : { source: 'rules', diag: d, where: d.order ? `order ${d.order}` : undefined });
      }
    }
  }
  const tRoute = performance.now();

  const warehouses = new Map<string, WarehouseView>();
  const view = inventory.kind === 'json' ? null : inventory.view;
  for (const w of view?.warehouses ?? []) warehouses.set(w.id, w);

  const ev: Evaluation = {
    rules, asOf: day, report, hookModes: rulesCompiled?.hookModes ?? null, ready, rulesErrors, inventory, warehouses,
    orders: parsedOrders.orders, orderErrors: parsedOrders.errors, order, plan, routeError, settlement, problems,
    timings: { compileMs: tCompile - t0, checkMs: tCheck - tCompile, inventoryMs: tInventory - tCheck, routeMs: tRoute - tInventory, previewMs: 0, otherViewsMs: 0, startedAt: t0, endedAt: 0, at: Date.now() },
  };
  app.current = ev;

  renderProblems(ev);
  renderInventorySummary(ev);
  renderOrderPicker(ev);
  renderPreview(ev);
  renderStatus(ev);
  renderHookModes(ev);
  const tPreview = performance.now();
  if (app.rightTab === 'availability') renderAvailability();
  if (app.rightTab === 'settlement') autoSettlement();
  autoReplenishment();
  autoManual();
  if (app.rightTab === 'batch') autoBatch();
  if (app.rightTab === 'tests') runTests();
  const tViews = performance.now();
  ev.timings.previewMs = tPreview - tRoute;
  ev.timings.otherViewsMs = tViews - tPreview;
  ev.timings.endedAt = tViews;
  evaluations++;
  const t = ev.timings;
  $('timing').textContent = `${report ? `check ${t.checkMs.toFixed(1)} · ` : ''}compile ${t.compileMs.toFixed(1)} · route ${t.routeMs.toFixed(1)} · draw ${t.previewMs.toFixed(1)} ms`;
  return ev;
}

