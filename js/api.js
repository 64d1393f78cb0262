// The public JavaScript API, shared by the Node and browser entries.
//
// `makeApi(instantiate)` wraps the raw wasm-bindgen exports (`RawRouter`, `rawCheck`, ...):
// errors thrown by the WebAssembly side (plain objects with `code`, `message`,
// `diagnostics`) become `StockrouteError` instances, inputs become JSON text before they
// cross (js/input.js), and a WebAssembly trap replaces the whole instance (see `Engine`).
// No routing logic lives here. This file is ES module source; scripts/build-pkg.sh also
// emits a CommonJS copy of it (scripts/wrap-js.mjs).

import { toJsonText, readableOrderId } from './input.js';

/**
 * An error from stockroute: rule compile/runtime errors, sandbox limits, bad data.
 *
 * It copies every field the WebAssembly side sends (the primary diagnostic's fields, as
 * `Diagnostic` in src/error.rs defines them, and `diagnostics`), so no field list is kept
 * here: a field added in Rust reaches JavaScript as it is.
 */
export class StockrouteError extends Error {
  constructor(details) {
    const d = details && typeof details === 'object' ? details : { message: String(details) };
    super(typeof d.message === 'string' ? d.message : 'unknown error');
    this.name = 'StockrouteError';
    for (const [key, value] of Object.entries(d)) {
      if (key !== 'message' && key !== 'name' && key !== 'stack' && value !== undefined && value !== null) {
        this[key] = value;
      }
    }
    if (typeof this.code !== 'string') this.code = 'data.invalid';
    this.diagnostics = Array.isArray(d.diagnostics) ? d.diagnostics : [];
  }

  /** The plain error object, as in a failed `routeBatch` entry (and for `JSON.stringify`). */
  toJSON() {
    const out = { code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'name' && value !== undefined) out[key] = value;
    }
    out.diagnostics = this.diagnostics;
    return out;
  }
}

// Limits and names are passed through as given; absent values become `undefined` so the
// WebAssembly side sees "not given" rather than `null`.
function absent(value) {
  return value === undefined || value === null ? undefined : value;
}

/** A plain error thrown by the WebAssembly side (`{ code, message, diagnostics, ... }`). */
function isEngineError(e) {
  return e !== null && typeof e === 'object' && !(e instanceof Error) && typeof e.code === 'string';
}

function argumentError(message) {
  const diagnostic = { code: 'options.invalid', severity: 'error', message };
  return new StockrouteError({ ...diagnostic, diagnostics: [diagnostic] });
}

/** JSON text of an input, or a StockrouteError naming the field that has no JSON form. */
function json(value, what) {
  return toJsonText(value, what, StockrouteError, what.endsWith('options') ? 'options.invalid' : 'data.invalid');
}

/** Like `json`, for an order: a conversion error carries the order id when it is readable. */
function orderJson(order) {
  try {
    return json(order, 'order');
  } catch (e) {
    if (e instanceof StockrouteError && e.order === undefined) {
      const id = readableOrderId(order);
      if (id !== null) e.order = id;
    }
    throw e;
  }
}

function optionalJson(value, what) {
  return value === undefined || value === null ? undefined : json(value, what);
}

// Today's date (UTC) for `forward`: the engine has no clock of its own.
function today() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * `options.as_of` / `options.date` of a call that takes a day, today (UTC) when absent.
 * Any other key is refused, as the engine refuses unknown option keys.
 */
function dateOption(options, what) {
  if (options === undefined || options === null) return today();
  if (typeof options !== 'object' || Array.isArray(options)) throw argumentError(`${what} must be an object such as \`{ as_of: "2026-11-30" }\``);
  const keys = Object.keys(options).filter((k) => options[k] !== undefined);
  const key = what === 'sync options' ? 'date' : 'as_of';
  const unknown = keys.find((k) => k !== key);
  if (unknown !== undefined) throw argumentError(`unknown key \`${unknown}\` in ${what}; the only key is \`${key}\``);
  const value = options[key];
  if (value === undefined || value === null) return today();
  if (typeof value !== 'string') throw argumentError(`\`${key}\` must be a date written YYYY-MM-DD`);
  return value;
}

/** Days of stock counts a sales window can reach (the engine's MAX_WINDOW_DAYS). */
const SALES_DAYS = 91;

/** The recorded counts a rebuilt router still needs: those within SALES_DAYS of the newest. */
function keepSalesDays(sales) {
  const day = (d) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 86400000);
  const newest = Math.max(...sales.map((s) => day(s.date)));
  return sales.filter((s) => day(s.date) > newest - SALES_DAYS);
}

// The plain error object of a `routeBatch` entry, from a thrown StockrouteError.
function plainError(e) {
  return e.toJSON();
}

/**
 * The WebAssembly instance and the glue bound to it, replaced as a whole after a trap.
 *
 * A trap (a Rust panic, an overflow of the module's stack, a host stack overflow inside
 * the module) unwinds out of WebAssembly without restoring anything: the module's stack
 * pointer stays where the trapping call left it, and the object whose method trapped stays
 * borrowed. Rebuilding only that object leaks a little stack per trap until every call in
 * the process fails with `memory access out of bounds`. So on any exception that is not a
 * plain engine error the instance is dropped; the next call instantiates the already
 * compiled module again (a few milliseconds: compiled and tiered-up code is kept),
 * and every live Router rebuilds itself from its source, options and replay log when it is
 * next used. The call that trapped fails with code `internal`; no other call notices.
 */
class Engine {
  /** `instantiate()` returns fresh glue bound to a fresh instance (synchronously). */
  constructor(instantiate, ensureReady) {
    this.instantiate = instantiate;
    this.ensureReady = ensureReady;
    this.exports = null;
    /** Increases with every instance; a Router built in an older one rebuilds itself. */
    this.generation = 0;
    /** How many times the instance was replaced after a trap. */
    this.restarts = 0;
    /** Every live Router (weakly: an abandoned Router is still collected). */
    this.routers = new Set();
  }

  /** The current instance's exports, instantiating one if there is none. */
  raw() {
    if (this.exports === null) {
      this.exports = this.instantiate();
      this.generation++;
    }
    return this.exports;
  }

  /** Runs `f`, turning engine errors into StockrouteError and traps into a restart. */
  call(f) {
    this.ensureReady();
    try {
      return f();
    } catch (e) {
      throw this.failure(e);
    }
  }

  failure(e) {
    if (e instanceof StockrouteError) return e;
    if (isEngineError(e)) return new StockrouteError(e);
    // Anything else escaped from inside the module (a WebAssembly.RuntimeError, a RangeError
    // for the host stack, a glue error about an object still borrowed): assume the
    // instance is damaged and replace it.
    this.restart();
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return new StockrouteError({
      code: 'internal',
      message: `internal engine error (${what}); this call failed, the engine was restarted and every router restored`,
      help: 'please report it with the rules and data that caused it',
    });
  }

  restart() {
    this.exports = null;
    this.restarts++;
    for (const ref of this.routers) {
      const router = ref.deref();
      if (router === undefined) this.routers.delete(ref);
      else router[DETACH]();
    }
  }
}

const DETACH = Symbol('detach');

/** Raw methods that change the loaded inventory (replayed after setInventory). */
const LEDGER = ['applyStock', 'syncWarehouse', 'commit', 'release', 'route'];

export function makeApi(instantiate, ensureReady = () => {}) {
  const engine = new Engine(instantiate, ensureReady);

  class Router {
    #raw = null;
    #generation = 0;
    #rules;
    #options;
    /** Successful state-changing calls, replayed in order into a rebuilt router. */
    #log = [];
    /**
     * What each stock count changed (`{ date, changes }`), replayed into a rebuilt router's
     * sales history. Kept apart from the log: a new inventory does not undo past sales.
     * Only the days a sales window can reach are kept (see `SALES_DAYS`).
     */
    #sales = [];
    #ref = null;
    #freed = false;

    /** Compiles `rules` (Rhai source) once; throws StockrouteError listing every diagnostic. */
    constructor(rules, options) {
      if (typeof rules !== 'string') throw argumentError('`rules` must be a string of Rhai source');
      this.#rules = rules;
      this.#options = optionalJson(options, 'options');
      engine.call(() => this.#live());
      this.#ref = new WeakRef(this);
      engine.routers.add(this.#ref);
    }

    /** The raw router in the current instance, rebuilt (and its log replayed) if needed. */
    #live() {
      if (this.#freed) throw argumentError('this router has been freed');
      if (this.#raw === null || this.#generation !== engine.generation) {
        this.#raw = null;
        const raw = engine.raw();
        const fresh = new raw.RawRouter(this.#rules, this.#options);
        try {
          for (const { method, args } of this.#log) fresh[method](...args);
          for (const { date, changes } of this.#sales) fresh.recordSales(date, changes);
        } catch (e) {
          try {
            fresh.free();
          } catch {
            // The replay trapped: the instance is replaced by `Engine.failure` anyway.
          }
          throw e;
        }
        this.#raw = fresh;
        this.#generation = engine.generation;
      }
      return this.#raw;
    }

    /** Called when the instance is dropped: forget the raw object without calling into it. */
    [DETACH]() {
      // Unregisters its finalizer too, so nothing ever calls into the dropped instance.
      if (this.#raw !== null) this.#raw.__destroy_into_raw();
      this.#raw = null;
    }

    #run(f) {
      return engine.call(() => f(this.#live()));
    }

    /**
     * Runs a state-changing raw method and records it for replay. `supersedes` lists the
     * methods whose earlier entries this call makes irrelevant (they are dropped from the
     * log). Every state-changing method is one line calling this (issue 10's ledger calls
     * such as `applyStock`, `commit` or `release` included), so a rebuilt router ends up in
     * exactly the state the caller built.
     */
    #record(method, args, supersedes = []) {
      const result = this.#run((r) => r[method](...args));
      if (supersedes.length) this.#log = this.#log.filter((entry) => !supersedes.includes(entry.method));
      this.#log.push({ method, args });
      return result;
    }

    /** Loads an inventory (object or JSON string) for all later calls that omit it. */
    setInventory(inventory) {
      // A new inventory makes every earlier ledger call irrelevant to a rebuild.
      this.#record('setInventory', [json(inventory, 'inventory')], ['setInventory', ...LEDGER]);
    }

    /**
     * Routes one order (object or JSON string) and returns its plan. `options` =
     * `{ exclude: [warehouseIds], reason }` routes again without those locations (re-routing
     * after a rejection); with `reason: 'not_in_stock'` their loaded stock of the order's SKUs
     * drops to 0, so that call is recorded for replay like the other ledger calls.
     */
    route(order, inventory, options) {
      const text = orderJson(order);
      const inv = optionalJson(inventory, 'inventory');
      const opts = optionalJson(options, 'route options');
      if (inv === undefined && opts !== undefined && JSON.parse(opts).reason === 'not_in_stock') {
        return JSON.parse(this.#record('route', [text, undefined, opts]));
      }
      // The engine answers with JSON text: one JSON.parse costs a fraction of building the
      // plan object across the WebAssembly boundary field by field.
      return JSON.parse(this.#run((r) => r.route(text, inv, opts)));
    }

    /**
     * Routes many orders; one `{ ok, order, plan | error }` entry per order, in input order.
     * `options` is passed through to the engine as given (issue 10: `{ consume: false }`).
     */
    routeBatch(orders, inventory, options) {
      if (!Array.isArray(orders)) {
        throw new StockrouteError({ code: 'data.invalid', message: '`orders` must be an array' });
      }
      const inv = optionalJson(inventory, 'inventory');
      const opts = optionalJson(options, 'batch options');
      const entries = new Array(orders.length);
      const texts = [];
      const slots = [];
      for (let i = 0; i < orders.length; i++) {
        let order;
        try {
          order = orders[i];
          texts.push(orderJson(order));
          slots.push(i);
        } catch (e) {
          if (!(e instanceof StockrouteError)) throw e;
          entries[i] = { ok: false, order: e.order === undefined ? null : e.order, error: plainError(e) };
        }
      }
      const batch = (list) =>
        JSON.parse(this.#run((r) => (opts === undefined ? r.routeBatch(list, inv) : r.routeBatch(list, inv, opts))));
      let results;
      try {
        // Options are checked even for an empty batch (the CLI checks `--exclude` that way).
        results = texts.length || opts !== undefined ? batch(texts) : [];
      } catch (e) {
        if (!(e instanceof StockrouteError && e.code === 'internal')) throw e;
        // A trap aborted the batch: route the orders one at a time so only an order that
        // traps again fails and every other order still gets its plan. A consuming batch on
        // the loaded inventory keeps consuming: each plan is committed before the next order
        // and all are released at the end (with an inventory passed in the call the orders
        // are then independent).
        const consume = inv === undefined && !(opts !== undefined && JSON.parse(opts).consume === false);
        const committed = [];
        results = texts.map((text) => {
          try {
            const result = batch([text])[0];
            if (consume && result && result.ok) {
              const plan = JSON.stringify(result.plan);
              this.#run((r) => r.commit(plan));
              committed.push(plan);
            }
            return result;
          } catch (err) {
            if (!(err instanceof StockrouteError)) throw err;
            return { ok: false, order: readableOrderId(text), error: plainError(err) };
          }
        });
        for (const plan of committed.reverse()) this.#run((r) => r.release(plan));
      }
      slots.forEach((slot, k) => {
        entries[slot] = results[k];
      });
      return entries;
    }

    /**
     * Offered quantities per channel (or only `channel`) and SKU; `options.skus` computes only
     * those SKUs (after a ledger update, what it touched).
     */
    available(inventory, channel, options) {
      if (channel !== undefined && channel !== null && typeof channel !== 'string') {
        throw argumentError('`channel` must be a channel id (a string)');
      }
      const inv = optionalJson(inventory, 'inventory');
      const opts = optionalJson(options, 'availability options');
      return this.#run((r) => r.available(inv, absent(channel), opts));
    }

    /**
     * Applies stock rows `{ warehouse, sku, on_hand? | delta?, reserved?, safety?, status?,
     * backorderable?, backorder_limit? }` to the loaded inventory: all or none. Returns what
     * changed: `[{ warehouse, sku, before, after }]`.
     */
    applyStock(rows) {
      return this.#record('applyStock', [json(rows, 'stock rows')]);
    }

    /**
     * Replaces one location's stock with what its system reports (the rows' SKUs get their
     * `on_hand`; every other SKU there drops to 0). Returns what changed per SKU.
     */
    syncWarehouse(warehouseId, rows, options) {
      if (typeof warehouseId !== 'string') throw argumentError('`warehouseId` must be a warehouse id (a string)');
      const date = dateOption(options, 'sync options');
      const text = json(rows, 'stock rows');
      // The day is checked before anything changes (recording nothing checks it).
      this.#run((r) => r.recordSales(date, '[]'));
      const changes = this.#record('syncWarehouse', [warehouseId, text]);
      // A count that finds fewer units at a consignment location: units sold since the last
      // one, the sell-through `replenishment` reads when it gets no event log.
      const recorded = JSON.stringify(changes);
      this.#run((r) => r.recordSales(date, recorded));
      this.#sales.push({ date, changes: recorded });
      this.#sales = keepSalesDays(this.#sales);
      return changes;
    }

    /**
     * Replenishment proposals per consignment location and SKU (docs/replenishment.md).
     * `options` = `{ as_of?, events?, window_days?, warehouses? }`: `as_of` defaults to
     * today (UTC); `events` is the consignment event log (JSONL text or an array of events);
     * without it the sales come from the stock counts recorded by `syncWarehouse`.
     */
    replenishment(options, inventory) {
      const given = options === undefined || options === null ? {} : options;
      if (typeof given !== 'object' || Array.isArray(given)) throw argumentError('`options` must be an object such as `{ as_of: "2026-11-30" }`');
      const { events, ...rest } = given;
      if (rest.as_of === undefined || rest.as_of === null) rest.as_of = today();
      const opts = json(rest, 'replenishment options');
      let log;
      if (events === undefined || events === null) log = undefined;
      else if (typeof events === 'string') log = events;
      else log = JSON.parse(json(events, 'events'));
      const inv = optionalJson(inventory, 'inventory');
      return this.#run((r) => r.replenishment(opts, log, inv));
    }

    /**
     * Checks a plan a person made for `order` (docs/replenishment.md#manual-routing-checked):
     * `{ valid, plan, violations }`. `options.as_of` (the day it ships, for consignment
     * period ends) defaults to today (UTC).
     */
    validate(order, plan, options, inventory) {
      const orderText = orderJson(order);
      const planText = json(plan, 'plan');
      const opts = json({ as_of: dateOption(options, 'validate options') }, 'validate options');
      const inv = optionalJson(inventory, 'inventory');
      return this.#run((r) => r.validate(orderText, planText, opts, inv));
    }

    /** Reserves what a plan ships (and counts its shipments against location capacity). */
    commit(plan) {
      return this.#record('commit', [json(plan, 'plan')]);
    }

    /** Undoes `commit` for a plan. */
    release(plan) {
      return this.#record('release', [json(plan, 'plan')]);
    }

    /** The loaded inventory as it stands after every ledger call. */
    inventory() {
      return this.#run((r) => r.inventory());
    }

    /**
     * One forwarding message per shipment of `plan` (see docs/consignment.md): an `.eml`
     * for email locations, a JSON request body for api/wms ones, with the rendered
     * documents. `options.date` (YYYY-MM-DD or RFC 3339) defaults to today (UTC).
     */
    forward(plan, order, options, inventory) {
      const opts = { ...(options && typeof options === 'object' ? options : {}) };
      if (opts.date === undefined || opts.date === null) opts.date = today();
      const planText = json(plan, 'plan');
      const orderText = orderJson(order);
      const optsText = json(opts, 'forward options');
      const inv = optionalJson(inventory, 'inventory');
      return this.#run((r) => r.forward(planText, orderText, optsText, inv));
    }

    /** Names of the hooks the rule set defines. */
    hooks() {
      return this.#run((r) => r.hooks());
    }

    /** Warnings `check` reports for these rules: they compiled, but look like mistakes. */
    get warnings() {
      return this.#run((r) => r.warnings());
    }

    /** How each defined hook runs: `{ hook, mode: "compiled" }` or `{ hook, mode: "interpreted", reason }`. */
    hookModes() {
      return this.#run((r) => r.hookModes());
    }

    /** Releases the WebAssembly memory held by this router now rather than at GC. */
    free() {
      if (this.#freed) return;
      this.#freed = true;
      this.#log = [];
      engine.routers.delete(this.#ref);
      const raw = this.#raw;
      this.#raw = null;
      if (raw !== null && this.#generation === engine.generation) engine.call(() => raw.free());
    }

    /** Test-only: traps the instance while this router is borrowed (see `__testing`). */
    static [Symbol.for('stockroute.trapIn')](router, kind) {
      return router.#run((r) => r.trapForTesting(kind));
    }
  }

  /** Diagnostics, hooks and helper functions of a rule set, without running it. */
  function check(rules, name) {
    if (typeof rules !== 'string') throw argumentError('`rules` must be a string of Rhai source');
    if (name !== undefined && name !== null && typeof name !== 'string') throw argumentError('`name` must be a string');
    return engine.call(() => engine.raw().rawCheck(rules, absent(name)));
  }

  /**
   * Settles every consignment location for `period` (`2026-11` or
   * `2026-11-01..2026-11-15`) from the event log: JSONL text or an array of events.
   */
  function settle(inventory, events, period) {
    const inv = json(inventory, 'inventory');
    // JSONL text goes as it is (its errors name the line); an array crosses as a plain copy
    // made through JSON text, so no getter or Proxy of the caller's runs inside the engine.
    const log = typeof events === 'string' ? json(events, 'events') : JSON.parse(json(events, 'events'));
    const range = String(period);
    return engine.call(() => engine.raw().rawSettle(inv, log, range));
  }

  /** The engine version. */
  function version() {
    return engine.call(() => engine.raw().rawVersion());
  }

  /** The rule API for editors: hooks, helpers, objects with fields, split policy keys. */
  function apiMetadata() {
    return engine.call(() => engine.raw().rawApiMetadata());
  }

  /** Runs one data-driven rule test case (see docs/test-cases.md). */
  function runCase(caseJson, rules, files, name) {
    if (typeof rules !== 'string') throw argumentError('`rules` must be a string of Rhai source');
    if (name !== undefined && name !== null && typeof name !== 'string') throw argumentError('`name` must be a string');
    const text = json(caseJson, 'test case');
    const fileMap = optionalJson(files, 'files');
    return engine.call(() => engine.raw().rawRunCase(text, rules, fileMap, absent(name)));
  }

  /**
   * Test-only hooks for the trap-recovery tests (undocumented, not part of the API):
   * `trap(kind)` traps the instance outside any router, `trapIn(router, kind)` while that
   * router is borrowed; `restarts()` counts instance replacements.
   */
  const __testing = {
    trap: (kind) => engine.call(() => engine.raw().rawTrapForTesting(kind)),
    trapIn: (router, kind) => Router[Symbol.for('stockroute.trapIn')](router, kind),
    restarts: () => engine.restarts,
    liveRouters: () => [...engine.routers].filter((ref) => ref.deref() !== undefined).length,
  };

  const compare = makeCompare(Router);
  const warmup = makeWarmup(Router);

  return { Router, check, version, apiMetadata, runCase, settle, compare, warmup, __testing };
}

// ---- compare: replay orders against two rule sets ----------------------------------------

const STATUSES = ['single', 'split', 'partial', 'backordered', 'held', 'error'];

/** Exact sum of two decimal strings ("2.5" + "0.25" = "2.75"), no float in between. */
function addDecimal(a, b) {
  const parse = (s) => {
    const [int, frac = ''] = String(s).split('.');
    return { n: BigInt(int + frac), scale: frac.length };
  };
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const n = x.n * 10n ** BigInt(scale - x.scale) + y.n * 10n ** BigInt(scale - y.scale);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function linesText(lines) {
  return lines.length ? lines.map((l) => `${l.sku} × ${l.qty}`).join(', ') : '(none)';
}

/** What a comparison looks at: the decision, not its explanation (the trace). */
function outcomeOf(entry) {
  if (!entry.ok) return { status: 'error', error: { code: entry.error.code, message: entry.error.message } };
  const { status, shipments, backorders, hold } = entry.plan;
  const out = {
    status,
    shipments: shipments.map((s) => ({ warehouse: s.warehouse, lines: s.lines.map(({ line, sku, qty }) => ({ line, sku, qty })) })),
    backorders: backorders.map(({ line, sku, qty }) => ({ line, sku, qty })),
  };
  if (hold) out.hold = { reason: hold.reason };
  return out;
}

/** Each difference between two outcomes of one order, current → draft. */
function differences(current, draft) {
  const changes = [];
  const add = (what, a, b, text) => changes.push({ what, current: a, draft: b, text });
  if (current.status !== draft.status) add('status', current.status, draft.status, `status: ${current.status} → ${draft.status}`);
  const errorText = (o) => (o.error ? `${o.error.code}: ${o.error.message}` : '(routed)');
  if (current.error || draft.error) {
    const a = errorText(current);
    const b = errorText(draft);
    if (a !== b) add('error', current.error || null, draft.error || null, `error: ${a} → ${b}`);
  }
  const byWarehouse = (o) => new Map((o.shipments || []).map((s) => [s.warehouse, s.lines]));
  const a = byWarehouse(current);
  const b = byWarehouse(draft);
  for (const w of [...new Set([...a.keys(), ...b.keys()])]) {
    const la = a.get(w) || [];
    const lb = b.get(w) || [];
    if (JSON.stringify(la) !== JSON.stringify(lb)) add('shipment', la, lb, `${w}: ${linesText(la)} → ${linesText(lb)}`);
  }
  const ba = current.backorders || [];
  const bb = draft.backorders || [];
  if (JSON.stringify(ba) !== JSON.stringify(bb)) add('backorders', ba, bb, `backordered: ${linesText(ba)} → ${linesText(bb)}`);
  const ha = current.hold ? current.hold.reason : null;
  const hb = draft.hold ? draft.hold.reason : null;
  if (ha !== hb) add('hold', ha, hb, `held: ${ha === null ? '(not held)' : ha} → ${hb === null ? '(not held)' : hb}`);
  return changes;
}

function makeCompare(Router) {
  /**
   * Routes the same orders with a draft and the current rule set and reports what changes:
   * orders per status, shipments and units per warehouse, and each order whose plan differs
   * (status, shipments, backorders, hold; the trace is ignored) with what changed. `draft`
   * and `current` are each a Router, Rhai source, or `{ rules, options }`; routers built here
   * are freed before returning. `inventory` may be omitted when both Routers have one loaded.
   * `options` is `{ as_of }`: the routing day of both sides (default today).
   */
  return function compare(draft, current, orders, inventory, options) {
    if (!Array.isArray(orders)) throw new StockrouteError({ code: 'data.invalid', message: '`orders` must be an array' });
    const built = [];
    const open = (side, name) => {
      if (side instanceof Router) return side;
      let rules = side;
      let options = {};
      if (side !== null && typeof side === 'object' && typeof side.rules === 'string') {
        rules = side.rules;
        options = side.options || {};
      }
      if (typeof rules !== 'string') throw argumentError(`\`${name}\` must be a Router, Rhai source or { rules, options }`);
      const router = new Router(rules, { name, ...options });
      built.push(router);
      return router;
    };
    try {
      const draftRouter = open(draft, 'draft');
      const currentRouter = open(current, 'current');
      const inv = optionalJson(inventory, 'inventory');
      // Every order against the same stock (`consume: false`), so each difference is the
      // rules' own and not a knock-on effect of an earlier order's shipments.
      const day = options === undefined || options === null ? {} : options;
      if (typeof day !== 'object') throw argumentError('`options` must be an object such as `{ as_of: "2026-11-30" }`');
      const batchOptions = { ...day, consume: false };
      const currentEntries = currentRouter.routeBatch(orders, inv, batchOptions);
      const draftEntries = draftRouter.routeBatch(orders, inv, batchOptions);

      const statuses = Object.fromEntries(STATUSES.map((s) => [s, { current: 0, draft: 0, change: 0 }]));
      const load = new Map();
      const tally = (outcome, side) => {
        statuses[outcome.status][side]++;
        for (const s of outcome.shipments || []) {
          if (!load.has(s.warehouse)) {
            load.set(s.warehouse, { current: { shipments: 0, units: '0' }, draft: { shipments: 0, units: '0' } });
          }
          const w = load.get(s.warehouse)[side];
          w.shipments++;
          for (const l of s.lines) w.units = addDecimal(w.units, l.qty);
        }
      };
      const changed = [];
      for (let i = 0; i < orders.length; i++) {
        const a = outcomeOf(currentEntries[i]);
        const b = outcomeOf(draftEntries[i]);
        tally(a, 'current');
        tally(b, 'draft');
        const changes = differences(a, b);
        if (changes.length) {
          changed.push({ index: i, order: currentEntries[i].order ?? draftEntries[i].order ?? null, current: a, draft: b, changes });
        }
      }
      for (const s of STATUSES) statuses[s].change = statuses[s].draft - statuses[s].current;
      const warehouses = [...load.keys()].sort().map((warehouse) => ({ warehouse, ...load.get(warehouse) }));
      return { orders: orders.length, statuses, warehouses, changed, unchanged: orders.length - changed.length };
    } finally {
      for (const r of built) r.free();
    }
  };
}

// ---- warmup: let V8 tier the module up before latency matters ----------------------------

// A representative rule set: the hooks most rule sets use, so the interpreter paths they
// exercise are the ones compiled by V8's optimising tier.
const WARMUP_RULES = `
fn eligible(order, warehouse) {
    if warehouse.consignment { order.customer.type != "b2b" && warehouse.country == order.ship_to.country } else { true }
}
fn rank(order, warehouse) {
    let distance = if warehouse.location != () && order.ship_to.location != () {
        distance_km(warehouse, order.ship_to)
    } else {
        0
    };
    [if warehouse.consignment { 1 } else { 0 }, warehouse.priority, distance]
}
fn split(order) {
    #{ strategy: "per_line_priority", max_shipments: 3,
       unfulfillable: if order.customer.type == "b2b" { "hold" } else { "backorder" } }
}
fn offer(channel, warehouse, sku, qty) {
    if warehouse.consignment { (qty * 0.8).floor() } else { qty }
}
`;

function warmupInventory() {
  const warehouses = [];
  const stock = [];
  for (let i = 0; i < 8; i++) {
    const consignment = i >= 5;
    const w = {
      id: `W${i}`,
      kind: consignment ? 'consignment' : 'own',
      priority: 1 + (i % 3),
      country: i % 2 ? 'AT' : 'DE',
      location: { lat: 47 + i * 0.7, lon: 8 + i * 0.9 },
    };
    if (consignment) Object.assign(w, { owner: `Retailer ${i}`, forward: { method: 'email', to: `r${i}@example.com` } });
    warehouses.push(w);
    for (let k = 0; k < 6; k++) stock.push({ warehouse: w.id, sku: `S${k}`, on_hand: (i * 7 + k * 3) % 9 });
  }
  return { warehouses, stock, channels: [{ id: 'web', include_consignment: true }, { id: 'market' }] };
}

function warmupOrder(n) {
  const lines = [];
  for (let j = 0; j <= n % 5; j++) lines.push({ id: String(j + 1), sku: `S${(n + j) % 6}`, qty: 1 + ((n + j) % 4) });
  return {
    id: `warmup-${n}`,
    channel: n % 3 ? 'web' : 'market',
    customer: { type: n % 4 ? 'b2c' : 'b2b' },
    ship_to: { country: n % 2 ? 'DE' : 'AT', location: { lat: 48 + (n % 5), lon: 9 + (n % 7) } },
    lines,
  };
}

function makeWarmup(Router) {
  /**
   * Routes `calls` synthetic orders (default 1,000) through a representative rule set and the
   * engine's default strategy, then frees them: V8 runs a new WebAssembly module on its
   * baseline compiler first and compiles hot functions with its optimising tier as they are
   * used, so the first ≈1,000 calls in a fresh process are many times slower. Compiled code
   * belongs to the module, so every Router (and the instance after a restart) benefits.
   * Returns `{ calls, ms }`. See docs/js-api.md for measured figures.
   */
  return function warmup(options = {}) {
    const calls = options && Number.isInteger(options.calls) && options.calls > 0 ? options.calls : 1000;
    const now = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();
    const t0 = now();
    const inventory = JSON.stringify(warmupInventory());
    const routers = [new Router(WARMUP_RULES, { name: 'warmup.rhai' }), new Router('', { name: 'warmup-defaults.rhai' })];
    try {
      for (const r of routers) r.setInventory(inventory);
      for (let n = 0; n < calls; n++) routers[n % 2].route(JSON.stringify(warmupOrder(n)));
      routers[0].available();
    } finally {
      for (const r of routers) r.free();
    }
    return { calls, ms: Math.round((now() - t0) * 10) / 10 };
  };
}
