// Browser entry: a plain ES module (no bundler, no cross-origin isolation needed).
//
//   import init, { Router } from './pkg/web/index.js';
//   await init();            // fetches stockroute_bg.wasm next to this file
//   const router = new Router(rulesText);
import initWasm, * as raw from './stockroute.js';
import { makeApi, StockrouteError } from './api.js';

let ready = false;
let pending = null;

function ensureReady() {
  if (!ready) {
    throw new Error('stockroute is not initialised: `await init()` once before using it');
  }
}

/**
 * Loads the WebAssembly module. Call once and await it; later calls return at once.
 * `input` may be a URL (string or URL), a Response, bytes, or a WebAssembly.Module;
 * by default `stockroute_bg.wasm` is fetched from next to this file.
 */
export default function init(input) {
  if (!pending) {
    const arg = input === undefined ? undefined : { module_or_path: input };
    pending = initWasm(arg).then(() => {
      ready = true;
    });
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

const api = makeApi(raw, ensureReady);

export const { Router, check, version, apiMetadata, runCase, settle } = api;
export { StockrouteError };
