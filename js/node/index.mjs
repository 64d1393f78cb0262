// Node entry (ES module): the same objects as the CommonJS entry, so `instanceof` checks
// agree whichever way the package is loaded.
import cjs from './index.cjs';

export const { Router, check, version, apiMetadata, runCase, settle, compare, warmup, StockrouteError, wasmModule, useModule, __testing } = cjs;
export default cjs.init;
