// Browser entry: a plain ES module (no bundler, no cross-origin isolation needed).
//
//   import init, { Router } from './pkg/web/index.js';
//   await init();            // fetches stockroute_bg.wasm next to this file
//   const router = new Router(rulesText);
//
// `init` compiles the module once and keeps it: after a WebAssembly trap the wrapper
// instantiates the same compiled module again, synchronously (js/api.js).
import { createGlue } from './glue.js';
import { makeApi, StockrouteError } from './api.js';

let compiled = null;
let pending = null;

function ensureReady() {
  if (compiled === null) {
    throw new Error('stockroute is not initialised: `await init()` once before using it');
  }
}

function instantiate() {
  const glue = createGlue();
  glue.initSync({ module: compiled });
  return glue;
}

async function compile(input) {
  if (input instanceof WebAssembly.Module) return input;
  let source = input === undefined ? new URL('stockroute_bg.wasm', import.meta.url) : input;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) {
    source = await fetch(source);
  }
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`failed to fetch stockroute_bg.wasm: ${source.status} ${source.statusText} (${source.url})`);
    const typed = (source.headers.get('content-type') || '').split(';')[0].trim() === 'application/wasm';
    if (typed && typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(source);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  throw new TypeError('init() takes a URL, a Response, bytes or a WebAssembly.Module');
}

/**
 * Loads the WebAssembly module. Call once and await it; later calls return at once.
 * `input` may be a URL (string or URL), a Request or Response, bytes, or a
 * WebAssembly.Module; by default `stockroute_bg.wasm` is fetched from next to this file.
 */
export default function init(input) {
  if (!pending) {
    pending = compile(input).then((module) => {
      compiled = module;
      // Instantiate now so a broken module fails `init`, not the first call.
      api.version();
    });
    pending.catch(() => {
      pending = null;
      compiled = null;
    });
  }
  return pending;
}

const api = makeApi(instantiate, ensureReady);

export const { Router, check, version, apiMetadata, runCase, settle, compare, warmup, __testing } = api;
export { StockrouteError };
