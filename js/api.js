// The public JavaScript API, shared by the Node and browser entries.
//
// `makeApi(raw)` wraps the raw wasm-bindgen exports (`RawRouter`, `rawCheck`, ...) so that
// errors thrown by the WebAssembly side (plain objects with `code`, `message`,
// `diagnostics`) become `StockrouteError` instances. No routing logic lives here.
// This file is ES module source; scripts/build-pkg.sh also emits a CommonJS copy of it.

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

function rethrow(e) {
  if (e instanceof StockrouteError) throw e;
  if (e && typeof e === 'object' && !(e instanceof Error) && typeof e.code === 'string') {
    throw new StockrouteError(e);
  }
  throw e;
}

// Limits and names are passed through as given; absent values become `undefined` so the
// WebAssembly side sees "not given" rather than `null`.
function absent(value) {
  return value === undefined || value === null ? undefined : value;
}

function orderId(order) {
  let value = order;
  if (typeof order === 'string') {
    try {
      value = JSON.parse(order);
    } catch {
      return null;
    }
  }
  return value && typeof value.id === 'string' ? value.id : null;
}

// The plain error object of a `routeBatch` entry, from a thrown StockrouteError.
function plainError(e) {
  return e.toJSON();
}

// Today's date (UTC) for `forward`: the engine has no clock of its own.
function today() {
  return new Date().toISOString().slice(0, 10);
}

export function makeApi(raw, ensureReady = () => {}) {
  // A WebAssembly trap (a Rust panic: an engine bug, never expected) leaves the raw object
  // that was running permanently borrowed. Rather than poison the caller's router for good,
  // the router rebuilds its raw object from the same rules, options and inventory and
  // reports the failed call as a StockrouteError with code `internal`.
  const isTrap = (e) => typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
  const trapError = (e, what) => new StockrouteError({
    code: 'internal',
    message: `internal engine error (WebAssembly trap: ${e.message}); ${what}`,
  });

  const call = (f) => {
    ensureReady();
    try {
      return f();
    } catch (e) {
      if (isTrap(e)) throw trapError(e, 'please report it with the rules and data that caused it');
      return rethrow(e);
    }
  };

  // Inputs kept for replay are snapshotted as JSON text where possible, so a caller mutating
  // its objects later cannot change what a rebuilt router replays.
  const snapshot = (value) => {
    if (value === undefined || value === null || typeof value === 'string') return value;
    try {
      const text = JSON.stringify(value);
      return text === undefined ? value : text;
    } catch {
      return value;
    }
  };

  class Router {
    #raw;
    #rules;
    #options;
    #inventory;
    #hasInventory = false;
    // Successful state-changing calls on the loaded inventory since the last setInventory
    // (applyStock, syncWarehouse, commit, release, a not_in_stock re-route), replayed in order
    // into a rebuilt router after a trap so it holds the same stock.
    #log = [];

    /** Compiles `rules` (Rhai source) once; throws StockrouteError listing every diagnostic. */
    constructor(rules, options) {
      if (typeof rules !== 'string') {
        const diagnostic = { code: 'options.invalid', severity: 'error', message: '`rules` must be a string of Rhai source' };
        throw new StockrouteError({ ...diagnostic, diagnostics: [diagnostic] });
      }
      this.#rules = rules;
      this.#options = absent(options);
      this.#raw = call(() => new raw.RawRouter(rules, this.#options));
    }

    #run(f) {
      ensureReady();
      if (!this.#raw) {
        throw new StockrouteError({ code: 'options.invalid', message: 'this router has been freed' });
      }
      try {
        return f(this.#raw);
      } catch (e) {
        if (!isTrap(e)) return rethrow(e);
        // The trapped object cannot even be freed (it is still borrowed): drop it.
        this.#raw = undefined;
        try {
          const fresh = new raw.RawRouter(this.#rules, this.#options);
          if (this.#hasInventory) fresh.setInventory(this.#inventory);
          for (const { method, args } of this.#log) fresh[method](...args);
          this.#raw = fresh;
        } catch {
          throw trapError(e, 'the router could not be rebuilt and has been freed');
        }
        throw trapError(e, 'the router was rebuilt and can be used again');
      }
    }

    /** Loads an inventory (object or JSON string) for all later calls that omit it. */
    setInventory(inventory) {
      this.#run((r) => r.setInventory(inventory));
      this.#inventory = inventory;
      this.#hasInventory = true;
      this.#log = [];
    }

    /**
     * Runs a raw method that changes the loaded inventory and records it for replay. The
     * arguments cross as JSON text where they can: the engine then refuses unknown keys
     * (`onhand`) as it does for JSON input, and the log holds exactly what was applied.
     */
    #change(method, ...args) {
      const sent = args.map(snapshot);
      const result = this.#run((r) => r[method](...sent));
      this.#log.push({ method, args: sent });
      return result;
    }

    /**
     * Routes one order (object or JSON string) and returns its plan. `options` =
     * `{ exclude: [warehouseIds], reason }` routes again without those locations; with
     * `reason: 'not_in_stock'` their loaded stock of the order's SKUs drops to 0.
     */
    route(order, inventory, options) {
      const opts = absent(options);
      if (opts && absent(inventory) === undefined && opts.reason === 'not_in_stock') {
        return this.#change('route', snapshot(order), undefined, snapshot(opts));
      }
      return this.#run((r) => r.route(order, absent(inventory), opts));
    }

    /**
     * Routes many orders in order; one `{ ok, order, plan | error }` entry per order, in input
     * order. By default each order sees the stock the earlier orders' shipments left; `options`
     * = `{ consume: false }` routes every order against the same stock, `{ exclude }` leaves
     * locations out. The loaded inventory is unchanged afterwards (commit plans to keep them).
     */
    routeBatch(orders, inventory, options) {
      if (!Array.isArray(orders)) {
        throw new StockrouteError({ code: 'data.invalid', message: '`orders` must be an array' });
      }
      const opts = absent(options);
      try {
        return this.#run((r) => r.routeBatch(orders, absent(inventory), opts));
      } catch (e) {
        if (!(e instanceof StockrouteError && e.code === 'internal' && this.#raw)) throw e;
      }
      // A trap aborted the batch: route the orders one by one so only the order that
      // triggers it fails and every other order still gets its plan. On the loaded inventory
      // a consuming batch keeps consuming: each plan is committed, and all are released at
      // the end. (With an inventory passed in the call the orders are then independent.)
      const consume = absent(inventory) === undefined && this.#hasInventory && !(opts && opts.consume === false);
      const exclude = opts && opts.exclude ? { exclude: opts.exclude } : undefined;
      const committed = [];
      const results = orders.map((order) => {
        try {
          const plan = this.#run((r) => r.route(order, absent(inventory), exclude));
          if (consume) {
            this.#run((r) => r.commit(plan));
            committed.push(plan);
          }
          return { ok: true, order: plan.order, plan };
        } catch (e) {
          if (!(e instanceof StockrouteError) || !this.#raw) throw e;
          return { ok: false, order: orderId(order), error: plainError(e) };
        }
      });
      for (const plan of committed.reverse()) this.#run((r) => r.release(plan));
      return results;
    }

    /**
     * Offered quantities per channel (or only `channel`) and SKU; `options.skus` computes only
     * those SKUs (after a ledger update, what it touched).
     */
    available(inventory, channel, options) {
      return this.#run((r) => r.available(absent(inventory), absent(channel), absent(options)));
    }

    /**
     * Applies stock rows `{ warehouse, sku, on_hand? | delta?, reserved?, safety?, status?,
     * backorderable?, backorder_limit? }` to the loaded inventory: all or none. Returns what
     * changed: `[{ warehouse, sku, before, after }]`.
     */
    applyStock(rows) {
      return this.#change('applyStock', rows);
    }

    /**
     * Replaces one location's stock with what its system reports (the rows' SKUs get their
     * `on_hand`; every other SKU there drops to 0). Returns what changed per SKU.
     */
    syncWarehouse(warehouseId, rows) {
      return this.#change('syncWarehouse', String(warehouseId), rows);
    }

    /** Reserves what a plan ships (and counts its shipments against location capacity). */
    commit(plan) {
      return this.#change('commit', plan);
    }

    /** Undoes `commit` for a plan. */
    release(plan) {
      return this.#change('release', plan);
    }

    /** The loaded inventory as it stands after every ledger operation. */
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
      return this.#run((r) => r.forward(plan, order, opts, absent(inventory)));
    }

    /** Names of the hooks the rule set defines. */
    hooks() {
      return this.#run((r) => r.hooks());
    }

    /** Releases the WebAssembly memory held by this router now rather than at GC. */
    free() {
      if (this.#raw) {
        this.#raw.free();
        this.#raw = undefined;
        this.#inventory = undefined;
        this.#log = [];
      }
    }
  }

  /** Diagnostics, hooks and helper functions of a rule set, without running it. */
  function check(rules, name) {
    return call(() => raw.rawCheck(String(rules), absent(name)));
  }

  /**
   * Settles every consignment location for `period` (`2026-11` or
   * `2026-11-01..2026-11-15`) from the event log: JSONL text or an array of events.
   */
  function settle(inventory, events, period) {
    return call(() => raw.rawSettle(inventory, events, String(period)));
  }

  /** The engine version. */
  function version() {
    return call(() => raw.rawVersion());
  }

  /** The rule API for editors: hooks, helpers, objects with fields, split policy keys. */
  function apiMetadata() {
    return call(() => raw.rawApiMetadata());
  }

  /** Runs one data-driven rule test case (see docs/test-cases.md). */
  function runCase(caseJson, rules, files, name) {
    const text = typeof caseJson === 'string' ? caseJson : JSON.stringify(caseJson);
    return call(() => raw.rawRunCase(text, String(rules), absent(files), absent(name)));
  }

  return { Router, check, version, apiMetadata, runCase, settle };
}
