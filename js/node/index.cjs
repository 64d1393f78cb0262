'use strict';
// Node entry (CommonJS). The WebAssembly module is loaded synchronously on require, so
// nothing needs initialising; `init()` exists only so code can be shared with browsers.
const raw = require('./stockroute.js');
const { makeApi, StockrouteError } = require('./api.cjs');

const api = makeApi(raw);

/** No-op in Node (already initialised); the browser entry needs it awaited once. */
async function init() {}

module.exports = {
  Router: api.Router,
  check: api.check,
  version: api.version,
  apiMetadata: api.apiMetadata,
  runCase: api.runCase,
  settle: api.settle,
  StockrouteError,
  init,
  default: init,
};
