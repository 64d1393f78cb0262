'use strict';
// A worker thread of `stockroute route --jobs N`: the same rules and inventory as the main
// thread, the compiled WebAssembly module received from it (no second compile), routing
// chunks of lines and answering with the formatted output of each.

const { parentPort, workerData } = require('worker_threads');
const api = require('../node/index.cjs');
const { routeChunk } = require('./route-lines.js');

api.useModule(workerData.module);
const router = new api.Router(workerData.rules, workerData.options);
router.setInventory(workerData.inventory);

parentPort.on('message', ({ seq, text, numbers }) => {
  const lines = text.split('\n').map((t, i) => ({ no: numbers[i], text: t }));
  parentPort.postMessage({ seq, chunk: routeChunk(router, lines, workerData.shownName, workerData.pretty, workerData.mode) });
});
