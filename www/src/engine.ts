// The only module that talks to the WebAssembly package. Everything runs in the page.
import init, * as sr from 'stockroute-web';
import type { ApiMetadata, Availability, BatchResult, CaseOutcome, CheckReport, Diagnostic, ErrorCode, ForwardMessage, HookModeInfo, ManualPlan, Plan, Replenishment, ReplenishmentCallOptions, Settlement, Validation } from './types';

/** An error from the engine: its code, its plain message and every diagnostic, primary first. */
export interface EngineFailure { code: ErrorCode; message: string; diagnostics: Diagnostic[] }

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineFailure };

let ready: Promise<void> | null = null;
export function load(): Promise<void> {
  ready ??= init();
  return ready;
}

export function version(): string {
  return sr.version();
}

export function apiMetadata(): ApiMetadata {
  return sr.apiMetadata();
}

let checks = 0;
/** How many times `check` ran in this page (the tests show a compiling draft needs none). */
export function checkCount(): number {
  return checks;
}

export function check(rules: string, name?: string): CheckReport {
  checks++;
  return sr.check(rules, name);
}

/** Any thrown value as an `EngineFailure`; a `StockrouteError` keeps its diagnostics. */
export function failure(e: unknown): EngineFailure {
  if (e instanceof sr.StockrouteError) {
    const diagnostics = e.diagnostics.length > 0
      ? e.diagnostics
      : [{ code: e.code, severity: 'error' as const, message: e.message, help: e.help, path: e.path, line: e.line, column: e.column, columnUtf16: e.columnUtf16 }];
    return { code: e.code, message: e.message, diagnostics };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message, diagnostics: [{ code: 'internal', severity: 'error', message }] };
}

function attempt<T>(f: () => T): Result<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: failure(e) };
  }
}

/**
 * A compiled rule set, optionally with an inventory loaded. Compiling and loading are
 * separate steps so the editor can tell "the rules do not compile" from "the inventory is
 * invalid". Free it when replaced: it holds WebAssembly memory.
 */
export class Compiled {
  private router: sr.Router;
  /** The inventory text currently loaded, or null. */
  inventory: string | null = null;
  /**
   * What `check` would warn about (misspelt hook names, `distance_km` without a location
   * guard), read once from the compiled router: a draft that compiles needs no `check()`.
   */
  readonly warnings: Diagnostic[];
  /** How each hook the rules define runs: compiled, or on the interpreter and why. */
  readonly hookModes: HookModeInfo[];

  private constructor(router: sr.Router, readonly rules: string) {
    this.router = router;
    this.warnings = router.warnings;
    this.hookModes = router.hookModes();
  }

  static compile(rules: string, name: string): Result<Compiled> {
    return attempt(() => new Compiled(new sr.Router(rules, { name }), rules));
  }

  /** Loads (and thereby validates) an inventory given as JSON text. */
  load(inventory: string): Result<void> {
    const r = attempt(() => this.router.setInventory(inventory));
    this.inventory = r.ok ? inventory : null;
    return r;
  }

  /**
   * Routes one order given as JSON text against the loaded inventory, on day `asOf`
   * (`YYYY-MM-DD`): a consignment location whose period ended before it no longer ships.
   */
  route(order: string, asOf: string): Result<Plan> {
    return attempt(() => this.router.route(order, null, { as_of: asOf }));
  }

  /**
   * One entry per order, in input order; a bad order fails only its own entry. With
   * `consume` (the engine's default) each order sees the stock the earlier orders' shipments
   * left; without it every order is routed against the full loaded inventory (what-if). The
   * loaded inventory is the same afterwards either way. Every order is routed on day `asOf`.
   */
  routeBatch(orders: string[], consume: boolean, asOf: string): Result<BatchResult[]> {
    return attempt(() => this.router.routeBatch(orders, null, { consume, as_of: asOf }));
  }

  /**
   * The message each shipment of `plan` sends (email, API or WMS request), with its
   * documents, dated `date` (`YYYY-MM-DD`).
   */
  forward(plan: Plan, order: string, date: string): Result<ForwardMessage[]> {
    return attempt(() => this.router.forward(plan, order, { date }));
  }

  /**
   * Checks a plan a person made for `order` (JSON text) against the loaded inventory and the
   * rules (`eligible` included), on day `asOf`: the completed plan, or every violation. A
   * plan that is not even a plan (a quantity `lots`) fails with a `data.invalid` error.
   */
  validate(order: string, plan: ManualPlan, asOf: string): Result<Validation> {
    return attempt(() => this.router.validate(order, plan, { as_of: asOf }));
  }

  /**
   * Replenishment proposals per consignment location and SKU of the loaded inventory, with
   * the rules' `replenish` hook deciding where the draft defines one.
   */
  replenishment(options: ReplenishmentCallOptions): Result<Replenishment> {
    return attempt(() => this.router.replenishment(options));
  }

  available(channel?: string): Result<Availability> {
    return attempt(() => this.router.available(null, channel ?? null));
  }

  free() {
    try {
      this.router.free();
    } catch {
      /* already freed */
    }
  }
}

// Inventory validation does not depend on the rules: an empty rule set (the engine's
// defaults) checks an inventory even while the draft rules do not compile.
let validator: Compiled | null = null;
let validated: { text: string; result: Result<void> } | null = null;

/** Validates an inventory (JSON text) with the engine, independently of any rule set. */
export function validateInventory(text: string): Result<void> {
  if (validated?.text === text) return validated.result;
  if (!validator) {
    const c = Compiled.compile('', 'inventory');
    if (!c.ok) return c;
    validator = c.value;
  }
  const result = validator.load(text);
  validated = { text, result };
  return result;
}

/** Settles every consignment location of `inventory` for `period` from the JSONL event log. */
export function settle(inventory: string, events: string, period: string): Result<Settlement> {
  return attempt(() => sr.settle(inventory, events, period));
}

export function runCase(caseJson: string, rules: string, files: Record<string, string>, name: string): CaseOutcome {
  try {
    return sr.runCase(caseJson, rules, files, name);
  } catch (e) {
    const f = failure(e);
    return { name: '', description: '', passed: false, failures: [f.message], actual: null, files: [] };
  }
}
