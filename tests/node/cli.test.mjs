// The `stockroute` command line, end to end on the sample data (examples/, rules/), and
// every command and example in docs/cli.md and in each subcommand's --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DEMO_RULES, INVENTORY_FILE, ORDERS_FILE, RULES, ROOT, read, sampleOrders } from './helpers.mjs';
import { docBlocks, shellCommands } from './docblocks.mjs';

function run(args, input) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a shell command line with `stockroute` meaning this package's CLI. */
function sh(line) {
  const r = spawnSync('bash', ['-c', `stockroute() { "${process.execPath}" "${CLI}" "$@"; }\n${line}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-cli-'));
}

// Routed on the last day of the sample month: CON-ZRH's period (ends 2026-12-31) still runs.
const ROUTE = ['route', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE, '--as-of', '2026-11-30'];

test('route: one JSON plan per line, in input order', () => {
  const r = run([...ROUTE, ORDERS_FILE]);
  assert.equal(r.code, 0, r.stderr);
  const plans = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(plans.map((p) => p.order), sampleOrders().map((o) => o.id));
  // WEB-1005 (4 × TENT-4P): own DE-BER has 3, then consignment CON-ZRH the last one.
  const web1005 = plans.find((p) => p.order === 'WEB-1005');
  assert.deepEqual(web1005.shipments.map((s) => s.warehouse), ['DE-BER', 'CON-ZRH']);
});

test('route reads stdin with - and prints a readable table with --pretty', () => {
  const orders = read(ORDERS_FILE);
  const fromStdin = run([...ROUTE, '-'], orders);
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(fromStdin.stdout, run([...ROUTE, ORDERS_FILE]).stdout);
  const pretty = run([...ROUTE, ORDERS_FILE, '--pretty']);
  assert.equal(pretty.code, 0, pretty.stderr);
  assert.match(pretty.stdout, /order WEB-1005 .*SPLIT, 2 shipments/);
  assert.match(pretty.stdout, /CON-ZRH\s+consignment/);
  // MKT-3001 on the marketplace (no consignment), 5 × TENT-4P: the orders consume stock in
  // file order, and WEB-1005 before it took DE-BER's 3, so everything is backordered.
  assert.match(pretty.stdout, /order MKT-3001 .*BACKORDERED[\s\S]*?backordered: TENT-4P × 5/);
  // With --independent every order sees the file's stock: 3 ship from DE-BER, 2 wait.
  const independent = run([...ROUTE, ORDERS_FILE, '--pretty', '--independent']);
  assert.match(independent.stdout, /order MKT-3001 .*PARTIAL[\s\S]*?backordered: TENT-4P × 2/);
  const n = sampleOrders().length;
  assert.match(pretty.stdout, new RegExp(`${n} of ${n} orders routed`));
});

test('route: a bad order is reported with file, line and field; the others are still routed', () => {
  const dir = tmpdir();
  try {
    const lines = read(ORDERS_FILE).trim().split('\n');
    const bad = JSON.parse(lines[1]);
    bad.lines[0].qty = 'two';
    lines[1] = JSON.stringify(bad);
    const file = path.join(dir, 'orders.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = run([...ROUTE, file]);
    assert.equal(r.code, 1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, lines.length);
    assert.equal(out[1].order, bad.id);
    assert.equal(out[1].error.code, 'data.invalid');
    assert.equal(out[1].error.path, 'lines[0].qty');
    assert.ok(out.filter((o) => o.error).length === 1 && out[0].order === JSON.parse(lines[0]).id);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: order \`${bad.id}\`: invalid order: .*lines\\[0\\]\\.qty`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('route: invalid JSON in the inventory names the file, line and field', () => {
  const dir = tmpdir();
  try {
    const inv = JSON.parse(read(INVENTORY_FILE));
    inv.stock[2].on_hand = 'plenty';
    const file = path.join(dir, 'inventory.json');
    fs.writeFileSync(file, JSON.stringify(inv, null, 2));
    const r = run(['route', '--rules', DEMO_RULES, '--inventory', file, ORDERS_FILE]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`${file}: error: `), r.stderr);
    assert.match(r.stderr, /line \d+ column \d+/);
    assert.match(r.stderr, /at `stock\[2\]\.on_hand`/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('available: JSON by default, one channel with --channel, a table with --pretty', () => {
  const base = ['available', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE];
  const all = run(base);
  assert.equal(all.code, 0, all.stderr);
  const av = JSON.parse(all.stdout);
  assert.deepEqual([...new Set(av.items.map((i) => i.channel))], ['webshop', 'marketplace']);
  const market = JSON.parse(run([...base, '--channel', 'marketplace']).stdout);
  assert.ok(market.items.length > 0 && market.items.every((i) => i.channel === 'marketplace'));
  // The marketplace does not include consignment: no consignment warehouse contributes.
  const inv = JSON.parse(read(INVENTORY_FILE));
  const consignment = new Set(inv.warehouses.filter((w) => w.kind === 'consignment').map((w) => w.id));
  for (const item of market.items) {
    for (const w of item.warehouses) {
      if (consignment.has(w.warehouse)) assert.equal(w.included, false, `${item.sku} ${w.warehouse}`);
    }
  }
  const pretty = run([...base, '--pretty']);
  assert.equal(pretty.code, 0);
  assert.match(pretty.stdout, /^channel\s+sku\s+offered/);
  const unknown = run([...base, '--channel', 'nowhere']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /nowhere/);
});

test('check: file:line:col diagnostics and exit 1 on errors, exit 0 on a good file', () => {
  const ok = run(['check', DEMO_RULES]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /: ok \(hooks: rank, split\)/);
  const dir = tmpdir();
  try {
    const file = path.join(dir, 'bad.rhai');
    fs.writeFileSync(file, 'fn rank(order, warehouse) {\n    let x = ;\n}\n');
    const bad = run(['check', file]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: error: `));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('test rules/: every sample case passes, one line per case', () => {
  const r = run(['test', RULES]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const cases = fs.readdirSync(path.join(RULES, 'cases'), { recursive: true }).filter((f) => f.endsWith('.json'));
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('PASS '));
  assert.equal(lines.length, cases.length);
  assert.match(r.stdout, new RegExp(`${cases.length} passed, 0 failed`));
});

test('test: a failing case is reported and exits 1', () => {
  const dir = tmpdir();
  try {
    fs.mkdirSync(path.join(dir, 'cases', 'tiny'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tiny.rhai'), '');
    fs.writeFileSync(path.join(dir, 'inv.json'), read(INVENTORY_FILE));
    const order = sampleOrders()[0];
    fs.writeFileSync(path.join(dir, 'cases', 'tiny', 'wrong.json'), JSON.stringify({
      name: 'expects the wrong status',
      inventory: '../../inv.json',
      order,
      expect: { status: 'held' },
    }));
    const r = run(['test', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^FAIL tiny\/wrong\.json/m);
    assert.match(r.stdout, /0 passed, 1 failed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('test: the files a case references are read from its folder, as cargo test and the editor read them', () => {
  const dir = tmpdir();
  try {
    // rules/cases/tiny/refs.json references ../../shared/inv.json (the inventory), an orders
    // file and a step's rows; its description mentions a .json name that is not a file.
    fs.mkdirSync(path.join(dir, 'rules', 'cases', 'tiny'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.writeFileSync(path.join(dir, 'rules', 'tiny.rhai'), 'fn rank(o, w) { w.priority }\n');
    fs.writeFileSync(path.join(dir, 'shared', 'inv.json'), JSON.stringify({
      warehouses: [{ id: 'W1', kind: 'own', priority: 1 }, { id: 'W2', kind: 'own', priority: 2 }],
      stock: [{ warehouse: 'W1', sku: 'A', on_hand: 2 }, { warehouse: 'W2', sku: 'A', on_hand: 5 }],
      channels: [{ id: 'web' }],
    }));
    const order = (id, qty) => JSON.stringify({ id, channel: 'web', ship_to: { country: 'DE' }, lines: [{ id: '1', sku: 'A', qty }] });
    fs.writeFileSync(path.join(dir, 'rules', 'cases', 'tiny', 'orders.jsonl'), `${order('o1', 2)}\n${order('o2', 1)}\n`);
    fs.writeFileSync(path.join(dir, 'rules', 'cases', 'tiny', 'rows.json'), JSON.stringify([{ warehouse: 'W1', sku: 'A', delta: 1 }]));
    // o1 takes W1's 2 and o2 goes to W2 (both committed); a delivery of 1 lets W1 ship o3.
    fs.writeFileSync(path.join(dir, 'rules', 'cases', 'tiny', 'refs.json'), JSON.stringify({
      description: 'W1 ships o1 (its 2), o2 goes to W2; after a delivery of 1, W1 ships o3. Not a file: notes.json',
      inventory: '../../../shared/inv.json',
      steps: [
        { batch: 'orders.jsonl', commit: true, expect: [{ shipments: [{ warehouse: 'W1', lines: [{ line: '1', qty: 2 }] }] }, { shipments: [{ warehouse: 'W2', lines: [{ line: '1', qty: 1 }] }] }] },
        { apply_stock: './rows.json', expect: [{ warehouse: 'W1', sku: 'A', on_hand: 3, available: 1 }] },
        { route: JSON.parse(order('o3', 1)), expect: { shipments: [{ warehouse: 'W1', lines: [{ line: '1', qty: 1 }] }] } },
      ],
    }));
    const r = run(['test', path.join(dir, 'rules', 'cases', 'tiny', 'refs.json')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASS tiny\/refs\.json/m);
    // The same case without its inventory file: the failure names the field and the path.
    fs.rmSync(path.join(dir, 'shared', 'inv.json'));
    const missing = run(['test', path.join(dir, 'rules')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /FAIL tiny\/refs\.json\n {4}invalid case: `inventory` file `\.\.\/\.\.\/\.\.\/shared\/inv\.json` not found\n/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2 and show the command\'s usage', () => {
  assert.equal(run([]).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  const missing = run(['route', '--inventory', INVENTORY_FILE]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /`route` needs --rules[\s\S]*usage: stockroute route/);
  assert.equal(run([...ROUTE, '--colour']).code, 2);
  assert.equal(run(['route', '--rules', 'nope.rhai', '--inventory', INVENTORY_FILE]).code, 2);
  assert.equal(run([...ROUTE, '--jobs', 'many']).code, 2);
  assert.equal(run([...ROUTE, 'no-such-orders.jsonl']).code, 2);
  assert.equal(run(['test', 'no/such/folder']).code, 2);
  assert.equal(run(['diff', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE]).code, 2);
});

// ---- help --------------------------------------------------------------------------------

const COMMANDS = ['route', 'available', 'check', 'test', 'diff'];

test('--help and -h: the overview and every subcommand\'s usage with examples, exit 0', () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const r = run(args);
    assert.equal(r.code, 0, args.join(' '));
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c}\\s+\\S`, 'm'), `${args}: ${c}`);
  }
  for (const c of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      // Anywhere among the options, even next to ones that would be a usage error.
      const r = run([c, '--rules', 'nope.rhai', flag]);
      assert.equal(r.code, 0, `${c} ${flag}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, new RegExp(`^usage: stockroute ${c} `));
      assert.match(r.stdout, /\nexamples:\n {2}stockroute /);
    }
    assert.equal(run(['help', c]).stdout, run([c, '--help']).stdout);
  }
});

test('every example in every subcommand\'s --help runs and exits 0', () => {
  for (const c of COMMANDS) {
    const usage = run([c, '--help']).stdout;
    const examples = usage.split('\nexamples:\n')[1].split('\n').map((l) => l.trim()).filter(Boolean);
    assert.ok(examples.length >= 1, c);
    for (const example of examples) {
      const r = sh(example);
      assert.equal(r.code, 0, `${example}\n${r.stderr}`);
      assert.ok(r.stdout.length > 0, example);
    }
  }
});

// ---- docs/cli.md --------------------------------------------------------------------------
// tests/node/docs.test.mjs runs every example of the docs with the output they show; here:
// the page shows every command.

test('docs/cli.md has an example of every command', () => {
  const shown = new Set();
  for (const b of docBlocks('docs/cli.md').filter((b) => b.lang === 'sh' && !b.words.includes('no-run'))) {
    for (const { line } of shellCommands(b.content)) shown.add(line.match(/stockroute (\w+)/)?.[1]);
  }
  for (const c of COMMANDS) assert.ok(shown.has(c), `docs/cli.md has no example of \`${c}\``);
});

// ---- route: streaming, pipes, encodings, options ------------------------------------------

test('route streams: the first plan is written before the last order is read', async () => {
  const orders = read(ORDERS_FILE).trim().split('\n');
  const child = spawn(process.execPath, [CLI, ...ROUTE, '-'], { cwd: ROOT });
  let stdout = '';
  let stdinClosed = false;
  const firstPlan = new Promise((resolve) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve({ beforeEnd: !stdinClosed, line: stdout.split('\n')[0] });
    });
  });
  // A slow writer: one order, then nothing until the first plan has come back.
  child.stdin.write(orders[0] + '\n');
  const first = await Promise.race([firstPlan, new Promise((resolve) => setTimeout(() => resolve(null), 20000))]);
  assert.ok(first, 'no plan within 20 s of the first order');
  assert.equal(first.beforeEnd, true);
  assert.equal(JSON.parse(first.line).order, JSON.parse(orders[0]).id);
  for (const o of orders.slice(1)) child.stdin.write(o + '\n');
  stdinClosed = true;
  child.stdin.end();
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.deepEqual(stdout.trim().split('\n').map((l) => JSON.parse(l).order), sampleOrders().map((o) => o.id));
});

test('route into a pipe that closes early (| head) ends quietly with exit 0', async () => {
  const dir = tmpdir();
  try {
    const file = path.join(dir, 'many.jsonl');
    const one = read(ORDERS_FILE).trim().split('\n')[0];
    fs.writeFileSync(file, `${one}\n`.repeat(3000));
    const child = spawn(process.execPath, [CLI, ...ROUTE, '--jobs', '1', file], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy(); // what `head -n 1` does once it has its line
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    // The same through a real shell pipe.
    const r = sh(`set -o pipefail; stockroute route --rules ${DEMO_RULES} --inventory ${INVENTORY_FILE} ${file} | head -n 2`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 2);
    assert.equal(r.stderr, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('route: a byte-order mark and LF, CRLF or CR-only line endings give the same plans', () => {
  const dir = tmpdir();
  try {
    const expected = run([...ROUTE, ORDERS_FILE]).stdout;
    const lines = read(ORDERS_FILE).trim().split('\n');
    const bomInventory = path.join(dir, 'inventory.json');
    fs.writeFileSync(bomInventory, '\uFEFF' + read(INVENTORY_FILE).replace(/\n/g, '\r\n'));
    for (const [name, eol] of [['lf', '\n'], ['crlf', '\r\n'], ['cr', '\r']]) {
      const file = path.join(dir, `${name}.jsonl`);
      fs.writeFileSync(file, '\uFEFF' + lines.join(eol) + eol);
      const r = run(['route', '--rules', DEMO_RULES, '--inventory', bomInventory, file]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.equal(r.stdout, expected, name);
      const fromStdin = run(['route', '--rules', DEMO_RULES, '--inventory', bomInventory, '-'], fs.readFileSync(file));
      assert.equal(fromStdin.stdout, expected, `${name} on stdin`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('route --no-trace: the same plans without their trace', () => {
  const full = run([...ROUTE, ORDERS_FILE]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const quiet = run([...ROUTE, '--no-trace', ORDERS_FILE]);
  assert.equal(quiet.code, 0, quiet.stderr);
  const plans = quiet.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(plans.length, full.length);
  plans.forEach((p, i) => {
    assert.deepEqual(p.trace, []);
    assert.ok(full[i].trace.length > 0);
    assert.deepEqual({ ...full[i], trace: [] }, p);
  });
});

test('route: orders failing for different reasons never suppress the others', () => {
  const dir = tmpdir();
  try {
    // The rule spins forever for one order id: the sandbox stops it (rule.limit) for that
    // order only.
    const rules = path.join(dir, 'spin.rhai');
    fs.writeFileSync(rules, 'fn rank(order, warehouse) {\n    if order.id == "SPIN" { loop {} }\n    warehouse.priority\n}\n');
    const good = read(ORDERS_FILE).trim().split('\n');
    const spin = JSON.parse(good[0]);
    spin.id = 'SPIN';
    const lines = [good[0], '{"id": "CUT", "chan', JSON.stringify(spin), '[]', good[1], '{"id": "NOLINES", "channel": "webshop", "ship_to": {"country": "DE"}, "lines": []}', good[2]];
    const file = path.join(dir, 'orders.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = run(['route', '--rules', rules, '--inventory', INVENTORY_FILE, file]);
    assert.equal(r.code, 1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, lines.length);
    // The good ones, ranked by priority under the default strategy (fewest shipments): each
    // ships from one warehouse; WEB-1003's 4 × BOOT-44 from CON-HAM, the one location with 4.
    assert.deepEqual(out.map((o) => (o.error ? o.error.code : o.status)), ['single', 'data.invalid', 'rule.limit', 'data.invalid', 'single', 'data.invalid', 'single']);
    assert.deepEqual(out[6].shipments.map((s) => s.warehouse), ['CON-HAM']);
    // The id of the truncated order is still readable, so it is reported; `[]` has none.
    assert.deepEqual(out.map((o) => o.order), [JSON.parse(good[0]).id, 'CUT', 'SPIN', null, JSON.parse(good[1]).id, 'NOLINES', JSON.parse(good[2]).id]);
    // One stderr line per failure, naming the input line.
    const errLines = r.stderr.split('\n').filter((l) => l.startsWith(file));
    assert.deepEqual(errLines.map((l) => Number(l.slice(file.length + 1).split(':')[0])), [2, 3, 4, 6]);
    assert.match(r.stderr, /:3: order `SPIN`: .*\[rule\.limit\]/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('route on worker threads prints exactly what one thread prints', () => {
  // Worker threads route independent orders (--independent): consuming orders is sequential.
  const IROUTE = [...ROUTE, '--independent'];
  const dir = tmpdir();
  try {
    // ≥ 1 MB, so `--jobs auto` uses workers too; bad lines scattered through it.
    const base = read(ORDERS_FILE).trim().split('\n').map((l) => JSON.parse(l));
    const lines = [];
    for (let i = 0; i < 4500; i++) {
      if (i % 613 === 7) lines.push('{"broken": ');
      else if (i % 509 === 3) lines.push(JSON.stringify({ ...base[i % base.length], id: `Q-${i}`, lines: [{ id: '1', sku: 'TENT-2P', qty: 'some' }] }));
      else lines.push(JSON.stringify({ ...base[i % base.length], id: `${base[i % base.length].id}-${i}` }));
    }
    const file = path.join(dir, 'big.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.ok(fs.statSync(file).size >= 1 << 20);
    const one = run([...IROUTE, '--jobs', '1', file]);
    assert.equal(one.code, 1);
    assert.equal(one.stdout.trim().split('\n').length, lines.length);
    for (const args of [['--jobs', '2'], ['--jobs', '3'], []]) {
      const many = run([...IROUTE, ...args, file]);
      assert.equal(many.code, one.code, args.join(' '));
      assert.equal(many.stdout, one.stdout, `${args.join(' ') || 'auto'}: stdout differs`);
      assert.equal(many.stderr, one.stderr, `${args.join(' ') || 'auto'}: stderr differs`);
    }
    const pretty1 = run([...IROUTE, '--jobs', '1', '--pretty', file]);
    const pretty2 = run([...IROUTE, '--jobs', '2', '--pretty', file]);
    assert.equal(pretty2.stdout, pretty1.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a progress line on a terminal, never in a pipe', { skip: !fs.existsSync('/usr/bin/script') && 'no script(1)' }, () => {
  const dir = tmpdir();
  try {
    const file = path.join(dir, 'orders.jsonl');
    const one = read(ORDERS_FILE).trim().split('\n')[1];
    fs.writeFileSync(file, `${one}\n`.repeat(3000));
    // script(1) gives the command a terminal; stdout goes to a file, stderr to the terminal.
    const cmd = `"${process.execPath}" "${CLI}" route --rules "${DEMO_RULES}" --inventory "${INVENTORY_FILE}" --jobs 1 "${file}" > "${path.join(dir, 'out.jsonl')}"`;
    const tty = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', cwd: ROOT });
    assert.equal(tty.status, 0, tty.stdout);
    assert.match(tty.stdout, /routing: [\d,]+ orders \[[#-]+\]\s+\d+%/);
    assert.match(tty.stdout, /\r\x1b\[K$/, 'the line is erased at the end');
    assert.equal(read(path.join(dir, 'out.jsonl')).trim().split("\n").length, 3000);
    const piped = run([...ROUTE, '--jobs', '1', file]);
    assert.equal(piped.stderr, '');
    const off = spawnSync('script', ['-qfec', cmd.replace(' route ', ' route --no-progress '), '/dev/null'], { encoding: 'utf8', cwd: ROOT });
    assert.doesNotMatch(off.stdout, /routing:/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---- test: one rule file, one case file, one case folder -------------------------------------

test('test on one rule file, one case folder or one case file', () => {
  const name = 'own-first-then-consignment';
  const cases = fs.readdirSync(path.join(RULES, 'cases', name)).filter((f) => f.endsWith('.json')).sort();
  for (const target of [path.join(RULES, `${name}.rhai`), path.join(RULES, 'cases', name)]) {
    const r = run(['test', target]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('PASS ')).map((l) => l.split(' ')[1]), cases.map((c) => `${name}/${c}`));
    assert.match(r.stdout, new RegExp(`\\n${cases.length} passed, 0 failed\\n`));
  }
  const one = run(['test', path.join(RULES, 'cases', name, cases[1])]);
  assert.equal(one.code, 0, one.stdout);
  assert.match(one.stdout, new RegExp(`^PASS ${escape(`${name}/${cases[1]}`)}`));
  assert.match(one.stdout, /\n1 passed, 0 failed\n/);
  // A rule file without cases is not a pass.
  const dir = tmpdir();
  try {
    fs.writeFileSync(path.join(dir, 'lonely.rhai'), '');
    const none = run(['test', path.join(dir, 'lonely.rhai')]);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /no test cases for/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('test: one failing case file fails with its reason', () => {
  const dir = tmpdir();
  try {
    fs.mkdirSync(path.join(dir, 'cases', 'tiny'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tiny.rhai'), '\uFEFF');
    fs.writeFileSync(path.join(dir, 'inv.json'), read(INVENTORY_FILE));
    const caseFile = path.join(dir, 'cases', 'tiny', 'wrong.json');
    fs.writeFileSync(caseFile, '\uFEFF' + JSON.stringify({ name: 'wrong', description: 'expects held', inventory: '../../inv.json', order: sampleOrders()[0], expect: { status: 'held' } }));
    const r = run(['test', caseFile]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /^FAIL tiny\/wrong\.json \(wrong\)\n {4}\S/);
    assert.match(r.stdout, /0 passed, 1 failed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---- diff ----------------------------------------------------------------------------------

test('diff: per-status counts, per-warehouse load and each changed order, as text and JSON', () => {
  const dir = tmpdir();
  try {
    // OWN (priority 1) holds 2 of A, CON (consignment, priority 2) 5 of A.
    const inventory = path.join(dir, 'inventory.json');
    fs.writeFileSync(inventory, JSON.stringify({
      warehouses: [
        { id: 'OWN', kind: 'own', priority: 1, country: 'DE' },
        { id: 'CON', kind: 'consignment', owner: 'Shop', priority: 2, country: 'DE', forward: { method: 'email', to: 'shop@example.com' } },
      ],
      stock: [{ warehouse: 'OWN', sku: 'A', on_hand: 2 }, { warehouse: 'CON', sku: 'A', on_hand: 5 }],
      channels: [{ id: 'web', include_consignment: true }],
    }));
    const current = path.join(dir, 'current.rhai');
    const draft = path.join(dir, 'draft.rhai');
    fs.writeFileSync(current, 'fn rank(order, warehouse) { warehouse.priority }\n');
    fs.writeFileSync(draft, 'fn rank(order, warehouse) { if warehouse.consignment { 0 } else { 1 } }\n');
    const order = (id, qty) => JSON.stringify({ id, channel: 'web', ship_to: { country: 'DE' }, lines: [{ id: '1', sku: 'A', qty }] });
    // o1 (1 unit): current ships it from OWN, the draft from CON. o2 (3 units): only CON has
    // 3, so both ship it from CON. Line 3 is not JSON: an error under both rule sets.
    const orders = path.join(dir, 'orders.jsonl');
    fs.writeFileSync(orders, [order('o1', 1), order('o2', 3), '{oops'].join('\n') + '\n');
    const args = ['diff', '--rules', draft, '--against', current, '--inventory', inventory, orders];
    const text = run(args);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /: 3 orders, 1 changes plan\n/);
    assert.match(text.stdout, /\nsingle\s+2\s+2\s+·\n/);
    assert.match(text.stdout, /\nerror\s+1\s+1\s+·\n/);
    assert.match(text.stdout, /\nCON\s+1\s+2\s+\+1\s+3\s+4\s+\+1\n/);
    assert.match(text.stdout, /\nOWN\s+1\s+0\s+−1\s+1\s+0\s+−1\n/);
    assert.match(text.stdout, /\n {2}o1 \(line 1\): single → single\n {4}OWN: A × 1 → \(none\)\n {4}CON: \(none\) → A × 1\n*$/);
    const json = run([...args.slice(0, -1), '--json', orders]);
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout);
    assert.equal(result.orders, 3);
    assert.equal(result.unchanged, 2);
    assert.deepEqual(result.statuses.single, { current: 2, draft: 2, change: 0 });
    assert.deepEqual(result.statuses.error, { current: 1, draft: 1, change: 0 });
    assert.deepEqual(result.warehouses, [
      { warehouse: 'CON', current: { shipments: 1, units: '3' }, draft: { shipments: 2, units: '4' } },
      { warehouse: 'OWN', current: { shipments: 1, units: '1' }, draft: { shipments: 0, units: '0' } },
    ]);
    assert.equal(result.changed.length, 1);
    assert.equal(result.changed[0].order, 'o1');
    assert.equal(result.changed[0].line, 1);
    assert.deepEqual(result.changed[0].changes.map((c) => c.what), ['shipment', 'shipment']);
    // A draft that does not compile is reported like `check` does, exit 1.
    fs.writeFileSync(draft, 'fn rank(order, warehouse) {\n  let x = ;\n}\n');
    const broken = run(args);
    assert.equal(broken.code, 1);
    assert.equal(broken.stdout, '');
    assert.match(broken.stderr, new RegExp(`^${escape(draft)}:2:\\d+: error: `));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('route --as-of: a consignment location past its period end no longer ships', () => {
  const args = ['route', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE, ORDERS_FILE, '--no-trace'];
  const plans = (day) => Object.fromEntries(run([...args, '--as-of', day]).stdout.trim().split('\n').map((l) => {
    const p = JSON.parse(l);
    return [p.order, p];
  }));
  // WEB-1005 wants 4 × TENT-4P: own DE-BER ships what it has and consignment CON-ZRH (period
  // ends 2026-12-31) the rest while the period runs ...
  const during = plans('2026-12-31');
  assert.deepEqual(during['WEB-1005'].shipments.map((s) => s.warehouse), ['DE-BER', 'CON-ZRH']);
  // ... and after it no location can ship the rest, so it waits.
  const after = plans('2027-01-01');
  assert.equal(after['WEB-1005'].status, 'partial');
  assert.deepEqual(after['WEB-1005'].shipments.map((s) => s.warehouse), ['DE-BER']);
  // A date the engine cannot read is a usage error before any order is routed.
  const bad = run([...args, '--as-of', 'soon']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /as_of/);
  assert.equal(bad.stdout, '');
});
