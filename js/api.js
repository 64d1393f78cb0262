// The public JavaScript API, shared by the Node and browser entries.
//
// `makeApi(raw)` wraps the raw wasm-bindgen exports (`RawRouter`, `rawCheck`, ...) so that
// errors thrown by the WebAssembly side (plain objects with `code`, `message`,
// `diagnostics`) become `StockrouteError` instances. No routing logic lives here.
// This file is ES module source; scripts/build-pkg.sh also emits a CommonJS copy of it.

const FIELDS = [
  'code', 'help', 'rule', 'hook', 'line', 'column', 'columnUtf16', 'path', 'order',
  'orderLine', 'warehouse',
];

/** An error from stockroute: rule compile/runtime errors, sandbox limits, bad data. */
export class StockrouteError extends Error {
  constructor(details) {
    const d = details && typeof details === 'object' ? details : { message: String(details) };
    super(typeof d.message === 'string' ? d.message : 'unknown error');
    this.name = 'StockrouteError';
    for (const key of FIELDS) {
      this[key] = d[key] === undefined ? undefined : d[key];
    }
    if (this.code === undefined) this.code = 'data.invalid';
    this.diagnostics = Array.isArray(d.diagnostics) ? d.diagnostics : [];
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

export function makeApi(raw, ensureReady = () => {}) {
  const call = (f) => {
    ensureReady();
    try {
      return f();
    } catch (e) {
      return rethrow(e);
    }
  };

  class Router {
    #raw;

    /** Compiles `rules` (Rhai source) once; throws StockrouteError listing every diagnostic. */
    constructor(rules, options) {
      if (typeof rules !== 'string') {
        throw new StockrouteError({ code: 'options.invalid', message: '`rules` must be a string of Rhai source' });
      }
      this.#raw = call(() => new raw.RawRouter(rules, absent(options)));
    }

    #handle() {
      if (!this.#raw) {
        throw new StockrouteError({ code: 'options.invalid', message: 'this router has been freed' });
      }
      return this.#raw;
    }

    /** Loads an inventory (object or JSON string) for all later calls that omit it. */
    setInventory(inventory) {
      const r = this.#handle();
      call(() => r.setInventory(inventory));
    }

    /** Routes one order (object or JSON string) and returns its plan. */
    route(order, inventory) {
      const r = this.#handle();
      return call(() => r.route(order, absent(inventory)));
    }

    /** Routes many orders; one `{ ok, order, plan | error }` entry per order, in input order. */
    routeBatch(orders, inventory) {
      if (!Array.isArray(orders)) {
        throw new StockrouteError({ code: 'data.invalid', message: '`orders` must be an array' });
      }
      const r = this.#handle();
      return call(() => r.routeBatch(orders, absent(inventory)));
    }

    /** Offered quantities per channel (or only `channel`) and SKU. */
    available(inventory, channel) {
      const r = this.#handle();
      return call(() => r.available(absent(inventory), absent(channel)));
    }

    /** Names of the hooks the rule set defines. */
    hooks() {
      const r = this.#handle();
      return call(() => r.hooks());
    }

    /** Releases the WebAssembly memory held by this router now rather than at GC. */
    free() {
      if (this.#raw) {
        this.#raw.free();
        this.#raw = undefined;
      }
    }
  }

  /** Diagnostics, hooks and helper functions of a rule set, without running it. */
  function check(rules, name) {
    return call(() => raw.rawCheck(String(rules), absent(name)));
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

  return { Router, check, version, apiMetadata, runCase };
}
