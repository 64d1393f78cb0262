'use strict';
// Node entry (CommonJS). The package ships one WebAssembly file, web/stockroute_bg.wasm,
// shared with the browser entry: it is read and compiled here synchronously on first use,
// so nothing needs initialising; `init()` exists only so code can be shared with browsers.
// The compiled module is kept: after a trap the wrapper instantiates it again (js/api.js).
const fs = require('fs');
const path = require('path');
const { createGlue } = require('./glue.cjs');
const { makeApi, StockrouteError } = require('./api.cjs');

const WASM = path.join(__dirname, '..', 'web', 'stockroute_bg.wasm');
let compiled = null;

/** The compiled module, for worker threads (a WebAssembly.Module can be posted to them). */
function wasmModule() {
  if (compiled === null) compiled = new WebAssembly.Module(fs.readFileSync(WASM));
  return compiled;
}

/** A worker thread that received the parent's module through `useModule` skips compiling. */
function useModule(module) {
  if (!(module instanceof WebAssembly.Module)) throw new TypeError('useModule expects a WebAssembly.Module');
  if (compiled === null) compiled = module;
}

function instantiate() {
  const glue = createGlue();
  glue.initSync({ module: wasmModule() });
  return glue;
}

const api = makeApi(instantiate);

/** No-op in Node (initialised on first use); the browser entry needs it awaited once. */
async function init() {}

module.exports = {
  Router: api.Router,
  check: api.check,
  version: api.version,
  apiMetadata: api.apiMetadata,
  runCase: api.runCase,
  settle: api.settle,
  compare: api.compare,
  warmup: api.warmup,
  StockrouteError,
  init,
  default: init,
  wasmModule,
  useModule,
  __testing: api.__testing,
};
