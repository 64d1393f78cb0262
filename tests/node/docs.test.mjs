// Every code block of README.md and docs/*.md, run or checked (the conventions are in
// docs/doc-examples.md): a block whose info string the walker does not know fails, so no
// example reaches the docs untested.
//
// The package is packed once (`npm pack pkg/`) and installed from the tarball, offline,
// into a template folder outside the repository; every JavaScript example then runs in a
// fresh copy of that folder, with only the sample files it names, and the CLI examples in
// a fresh folder holding copies of rules/ and examples/. Rhai and JSON blocks are checked
// in this process against the same installed package.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PKG, ROOT } from './helpers.mjs';
import { blocksOf, commentOutput, compareShown, docBlocks, docFiles, shellCommands } from './docblocks.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');
const require = createRequire(import.meta.url);
const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');

const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-docs-'));
after(() => fs.rmSync(WORK, { recursive: true, force: true }));

// ---- the installed package -----------------------------------------------------------------

let installed = null;

/** Packs pkg/ and installs the tarball into a template consumer folder, once per run. */
function install() {
  if (installed) return installed;
  const packDir = path.join(WORK, 'pack');
  fs.mkdirSync(packDir);
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', packDir], { cwd: PKG, encoding: 'utf8' }));
  const tarball = path.join(packDir, packed[0].filename);
  const template = path.join(WORK, 'template');
  fs.mkdirSync(template);
  fs.writeFileSync(path.join(template, 'package.json'), JSON.stringify({ name: 'docs-example', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: template, stdio: 'pipe' });
  const sr = createRequire(path.join(template, 'package.json'))('stockroute');
  installed = { template, tarball, sr };
  return installed;
}

let folders = 0;

/**
 * A fresh folder outside the repository with the installed package and copies of the given
 * repository paths (files or folders), at the same relative paths.
 */
function workspace(paths = []) {
  const { template } = install();
  folders += 1;
  const dir = path.join(WORK, `example-${folders}`);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(template, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(template, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  for (const p of paths) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true });
  }
  return dir;
}

/** The sample files a script names (`'examples/inventory.json'`, `"rules/x.rhai"`). */
function namedFiles(code, where) {
  const names = new Set([...code.matchAll(/['"`]((?:rules|examples)\/[^'"`\s]+)['"`]/g)].map((m) => m[1]));
  for (const n of names) assert.ok(fs.existsSync(path.join(ROOT, n)), `${where}: names \`${n}\`, which is not in the repository`);
  return [...names];
}

/** The environment examples run in: nothing of the test runner's own set-up. */
function exampleEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('NODE_')) delete env[k];
  return env;
}

/** Runs a program to its end without blocking other examples: `{ code, stdout, stderr }`. */
function exec(file, args, { cwd, input, timeout = 120000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: exampleEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? `killed by ${signal}` : code, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

// ---- the sample data -------------------------------------------------------------------------

const SAMPLE_INVENTORY = read('examples/inventory.json');
const SAMPLE_EVENTS = read('examples/events.jsonl');
/** Every bundled sample order: examples/orders.jsonl and the held order. */
const SAMPLE_ORDERS = [
  ...read('examples/orders.jsonl').split('\n').filter((l) => l.trim()),
  read('examples/held-order.json'),
];
/** The day replenishment examples are computed for (the sample events are November's). */
const SAMPLE_DAY = '2026-11-30';

// ---- one block -------------------------------------------------------------------------------

/** Languages of blocks that print something a following `text` block may show. */
const PRINTS = new Set(['sh', 'bash', 'js', 'javascript', 'mjs', 'html']);

/**
 * JSON kinds a Rust test compares with what the engine produces, field by field: the test
 * file must name the doc and the block's info string.
 */
const COVERED = {
  'json forward-request': 'tests/consignment.rs',
  'json settlement': 'tests/consignment.rs',
  'json terms': 'tests/replenish.rs',
  'json proposal': 'tests/replenish.rs',
  'json manual-plan': 'tests/replenish.rs',
  'json bad-plan': 'tests/replenish.rs',
  'json violations': 'tests/replenish.rs',
  'json changes': 'tests/live_stock.rs',
};

/**
 * Checks one block; throws (an assertion error naming `file:line`) when the block fails.
 * `ctx` carries what earlier blocks of the same file established (the last inventory, order
 * and rule set shown) and which output blocks a command block has compared.
 */
async function checkBlock(block, ctx) {
  const { lang, where } = block;
  const next = ctx.next;
  const output = PRINTS.has(lang) && next && next.previous === block && next.lang === 'text' && !next.words.includes('illustration') ? next : null;
  if (output) ctx.compared.add(output);
  assert.ok(block.fenced, `${where}: an indented code block; fence it with a language (docs/doc-examples.md)`);
  switch (lang) {
    case 'rhai': return checkRhai(block, ctx);
    case 'js': case 'javascript': case 'mjs': return runScript(block, output);
    case 'ts': return typeCheck(block);
    case 'html': return runPage(block, output);
    case 'sh': case 'bash': return runShell(block, output, ctx);
    case 'console': return runConsole(block, ctx);
    case 'json': case 'jsonl': return checkJson(block, ctx);
    case 'rust': return checkRust(block);
    case 'text': return checkText(block, ctx);
    case '':
      assert.fail(`${where}: a code block without a language; label it (docs/doc-examples.md lists the labels)`);
      break;
    default:
      assert.fail(`${where}: unknown language \`${lang}\` (docs/doc-examples.md lists the labels the tests know)`);
  }
  return undefined;
}

function checkText(block, ctx) {
  const { where, words } = block;
  const unknown = words.filter((w) => w !== 'illustration');
  assert.deepEqual(unknown, [], `${where}: unknown label ${unknown.join(' ')} on a text block`);
  if (words.includes('illustration')) return;
  assert.ok(ctx.compared.has(block), `${where}: a \`text\` block shows the output of the command or script block right before it; `
    + (block.previous ? `\`${block.previous.lang}\` blocks print nothing to compare. ` : 'there is none. ')
    + 'Label it `text illustration` if it is not an output.');
}

// ---- Rhai -------------------------------------------------------------------------------------

/**
 * A Rhai block is a rule set: it must check clean (no error, no warning) and route every
 * sample order without an error, or, when its first line says `// Fails every order with
 * rule.X`, fail every one with that code. `fragment=HOOK` marks the body of one hook.
 */
function checkRhai(block, ctx) {
  const { sr } = install();
  const { where, attrs, words } = block;
  assert.deepEqual(words, [], `${where}: unknown label ${words.join(' ')} on a rhai block`);
  let source = block.content;
  if (attrs.fragment) {
    const hook = sr.apiMetadata().hooks.find((h) => h.name === attrs.fragment);
    assert.ok(hook, `${where}: fragment=${attrs.fragment} is not a hook`);
    const params = hook.detail.match(/\(([^)]*)\)/)[1];
    source = `fn ${hook.name}(${params}) {\n${source}\n}\n`;
  }
  const report = sr.check(source, where);
  assert.deepEqual(report.diagnostics.map((d) => `${d.severity}: ${d.message}`), [], `${where}: the rule set does not check clean`);
  assert.ok(report.hooks.length > 0, `${where}: defines no hook; a piece of one hook is \`rhai fragment=HOOK\``);
  ctx.rules = source;
  const router = new sr.Router(source, { name: where });
  try {
    router.setInventory(SAMPLE_INVENTORY);
    const results = router.routeBatch(SAMPLE_ORDERS, null, { consume: false });
    const claim = block.content.split('\n')[0].match(/^\/\/ Fails (every order )?with (rule\.\w+)/);
    if (claim) {
      // "every order": each sample order; otherwise every order a hook runs for (an order
      // no warehouse can ship never reaches `eligible`), so at least one, and no other error.
      const codes = results.map((r) => (r.ok ? `routed (${r.order})` : r.error.code));
      const allowed = (c) => c === claim[2] || (!claim[1] && c.startsWith('routed'));
      assert.ok(codes.includes(claim[2]) && codes.every(allowed), `${where}: says it fails ${claim[1] ?? ''}with ${claim[2]}, but: ${[...new Set(codes)].join(', ')}`);
      return;
    }
    const failed = results.filter((r) => !r.ok).map((r) => `${r.order}: ${r.error.code}: ${r.error.message}`);
    assert.deepEqual(failed, [], `${where}: a sample order fails`);
    if (report.hooks.includes('offer') || report.hooks.includes('adjust')) router.available();
    if (report.hooks.includes('replenish')) router.replenishment({ as_of: SAMPLE_DAY, events: SAMPLE_EVENTS });
  } finally {
    router.free();
  }
}

// ---- JavaScript, TypeScript, HTML ---------------------------------------------------------------

async function runScript(block, output) {
  const { where, lang, words } = block;
  assert.deepEqual(words, [], `${where}: unknown label ${words.join(' ')} on a ${lang} block`);
  const dir = workspace(namedFiles(block.content, where));
  const file = lang === 'mjs' ? 'example.mjs' : 'example.cjs';
  fs.writeFileSync(path.join(dir, file), block.content);
  const r = await exec(process.execPath, [file], { cwd: dir, timeout: 60000 });
  assert.equal(r.code, 0, `${where}: the example fails (exit ${r.code}) in a fresh folder:\n${r.stderr}`);
  assert.equal(r.stderr, '', `${where}: the example writes to standard error`);
  for (const shown of [commentOutput(block.content), output && output.content]) {
    if (shown === null) continue;
    const diff = compareShown(r.stdout, shown);
    assert.equal(diff, null, `${where}: ${diff}`);
  }
}

async function typeCheck(block) {
  const { where, words } = block;
  assert.deepEqual(words, [], `${where}: unknown label ${words.join(' ')} on a ts block`);
  const dir = workspace();
  fs.writeFileSync(path.join(dir, 'example.mts'), block.content);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022',
      lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false,
    },
    files: ['example.mts'],
  }));
  const r = await exec(process.execPath, [TSC, '-p', dir], { cwd: dir });
  assert.equal(r.code, 0, `${where}: does not type-check against the package (NodeNext, strict):\n${r.stdout}${r.stderr}`);
}

const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.rhai': 'text/plain', '.jsonl': 'text/plain',
};

/**
 * An HTML page: served from a fresh folder (the package's browser entry at `pkg/web/`, the
 * sample files it names) and opened in headless Chromium. It must run without a page
 * error; the `text` block after it, if any, is the page's text once it has rendered.
 */
async function runPage(block, output) {
  const { where, words } = block;
  assert.deepEqual(words, [], `${where}: unknown label ${words.join(' ')} on an html block`);
  if (!fs.existsSync(CHROMIUM)) {
    // scripts/setup.sh installs Chromium; without it, say so instead of passing silently.
    console.log(`# ${where}: skipped, no Chromium at ${CHROMIUM}`);
    return;
  }
  const dir = workspace(namedFiles(block.content, where));
  fs.symlinkSync(path.join(dir, 'node_modules', 'stockroute'), path.join(dir, 'pkg'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">\n${block.content}`);
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const target = file.endsWith(path.sep) ? path.join(file, 'index.html') : file;
    if (!target.startsWith(dir) || !fs.existsSync(target) || !fs.statSync(target).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(target)] || 'application/octet-stream' });
    fs.createReadStream(target).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.url()}: HTTP ${r.status()}`); });
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'networkidle' });
    let text = '';
    let diff = output ? 'nothing rendered' : null;
    for (let i = 0; i < 100 && errors.length === 0; i++) {
      text = await page.evaluate(() => document.body.innerText);
      diff = output ? compareShown(text, output.content) : null;
      if (diff === null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(errors, [], `${where}: the page fails`);
    assert.equal(diff, null, `${where}: ${diff}`);
  } finally {
    await browser.close();
    server.close();
  }
}

// ---- shell ---------------------------------------------------------------------------------

/** Runs one shell command line in `dir` with `stockroute` meaning the installed CLI. */
async function sh(line, dir) {
  const cli = path.join(dir, 'node_modules', 'stockroute', 'bin', 'stockroute.js');
  const script = `stockroute() { "${process.execPath}" "${cli}" "$@"; }\nexec 2>&1\n${line}\n`;
  const r = await exec('bash', ['-c', script], { cwd: dir });
  return { code: r.code, output: r.stdout };
}

/** A command line that runs the package's CLI: `stockroute …`, `npx stockroute …` or `node pkg/bin/stockroute.js …`, possibly fed by a pipe. */
const CLI_LINE = /(^|\|\s*)(stockroute|npx stockroute|node pkg\/bin\/stockroute\.js) /;

/**
 * A shell block: every command is a call of the CLI, run in a fresh folder holding copies
 * of rules/ and examples/ (the examples run from the repository's top folder), with the
 * exit code its `# exit N` comment gives (default 0). The `text` block after it shows their
 * output. `sh no-run` holds set-up, build, serve and benchmark commands, which would take
 * minutes or start the test suite again: each must name something that exists.
 */
async function runShell(block, output, ctx) {
  const { where, words } = block;
  const unknown = words.filter((w) => w !== 'no-run');
  assert.deepEqual(unknown, [], `${where}: unknown label ${unknown.join(' ')} on a shell block`);
  const commands = shellCommands(block.content);
  assert.ok(commands.length > 0, `${where}: no command`);
  if (words.includes('no-run')) {
    assert.equal(output, null, `${where}: a no-run block has no output to show`);
    for (const { line } of commands) resolveCommand(line, where);
    return;
  }
  ctx.shellDir ??= workspace(['rules', 'examples']);
  if (!fs.existsSync(path.join(ctx.shellDir, 'pkg'))) fs.symlinkSync(path.join(ctx.shellDir, 'node_modules', 'stockroute'), path.join(ctx.shellDir, 'pkg'));
  let printed = '';
  for (const { line, code } of commands) {
    assert.match(line, CLI_LINE, `${where}: \`${line}\` is not a call of the stockroute CLI; set-up and build commands go in a \`sh no-run\` block`);
    const r = await sh(line, ctx.shellDir);
    assert.equal(r.code, code, `${where}: \`${line}\` exits ${r.code}, the doc says ${code}:\n${r.output.slice(0, 2000)}`);
    printed += r.output;
  }
  if (output) {
    const diff = compareShown(printed, output.content);
    assert.equal(diff, null, `${where}: ${diff}`);
  }
}

/** `$ command` lines, each followed by the output it prints. */
async function runConsole(block, ctx) {
  const { where } = block;
  const steps = [];
  for (const line of block.content.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('$ ')) steps.push({ line: line.slice(2), shown: [] });
    else {
      assert.ok(steps.length, `${where}: a console block starts with a \`$ \` command`);
      steps.at(-1).shown.push(line);
    }
  }
  for (const { line, shown } of steps) {
    await runShell({ ...block, lang: 'sh', words: [], content: line }, { content: shown.join('\n') }, ctx);
  }
}

/**
 * Checks that a command of a no-run block names something that exists: a Makefile target,
 * a script, a test or benchmark target, a file run with node. `npm install <path>/pkg` is
 * what this walker does itself with the packed package.
 */
function resolveCommand(line, where) {
  const words = line.replace(/#.*$/, '').trim().split(/\s+/);
  while (words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words.shift();
  const [cmd, ...args] = words;
  const exists = (p) => fs.existsSync(path.join(ROOT, p));
  const what = `${where}: \`${line}\``;
  if (cmd === 'make') {
    const makefile = read('Makefile');
    for (const t of args) assert.match(makefile, new RegExp(`^${t}:`, 'm'), `${what}: no Makefile target \`${t}\``);
  } else if (cmd === 'bash' || cmd === 'node') {
    assert.ok(args[0] && exists(args[0]), `${what}: no file \`${args[0]}\``);
  } else if (cmd === 'cargo') {
    const kind = args.includes('--test') ? ['--test', 'tests'] : args.includes('--bench') ? ['--bench', 'benches'] : null;
    assert.ok(['test', 'bench', 'build', 'fuzz'].includes(args[0]), `${what}: unknown cargo command`);
    if (kind) {
      const name = args[args.indexOf(kind[0]) + 1];
      assert.ok(exists(`${kind[1]}/${name}.rs`), `${what}: no ${kind[1]}/${name}.rs`);
    }
  } else if (cmd === 'npm' && args[0] === 'install') {
    assert.match(args.at(-1), /pkg\/?$/, `${what}: only the package folder is installed this way`);
  } else {
    assert.ok(cmd && cmd.includes('/') && exists(cmd), `${what}: not a Makefile target, script, cargo target or file of the repository`);
    fs.accessSync(path.join(ROOT, cmd), fs.constants.X_OK);
  }
}

// ---- JSON ------------------------------------------------------------------------------------

function parseJson(block) {
  const { where, lang, content } = block;
  try {
    if (lang === 'jsonl') return content.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    return JSON.parse(content);
  } catch (e) {
    assert.fail(`${where}: not valid ${lang.toUpperCase()}: ${e.message}`);
  }
  return undefined;
}

/** A router with the rules an attribute names (`rules=rules/x.rhai`), or none. */
function routerFor(block, rules = block.attrs.rules ? read(block.attrs.rules) : '') {
  const { sr } = install();
  return new sr.Router(rules, { name: block.attrs.rules || 'no rules' });
}

function withoutTrace(plan) {
  const { trace, ...rest } = plan;
  void trace;
  return rest;
}

/**
 * JSON blocks say what they hold in the second word of the info string; the value is loaded
 * into the engine as what it is, and outputs are compared with what the engine gives.
 */
function checkJson(block, ctx) {
  const { sr } = install();
  const { where, words, attrs, info } = block;
  const kind = words[0];
  assert.ok(kind, `${where}: say what the JSON is (\`json inventory\`, \`json order\`, …; docs/doc-examples.md)`);
  assert.equal(words.length, 1, `${where}: one kind per JSON block`);
  const value = parseJson(block);
  const inventory = ctx.inventory ?? SAMPLE_INVENTORY;
  const asOf = attrs.as_of ? { as_of: attrs.as_of } : {};
  const covered = COVERED[info.split(/\s+/).slice(0, 2).join(' ')];
  if (covered) {
    const test = read(covered);
    assert.ok(test.includes(block.file) && test.includes(`"${block.lang} ${kind}"`),
      `${where}: ${covered} compares \`${block.lang} ${kind}\` blocks of ${block.file} with the engine; it no longer names them`);
    return;
  }
  switch (kind) {
    case 'inventory': {
      const router = routerFor(block);
      router.setInventory(block.content);
      router.free();
      ctx.inventory = block.content;
      return;
    }
    case 'order': {
      const router = routerFor(block);
      router.route(block.content, inventory, asOf);
      router.free();
      ctx.order = block.content;
      return;
    }
    case 'events': {
      assert.equal(block.lang, 'jsonl', `${where}: an event log is JSON Lines`);
      sr.settle(inventory, block.content, attrs.period ?? '2026-11');
      return;
    }
    case 'plan': {
      assert.ok(ctx.order, `${where}: a plan needs the order shown before it`);
      const router = routerFor(block);
      const plan = router.route(ctx.order, inventory, asOf);
      router.free();
      assert.deepEqual(withoutTrace(value), withoutTrace(plan), `${where}: the plan ${attrs.rules ?? 'the engine'} makes for the order shown before it differs`);
      for (const entry of value.trace ?? []) {
        assert.ok(plan.trace.some((t) => JSON.stringify(t) === JSON.stringify(entry)), `${where}: trace entry ${JSON.stringify(entry)} is not in the plan's trace:\n${JSON.stringify(plan.trace, null, 1)}`);
      }
      return;
    }
    case 'availability': {
      const router = routerFor(block);
      const actual = router.available(inventory);
      router.free();
      assert.deepEqual(Object.keys(value), ['items'], `${where}: an availability is { items }`);
      for (const item of value.items) {
        const got = actual.items.find((i) => i.channel === item.channel && i.sku === item.sku);
        assert.deepEqual(item, got, `${where}: channel ${item.channel}, sku ${item.sku}`);
      }
      return;
    }
    case 'check': {
      assert.ok(ctx.rules, `${where}: a check report needs the rule set shown before it`);
      const report = sr.check(ctx.rules);
      for (const key of Object.keys(value)) assert.deepEqual(value[key], report[key], `${where}: \`${key}\` of the check report of the rules shown before it`);
      return;
    }
    case 'case': {
      const file = attrs.file;
      if (file) assert.deepEqual(value, JSON.parse(read(file)), `${where}: differs from ${file}`);
      const outcome = runCaseBlock(block.content, file, attrs.rules);
      assert.ok(outcome.passed, `${where}: the case fails: ${outcome.failures.join('; ')}`);
      return;
    }
    case 'case-entry': {
      // One entry of a case's `expect`, shown on its own: it must hold on that case's data.
      const file = attrs.file;
      assert.ok(file, `${where}: a case-entry names its case with file=rules/cases/…`);
      const whole = JSON.parse(read(file));
      whole.expect = Array.isArray(whole.expect) ? [value] : value;
      const outcome = runCaseBlock(JSON.stringify(whole), file);
      assert.ok(outcome.passed, `${where}: does not hold on ${file}: ${outcome.failures.join('; ')}`);
      return;
    }
    default:
      assert.fail(`${where}: unknown JSON kind \`${kind}\` (docs/doc-examples.md lists them)`);
  }
}

/**
 * Runs a case as `stockroute test` does: the rules of its folder (or `rules=`), then again
 * with the files its outcome says it references, read from the case file's folder.
 */
function runCaseBlock(text, file, rules) {
  const { sr } = install();
  const name = file ? path.basename(path.dirname(file)) : null;
  const rulesFile = rules ?? (name && `rules/${name}.rhai`);
  assert.ok(rulesFile, 'a case names its rules with rules=… or its file with file=…');
  const source = read(rulesFile);
  const outcome = sr.runCase(text, source, {}, rulesFile);
  if (!outcome.files.length) return outcome;
  assert.ok(file, `a case that references files (${outcome.files.join(', ')}) names its own file with file=…`);
  const files = Object.fromEntries(outcome.files.map((ref) => [ref, read(path.join(path.dirname(file), ref))]));
  return sr.runCase(text, source, files, rulesFile);
}

// ---- Rust ------------------------------------------------------------------------------------

/** Rust blocks are doctests: src/lib.rs includes the doc under `cfg(doctest)`. */
function checkRust(block) {
  const { where, file, words } = block;
  const skipped = words.filter((w) => ['ignore', 'text'].includes(w));
  assert.deepEqual(skipped, [], `${where}: a rust block the doctests would skip`);
  const lib = read('src/lib.rs');
  const include = new RegExp(`#\\[cfg\\(doctest\\)\\]\\s*#\\[doc = include_str!\\("\\.\\./${file.replace(/[.]/g, '\\.')}"\\)\\]`);
  assert.match(lib, include, `${where}: src/lib.rs must include ${file} as a doctest module, so \`cargo test --doc\` runs its rust blocks`);
}

// ---- the walk --------------------------------------------------------------------------------

/** Checks every block of one Markdown text in order. */
async function walk(blocks) {
  const ctx = { compared: new Set() };
  for (let i = 0; i < blocks.length; i++) {
    ctx.next = blocks[i + 1];
    await checkBlock(blocks[i], ctx);
  }
}

// The pages run side by side (each page's blocks in order: later blocks build on earlier
// ones); most of the time goes to starting Node and compiling the module in each example.
test('every code block of README.md and docs/*.md runs or is checked', { concurrency: 3 }, async (t) => {
  install();
  await Promise.all(docFiles().map((file) =>
    t.test(file, async (page) => {
      const blocks = docBlocks(file);
      const ctx = { compared: new Set() };
      for (let i = 0; i < blocks.length; i++) {
        ctx.next = blocks[i + 1];
        const block = blocks[i];
        await page.test(`${block.where} ${block.info || '(no language)'}`, () => checkBlock(block, ctx));
      }
    })));
});

// ---- the walker itself: what it refuses ---------------------------------------------------------

const refuses = async (markdown, pattern) => {
  await assert.rejects(() => walk(blocksOf(markdown, 'sample.md')), (e) => {
    assert.match(e.message, pattern);
    return true;
  });
};

test('the walker refuses blocks it cannot check and examples that do not do what they show', async () => {
  await refuses('```\nsome text\n```\n', /sample\.md:1: a code block without a language/);
  await refuses('    indented code\n', /indented code block/);
  await refuses('```python\nprint(1)\n```\n', /unknown language `python`/);
  await refuses('```json\n{}\n```\n', /say what the JSON is/);
  await refuses('```json recipe\n{}\n```\n', /unknown JSON kind `recipe`/);
  await refuses('```json inventory\n{"warehouses": [{"id": "W", "kind": "shop"}]}\n```\n', /kind/);
  await refuses('```text\nhello\n```\n', /shows the output of the command or script block right before it/);
  await refuses('```json inventory\n' + read('examples/inventory.json') + '```\n\n```text\nhello\n```\n', /`json` blocks print nothing to compare/);
  // A rule set that does not check clean, one that fails a sample order, a wrong claim.
  await refuses('```rhai\nfn rank(order, warehouse) { warehouse.prio }\n```\n', /does not check clean/);
  await refuses('```rhai\nfn rank(order, warehouse) { distance_km(warehouse, order.ship_to) }\n```\n', /does not check clean|a sample order fails/);
  await refuses('```rhai\nfn eligible(order, warehouse) { if order.id == "MKT-3002" { throw "no" } true }\n```\n', /a sample order fails[\s\S]*MKT-3002/);
  await refuses('```rhai\n// Fails every order with rule.limit\nfn rank(o, w) { w.priority }\n```\n', /says it fails every order with rule\.limit/);
  // A script printing something else than its comments say, or depending on the repository.
  await refuses("```js\nconsole.log(1 + 1);\n// 3\n```\n", /the doc shows/);
  await refuses("```js\nrequire('fs').readFileSync('Cargo.toml');\n```\n", /fails \(exit 1\) in a fresh folder/);
  await refuses('```js\nconsole.log(2);\n```\n\n```text\n3\n```\n', /the doc shows/);
  // Shell: only CLI calls run; the exit code and output must be the ones shown.
  await refuses('```sh\nls\n```\n', /not a call of the stockroute CLI/);
  await refuses('```sh\nstockroute check rules/own-first-then-consignment.rhai\n```\n\n```text\nrules/own-first-then-consignment.rhai: ok (hooks: rank)\n```\n', /the doc shows/);
  await refuses('```sh\nstockroute available --rules rules/own-first-then-consignment.rhai --inventory examples/inventory.json --channel nowhere\n```\n', /exits 1, the doc says 0/);
  await refuses('```sh no-run\nmake frobnicate\n```\n', /no Makefile target `frobnicate`/);
  await refuses('```rust\nlet x = 1;\n```\n', /src\/lib\.rs must include sample\.md as a doctest module/);
});

test('the walker accepts the forms the docs use', async () => {
  await walk(blocksOf([
    '```rhai fragment=rank', 'warehouse.priority', '```',
    '```js', 'const { version } = require("stockroute");', 'console.log(typeof version());', '// string', '```',
    '```sh', 'stockroute check rules/own-first-then-consignment.rhai', '```', '',
    '```text', 'rules/…: ok (hooks: rank, split)', '```',
    '```console', '$ stockroute check rules/*.rhai', 'rules/b2b-no-consignment.rhai: ok …', '…', '```',
    '```sh no-run', 'make test', 'STOCKROUTE_WASM_OPT=0 scripts/build-pkg.sh', 'cargo test --test rule_cases', '```',
    '```text illustration', 'a = b + c', '```',
    '```json inventory', read('examples/inventory.json'), '```',
    '```json case-entry file=rules/cases/channel-aggregation/01-webshop-takes-80-percent-of-consignment.json',
    '{ "channel": "webshop", "sku": "A", "offered": 17 }', '```',
  ].join('\n'), 'sample.md'));
  assert.equal(compareShown('a\nb\nc\n', 'a\n…\nc'), null);
  assert.equal(compareShown('a\nc\n', 'a\n…\nc'), null);
  assert.notEqual(compareShown('a\nb\nc\n', 'a\nc'), null, 'lines left out need a `…`');
  assert.notEqual(compareShown('a\nb\n', 'a'), null, 'trailing lines left out need a `…`');
  assert.equal(compareShown('order WEB-1 routed\n', 'order … routed'), null);
  assert.equal(commentOutput('const x = 1;\n// not output\nconsole.log(x);\n// 1\n// …\nf();\n// again not'), '1\n…');
});
