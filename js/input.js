// JavaScript input → JSON text for the WebAssembly side.
//
// Every order, inventory, options object and file map goes to the engine as JSON text,
// never as a live JavaScript object. A live object would be read field by field from inside
// WebAssembly: a getter or Proxy that throws there unwinds through the module without
// restoring its stack (enough of them kill the instance), a deep or cyclic object overflows
// the native stack, and lone surrogates were silently replaced by U+FFFD. Text is parsed by
// serde_json with its depth limit (127 levels) and every problem found here is a StockrouteError
// (`data.invalid`) naming the field path, e.g. `lines[1].qty`.
//
// Fast path: a quick walk (`isPlainJson`) that only answers "nothing JSON would drop or
// alter silently here" (functions, symbols, BigInt, NaN/Infinity, Map/Set, `undefined` in a
// list, text that is not valid Unicode, too deep), then a bare `JSON.stringify`, which V8
// runs on its fast path (a replacer function would take it off that path and double the
// cost). Anything else, a toJSON method included, goes the careful way: `explain` finds the
// path and the reason, and a stringify with a checking replacer does the rest. Measured in
// scripts/bench-input.mjs.

/**
 * The deepest nesting accepted: the engine parses with serde_json's recursion limit (128),
 * which admits 127 nested levels (the order object itself is level 1).
 */
export const MAX_DEPTH = 127;

const hasIsWellFormed = typeof String.prototype.isWellFormed === 'function';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(s) {
  return hasIsWellFormed ? s.isWellFormed() : !LONE_SURROGATE.test(s);
}

/** Thrown by the replacer: the value at hand is not representable; `explain` says why. */
const NOT_JSON = Symbol('not JSON');

// A plain function: JSON.stringify calls it with the holder as `this`.
function replacer(key, value) {
  // One-byte strings (nearly every key) answer this in constant time.
  if (!isWellFormed(key)) throw NOT_JSON;
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) throw NOT_JSON;
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw NOT_JSON;
      return value;
    case 'object':
      if (value !== null && (value instanceof Map || value instanceof Set)) throw NOT_JSON;
      return value;
    case 'undefined':
      // An absent field in an object, as in JSON; in a list JSON would write `null` instead.
      if (Array.isArray(this)) throw NOT_JSON;
      return value;
    case 'function':
    case 'symbol':
    case 'bigint':
      throw NOT_JSON;
    default:
      return value;
  }
}

function joinPath(path, key) {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function describeThrown(e) {
  if (e && typeof e.message === 'string') return e.message;
  try {
    return String(e);
  } catch {
    return 'an exception';
  }
}

/**
 * True when `v` is plain JSON data: JSON.stringify would neither drop nor alter anything in
 * it. False means "look closer" (it may still be fine: a Date, say, has a toJSON method).
 * Getters run here and again in JSON.stringify; one that throws is caught by the caller.
 */
function isPlainJson(v, depth) {
  switch (typeof v) {
    case 'string':
      return isWellFormed(v);
    case 'number':
      return Number.isFinite(v);
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (item === undefined || !isPlainJson(item, depth + 1)) return false;
        }
        return true;
      }
      if (v instanceof Map || v instanceof Set || typeof v.toJSON === 'function') return false;
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        if (!isWellFormed(k)) return false;
        const item = v[k];
        if (item !== undefined && !isPlainJson(item, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** The path and reason of the first part of `value` that has no JSON form, or null. */
export function explain(value) {
  const ancestors = [];
  let found = null;
  const fault = (path, message) => {
    found = { path, message };
    return false;
  };

  function visit(v, path, depth) {
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return fault(path, 'text that is not valid Unicode (it contains a lone UTF-16 surrogate)');
      return true;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return fault(path, `\`${v}\` is not a finite number`);
      return true;
    }
    if (typeof v === 'bigint') return fault(path, `a BigInt (\`${v}n\`) has no JSON form; pass the number as a string ("${v}")`);
    if (typeof v === 'symbol') return fault(path, 'a Symbol has no JSON form');
    if (typeof v === 'function') return fault(path, 'a function is not data');
    if (v === null || typeof v !== 'object') return true;
    if (depth > MAX_DEPTH) return fault(path, `nested more than ${MAX_DEPTH} levels deep`);
    if (ancestors.includes(v)) return fault(path, 'refers back to an object that contains it (a cycle)');
    if (v instanceof Map || v instanceof Set) {
      return fault(path, `a ${v instanceof Map ? 'Map' : 'Set'} has no JSON form; use a plain ${v instanceof Map ? 'object' : 'array'}`);
    }
    let toJSON;
    try {
      toJSON = v.toJSON;
    } catch (e) {
      return fault(path, `reading it threw: ${describeThrown(e)}`);
    }
    let subject = v;
    try {
      if (typeof toJSON === 'function') subject = toJSON.call(v, '');
    } catch (e) {
      return fault(path, `its toJSON() threw: ${describeThrown(e)}`);
    }
    if (subject !== v) return visit(subject, path, depth);
    ancestors.push(v);
    try {
      let keys;
      try {
        keys = Array.isArray(v) ? null : Object.keys(v);
      } catch (e) {
        return fault(path, `listing its fields threw: ${describeThrown(e)}`);
      }
      if (keys === null) {
        let length;
        try {
          length = v.length;
        } catch (e) {
          return fault(path, `reading its length threw: ${describeThrown(e)}`);
        }
        for (let i = 0; i < length; i++) {
          let item;
          try {
            item = v[i];
          } catch (e) {
            return fault(joinPath(path, i), `reading it threw: ${describeThrown(e)}`);
          }
          if (item === undefined) return fault(joinPath(path, i), 'a list entry is `undefined`');
          if (!visit(item, joinPath(path, i), depth + 1)) return false;
        }
      } else {
        for (const k of keys) {
          const p = joinPath(path, k);
          if (!isWellFormed(k)) return fault(p, 'a field name that is not valid Unicode (it contains a lone UTF-16 surrogate)');
          let item;
          try {
            item = v[k];
          } catch (e) {
            return fault(p, `reading it threw: ${describeThrown(e)}`);
          }
          if (!visit(item, p, depth + 1)) return false;
        }
      }
      return true;
    } finally {
      ancestors.pop();
    }
  }

  try {
    visit(value, '', 1);
  } catch (e) {
    // Only a host limit (a Proxy trap recursing, out of memory) gets here.
    return { path: '', message: `it could not be read: ${describeThrown(e)}` };
  }
  return found;
}

function invalid(what, path, message, StockrouteError, code) {
  // `path` stays whole; the message shortens a very deep one.
  const shown = path.length > 80 ? `${path.slice(0, 60)}…${path.slice(-12)}` : path;
  const where = path ? ` at \`${shown}\`` : '';
  const diagnostic = {
    code,
    severity: 'error',
    message: `invalid ${what}${where}: ${message}`,
    ...(path ? { path } : {}),
  };
  return new StockrouteError({ ...diagnostic, diagnostics: [diagnostic] });
}

/**
 * JSON text for `value` (an object, or already JSON text), or a StockrouteError naming the
 * field that cannot be represented. `what` names the input in messages (`order`); `code`
 * is the error code (`options.invalid` for options).
 */
export function toJsonText(value, what, StockrouteError, code = 'data.invalid') {
  if (typeof value === 'string') {
    if (isWellFormed(value)) return value;
    // Unescaped lone surrogates would reach the engine replaced by U+FFFD (the text is
    // encoded as UTF-8 on the way in): reject them here, at their field when the text parses.
    let parsed;
    let parses = true;
    try {
      parsed = JSON.parse(value);
    } catch {
      parses = false;
    }
    const found = parses ? explain(parsed) : null;
    if (found) throw invalid(what, found.path, found.message, StockrouteError, code);
    const index = value.search(LONE_SURROGATE);
    throw invalid(what, '', `the JSON text is not valid Unicode (a lone UTF-16 surrogate at character ${index + 1})`, StockrouteError, code);
  }
  if (value === undefined) throw invalid(what, '', `no ${what} was given (\`undefined\`)`, StockrouteError, code);
  let text;
  let thrown;
  try {
    if (isPlainJson(value, 1)) text = JSON.stringify(value);
  } catch (e) {
    thrown = e;
  }
  if (typeof text === 'string') return text;
  const found = explain(value);
  if (found) throw invalid(what, found.path, found.message, StockrouteError, code);
  // Nothing wrong on a closer look (a Date's toJSON, say): the careful stringify decides.
  thrown = undefined;
  try {
    text = JSON.stringify(value, replacer);
  } catch (e) {
    thrown = e;
  }
  if (typeof text === 'string') return text;
  // The walk found nothing wrong the second time (a getter that throws only once, say).
  const reason = thrown === undefined ? 'it has no JSON form' : `converting it to JSON threw: ${describeThrown(thrown)}`;
  throw invalid(what, '', reason, StockrouteError, code);
}

/** The order id of an input whose conversion or parsing failed, when it is readable. */
export function readableOrderId(order) {
  try {
    const value = typeof order === 'string' ? JSON.parse(order) : order;
    return value && typeof value === 'object' && typeof value.id === 'string' ? value.id : null;
  } catch {
    return null;
  }
}
