'use strict';
// `stockroute route`: orders in (JSON Lines, streamed), plans out, in input order.

const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { Worker } = require('worker_threads');
const { routeChunk } = require('../route-lines.js');
const { Progress } = require('../progress.js');

const usage = `usage: stockroute route --rules R.rhai --inventory inventory.json [orders.jsonl | -]
                        [--pretty] [--no-trace] [--independent] [--exclude W1,W2]
                        [--as-of YYYY-MM-DD]
                        [--jobs N|auto] [--no-progress]

Routes each order (one JSON object per line; '-' or no file reads standard input) in file
order, each seeing the stock the earlier orders' shipments left, and prints one plan per
line (JSON Lines) in input order, or a readable report with --pretty. The inventory file
itself is not changed.
Orders are streamed: each plan is written as soon as its order is routed. An order that
fails prints {"order": ..., "error": {...}} on its line and a message on stderr; the others
are routed as usual (exit 1 if any failed).

options:
  --rules R.rhai       the rule set
  --inventory FILE     the inventory (JSON)
  --pretty             a readable report instead of JSON Lines
  --no-trace           plans without their trace (faster at volume)
  --independent        every order against the inventory as the file gives it (what-if)
  --exclude W1,W2      no order ships from these locations
  --as-of YYYY-MM-DD   the routing day (default today): consignment locations whose period
                       ended before it do not ship
  --jobs N|auto        worker threads, with --independent only (consuming orders in file
                       order is sequential); auto (default) uses every core for files of
                       1 MB and more, one thread otherwise and for standard input
  --no-progress        no progress line (it is shown only when stderr is a terminal)

examples:
  stockroute route --rules rules/own-first-then-consignment.rhai --inventory examples/inventory.json examples/orders.jsonl
  stockroute route --rules rules/own-first-then-consignment.rhai --inventory examples/inventory.json --pretty examples/orders.jsonl
  cat examples/orders.jsonl | stockroute route --rules rules/own-first-then-consignment.rhai --inventory examples/inventory.json --no-trace -`;

/** Lines per message to a worker, and per routeBatch call on one thread. */
const CHUNK = 256;
/** Chunks a worker may have in flight before reading pauses. */
const IN_FLIGHT = 2;
/** `--jobs auto` uses worker threads for order files at least this large. */
const PARALLEL_FROM_BYTES = 1 << 20;

function jobsFor(value, ordersFile, helpers) {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (value === undefined || value === 'auto') {
    if (ordersFile === '-' || cores < 2) return 1;
    return fs.statSync(ordersFile).size >= PARALLEL_FROM_BYTES ? Math.min(cores, 8) : 1;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) helpers.usage(`\`--jobs\` must be \`auto\` or a whole number from 1 to 64, not \`${value}\``);
  return n;
}

/** Worker threads routing chunks; falls back to the main thread for a worker that dies. */
class Pool {
  constructor(n, workerData, fallback, onResult) {
    this.fallback = fallback;
    this.onResult = onResult;
    this.workers = [];
    for (let i = 0; i < n; i++) {
      const w = { worker: new Worker(path.join(__dirname, '..', 'route-worker.js'), { workerData }), inFlight: new Map(), alive: true };
      w.worker.on('message', ({ seq, chunk }) => {
        w.inFlight.delete(seq);
        this.onResult(seq, chunk);
      });
      const fail = () => {
        if (!w.alive) return;
        w.alive = false;
        // Whatever it had not answered is routed here: no order is lost with its worker.
        const orphans = [...w.inFlight.entries()];
        w.inFlight.clear();
        for (const [seq, lines] of orphans) this.onResult(seq, this.fallback(lines));
      };
      w.worker.on('error', fail);
      w.worker.on('exit', fail);
      this.workers.push(w);
    }
  }

  /** Sends a chunk to the least busy live worker; false when every worker is busy. */
  send(seq, lines) {
    const live = this.workers.filter((w) => w.alive);
    if (!live.length) {
      this.onResult(seq, this.fallback(lines));
      return true;
    }
    const w = live.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    w.inFlight.set(seq, lines);
    // One string and one number list clone much faster than an object per line (a line
    // never contains a line break: readline split on them).
    w.worker.postMessage({ seq, text: lines.map((l) => l.text).join('\n'), numbers: lines.map((l) => l.no) });
    return !this.busy();
  }

  /** True when every live worker has its fill of chunks. */
  busy() {
    const live = this.workers.filter((w) => w.alive);
    return live.length > 0 && live.every((w) => w.inFlight.size >= IN_FLIGHT);
  }

  close() {
    for (const w of this.workers) {
      w.alive = false;
      w.worker.terminate();
    }
  }
}

async function run(argv, helpers) {
  const { opts, positional } = helpers.parseArgs(argv, {
    '--rules': 'value',
    '--inventory': 'value',
    '--pretty': 'flag',
    '--no-trace': 'flag',
    '--jobs': 'value',
    '--no-progress': 'flag',
    '--independent': 'flag',
    '--exclude': 'value',
    '--as-of': 'value',
  });
  helpers.requireOpts(opts, ['rules', 'inventory'], 'route');
  const mode = {
    consume: !opts.independent,
    exclude: opts.exclude ? opts.exclude.split(',').map((w) => w.trim()).filter(Boolean) : undefined,
    as_of: opts['as-of'],
  };
  if (mode.consume && opts.jobs !== undefined && opts.jobs !== 'auto' && opts.jobs !== '1') {
    helpers.usage('`--jobs` needs `--independent`: orders that consume stock are routed one after another');
  }
  if (positional.length > 1) helpers.usage('`route` takes at most one orders file');
  const ordersFile = positional[0] || '-';
  if (ordersFile !== '-' && !fs.existsSync(ordersFile)) throw new helpers.UsageError(`cannot read \`${ordersFile}\`: no such file`, false);
  const jobs = mode.consume ? 1 : jobsFor(opts.jobs, ordersFile, helpers);
  const router = helpers.loadRouter(opts.rules, opts);
  if (!router) return 1;
  const inventory = helpers.readFile(opts.inventory);
  if (!helpers.loadInventory(router, opts.inventory)) return 1;
  if (mode.exclude || mode.as_of) {
    // An unknown location or a bad date is an error before any order is routed.
    try {
      router.routeBatch([], null, { exclude: mode.exclude, as_of: mode.as_of });
    } catch (e) {
      helpers.reportError(mode.as_of && e.path === 'as_of' ? '--as-of' : '--exclude', e);
      router.free();
      return 1;
    }
  }
  const shownName = ordersFile === '-' ? '<stdin>' : ordersFile;
  const pretty = Boolean(opts.pretty);

  const input = ordersFile === '-' ? process.stdin : fs.createReadStream(ordersFile);
  const total = ordersFile === '-' ? null : fs.statSync(ordersFile).size;
  const progress = Progress.start('routing', total, { disabled: opts['no-progress'] });

  let routed = 0;
  let failed = 0;
  let written = 0;
  const write = (chunk) => {
    for (const e of chunk.errs) helpers.err(e);
    if (chunk.count) {
      if (progress && process.stdout.isTTY) progress.clear();
      process.stdout.write(pretty && written > 0 ? `\n${chunk.out}` : chunk.out);
      written += chunk.count;
    }
    failed += chunk.failed;
    routed += chunk.count;
    if (progress) progress.update(routed, input.bytesRead || 0);
  };

  // Results are written strictly in input order, whichever thread routed them.
  const ready = new Map();
  let nextToWrite = 0;
  let sent = 0;
  let onIdle = null;
  const accept = (seq, chunk) => {
    ready.set(seq, chunk);
    while (ready.has(nextToWrite)) {
      write(ready.get(nextToWrite));
      ready.delete(nextToWrite);
      nextToWrite++;
    }
    maybeResume();
    if (onIdle && nextToWrite === sent) onIdle();
  };
  const local = (lines) => routeChunk(router, lines, shownName, pretty, mode);

  let pool = null;
  if (jobs > 1) {
    const { api } = helpers;
    pool = new Pool(jobs, {
      module: api.wasmModule(),
      rules: helpers.readFile(opts.rules),
      options: helpers.routerOptions(opts.rules, opts),
      inventory,
      shownName,
      pretty,
      mode,
    }, local, accept);
  }

  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let paused = false;
  const pause = () => {
    if (!paused) {
      paused = true;
      rl.pause();
    }
  };
  function maybeResume() {
    if (paused && !(pool && pool.busy()) && !process.stdout.writableNeedDrain) {
      paused = false;
      rl.resume();
    }
  }
  process.stdout.on('drain', maybeResume);

  let lineNo = 0;
  let pending = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending.length) return;
    const lines = pending;
    pending = [];
    const seq = sent++;
    if (pool) {
      if (!pool.send(seq, lines)) pause();
    } else {
      accept(seq, local(lines));
    }
    if (process.stdout.writableNeedDrain) pause();
  };
  rl.on('line', (line) => {
    lineNo++;
    // A byte-order mark only counts at the very start of the input.
    const text = lineNo === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    if (text.trim() === '') return;
    pending.push({ no: lineNo, text });
    if (pending.length >= CHUNK) flush();
    else if (!scheduled) {
      // Route what this read produced before reading more: the first plan goes out while
      // later orders are still arriving.
      scheduled = true;
      setImmediate(flush);
    }
  });

  try {
    await new Promise((resolve, reject) => {
      rl.on('close', resolve);
      input.on('error', reject);
    });
    flush();
    if (nextToWrite < sent) await new Promise((resolve) => { onIdle = resolve; });
  } finally {
    if (pool) pool.close();
    if (progress) progress.end();
    process.stdout.off('drain', maybeResume);
  }
  if (pretty) helpers.out(`\n${routed - failed} of ${routed} orders routed${failed ? `, ${failed} failed` : ''}`);
  router.free();
  return failed ? 1 : 0;
}

module.exports = { name: 'route', summary: 'route orders (JSON Lines) and print their plans', usage, run };
