#!/usr/bin/env node
'use strict';
// The `stockroute` command line: route orders, show availability, check rules, run rule
// test cases. Exit codes: 0 success, 1 rule or data errors, 2 usage (bad arguments,
// unreadable files).

const fs = require('fs');
const path = require('path');
const { Router, check, runCase, version, StockrouteError } = require('../node/index.cjs');
const consignment = require('./consignment-commands.js');

const USAGE = `stockroute ${version()}: order routing rules engine

usage:
  stockroute route --rules R.rhai --inventory inventory.json [orders.jsonl | -] [--pretty]
      route each order (one JSON object per line; '-' or nothing reads stdin);
      prints one plan per line (JSONL) in input order, or a readable table with --pretty
  stockroute available --rules R.rhai --inventory inventory.json [--channel C] [--pretty]
      offered quantity per channel and SKU, as JSON or a readable table
  stockroute check R.rhai...
      diagnostics as file:line:col: severity: message (exit 1 on errors)
  stockroute test [rules/]
      run the rule test cases rules/cases/<name>/*.json against rules/<name>.rhai
${consignment.USAGE}

exit codes: 0 success, 1 rule or data errors (other orders are still routed), 2 usage`;

class UsageError extends Error {
  constructor(message, showUsage = true) {
    super(message);
    this.showUsage = showUsage;
  }
}

function usage(message) {
  throw new UsageError(message);
}

/** Parses `--flag value` options (and `--flag=value`) plus positionals. */
function parseArgs(argv, spec) {
  const opts = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const kind = spec[name];
    if (!kind) usage(`unknown option \`${name}\``);
    if (kind === 'flag') {
      if (eq > 0) usage(`option \`${name}\` takes no value`);
      opts[name.slice(2)] = true;
    } else {
      let value;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        i++;
      }
      if (value === undefined || value === '') usage(`option \`${name}\` needs a value`);
      opts[name.slice(2)] = value;
    }
  }
  return { opts, positional };
}

function readFile(file) {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read \`${file}\`: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, false);
  }
}

function out(text) {
  process.stdout.write(text + '\n');
}

function err(text) {
  process.stderr.write(text + '\n');
}

/** `file:line:col: severity: message` plus an indented help line, for one diagnostic. */
function formatDiagnostic(file, d) {
  let where = file;
  if (d.line != null) where += `:${d.line}`;
  if (d.line != null && d.column != null) where += `:${d.column}`;
  const hook = d.hook ? `in \`${d.hook}\`: ` : '';
  const at = d.path ? ` (at \`${d.path}\`)` : '';
  let text = `${where}: ${d.severity || 'error'}: ${hook}${d.message}${at} [${d.code}]`;
  if (d.help) text += `\n    help: ${d.help}`;
  return text;
}

function reportError(file, e) {
  if (!(e instanceof StockrouteError)) throw e;
  const diags = e.diagnostics.length ? e.diagnostics : [{ code: e.code, message: e.message }];
  for (const d of diags) err(formatDiagnostic(file, d));
}

/** Compiles the rules file; on errors prints every diagnostic and returns null. */
function loadRouter(rulesFile) {
  const source = readFile(rulesFile);
  try {
    return new Router(source, { name: rulesFile });
  } catch (e) {
    reportError(rulesFile, e);
    return null;
  }
}

function loadInventory(router, inventoryFile) {
  const text = readFile(inventoryFile);
  try {
    router.setInventory(text);
    return true;
  } catch (e) {
    reportError(inventoryFile, e);
    return false;
  }
}

function requireOpts(opts, names, command) {
  for (const n of names) {
    if (!opts[n]) usage(`\`${command}\` needs --${n}`);
  }
}

// ---- pretty printing -------------------------------------------------------------------

function table(rows, indent = '  ') {
  const widths = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] || 0, String(cell).length);
    });
  }
  return rows
    .map((row) =>
      indent +
      row
        .map((cell, i) => (i === row.length - 1 ? String(cell) : String(cell).padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function qtyList(lines) {
  return lines.map((l) => `${l.sku} × ${l.qty}`).join(', ');
}

function forwardText(f) {
  if (!f) return '';
  if (f.method === 'email') return `email ${f.to}`;
  if (f.method === 'api') return `api ${f.endpoint}`;
  return f.method;
}

function prettyPlan(plan, order) {
  const lines = [];
  const where = order && order.ship_to ? ` → ${[order.ship_to.country, order.ship_to.postcode].filter(Boolean).join(' ')}` : '';
  const channel = order && order.channel ? ` (${order.channel}${where})` : '';
  const n = plan.shipments.length;
  lines.push(`order ${plan.order}${channel}: ${plan.status.toUpperCase()}, ${n} shipment${n === 1 ? '' : 's'}`);
  if (n) {
    const rows = [['from', 'kind', 'ships', 'documents', 'handover']];
    for (const s of plan.shipments) {
      const kind = s.kind === 'consignment' && s.owner ? `consignment (${s.owner})` : s.kind;
      rows.push([s.warehouse, kind, qtyList(s.lines), s.documents.join(', '), forwardText(s.forward)]);
    }
    lines.push(table(rows));
  }
  if (plan.backorders.length) lines.push(`  backordered: ${qtyList(plan.backorders)}`);
  if (plan.hold) lines.push(`  held: ${plan.hold.reason} (${qtyList(plan.hold.lines)})`);
  const why = plan.trace.filter((t) => t.step !== 'eligible' && t.step !== 'rank');
  for (const t of why) {
    const ctx = [t.warehouse, t.line && `line ${t.line}`].filter(Boolean).join(', ');
    lines.push(`  · ${t.step}${ctx ? ` [${ctx}]` : ''}: ${t.message}`);
  }
  return lines.join('\n');
}

function prettyAvailability(av) {
  const rows = [['channel', 'sku', 'offered', 'from warehouses', 'channel safety', 'reserved', 'rule']];
  for (const it of av.items) {
    const from = it.warehouses
      .filter((w) => w.included && w.offered !== '0')
      .map((w) => `${w.warehouse} ${w.offered}`)
      .join(', ');
    rows.push([it.channel, it.sku, it.offered, from || '-', it.channel_safety, it.reserved, it.rule_adjustment]);
  }
  const text = [table(rows, '')];
  for (const t of av.trace || []) text.push(`· ${t.step}: ${t.message}`);
  return text.join('\n');
}

// ---- commands --------------------------------------------------------------------------

function cmdRoute(argv) {
  const { opts, positional } = parseArgs(argv, { '--rules': 'value', '--inventory': 'value', '--pretty': 'flag' });
  requireOpts(opts, ['rules', 'inventory'], 'route');
  if (positional.length > 1) usage('`route` takes at most one orders file');
  const ordersFile = positional[0] || '-';
  const router = loadRouter(opts.rules);
  if (!router) return 1;
  if (!loadInventory(router, opts.inventory)) return 1;
  const text = readFile(ordersFile);
  const shownName = ordersFile === '-' ? '<stdin>' : ordersFile;

  const inputs = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== '') inputs.push({ line: i + 1, text: line });
  });
  const results = router.routeBatch(inputs.map((x) => x.text));
  let failed = 0;
  const blocks = [];
  results.forEach((r, i) => {
    const input = inputs[i];
    if (r.ok) {
      if (opts.pretty) {
        let order = null;
        try {
          order = JSON.parse(input.text);
        } catch {
          // The engine parsed it; a JSON.parse failure here only loses the header details.
        }
        blocks.push(prettyPlan(r.plan, order));
      } else {
        out(JSON.stringify(r.plan));
      }
    } else {
      failed++;
      const who = r.order ? `order \`${r.order}\`: ` : '';
      const help = r.error.help ? `\n    help: ${r.error.help}` : '';
      err(`${shownName}:${input.line}: ${who}${r.error.message} [${r.error.code}]${help}`);
      if (opts.pretty) {
        blocks.push(`order ${r.order || `on line ${input.line}`}: ERROR ${r.error.code}: ${r.error.message}`);
      } else {
        out(JSON.stringify({ order: r.order, error: r.error }));
      }
    }
  });
  if (opts.pretty) {
    out(blocks.join('\n\n'));
    out(`\n${results.length - failed} of ${results.length} orders routed${failed ? `, ${failed} failed` : ''}`);
  }
  router.free();
  return failed ? 1 : 0;
}

function cmdAvailable(argv) {
  const { opts, positional } = parseArgs(argv, {
    '--rules': 'value',
    '--inventory': 'value',
    '--channel': 'value',
    '--pretty': 'flag',
  });
  requireOpts(opts, ['rules', 'inventory'], 'available');
  if (positional.length) usage('`available` takes no positional arguments');
  const router = loadRouter(opts.rules);
  if (!router) return 1;
  if (!loadInventory(router, opts.inventory)) return 1;
  let av;
  try {
    av = router.available(null, opts.channel);
  } catch (e) {
    reportError(opts.rules, e);
    return 1;
  }
  out(opts.pretty ? prettyAvailability(av) : JSON.stringify(av, null, 2));
  router.free();
  return 0;
}

function cmdCheck(argv) {
  const { positional } = parseArgs(argv, {});
  if (!positional.length) usage('`check` needs a rules file');
  let errors = 0;
  for (const file of positional) {
    const report = check(readFile(file), file);
    for (const d of report.diagnostics) {
      out(formatDiagnostic(file, d));
      if (d.severity === 'error') errors++;
    }
    if (report.ok) {
      const hooks = report.hooks.length ? report.hooks.join(', ') : 'none (engine defaults)';
      out(`${file}: ok (hooks: ${hooks})`);
    }
  }
  return errors ? 1 : 0;
}

/** Every string in a case that names an existing file next to it, read for `runCase`. */
function referencedFiles(value, dir, files) {
  if (typeof value === 'string') {
    if (!(value in files) && /[/\\]|\.(json|jsonl|rhai)$/.test(value)) {
      const p = path.resolve(dir, value);
      try {
        if (fs.statSync(p).isFile()) files[value] = fs.readFileSync(p, 'utf8');
      } catch {
        // Not a file: the case runner reports a missing reference itself.
      }
    }
  } else if (Array.isArray(value)) {
    for (const v of value) referencedFiles(v, dir, files);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencedFiles(v, dir, files);
  }
  return files;
}

function cmdTest(argv) {
  const { positional } = parseArgs(argv, {});
  if (positional.length > 1) usage('`test` takes one rules folder');
  const dir = positional[0] || 'rules';
  const casesDir = path.join(dir, 'cases');
  if (!fs.existsSync(casesDir) || !fs.statSync(casesDir).isDirectory()) {
    usage(`no \`${casesDir}\` folder (expected ${casesDir}/<rule name>/*.json)`);
  }
  let passed = 0;
  let failed = 0;
  const sets = fs
    .readdirSync(casesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of sets) {
    const caseFiles = fs
      .readdirSync(path.join(casesDir, name))
      .filter((f) => f.endsWith('.json'))
      .sort();
    const rulesFile = path.join(dir, `${name}.rhai`);
    let rules = null;
    try {
      rules = fs.readFileSync(rulesFile, 'utf8');
    } catch {
      // Reported per case below.
    }
    for (const f of caseFiles) {
      const caseFile = path.join(casesDir, name, f);
      const label = `${name}/${f}`;
      if (rules === null) {
        failed++;
        out(`FAIL ${label}: rule file \`${rulesFile}\` not found`);
        continue;
      }
      const text = fs.readFileSync(caseFile, 'utf8');
      let files = {};
      try {
        files = referencedFiles(JSON.parse(text), path.dirname(caseFile), {});
      } catch {
        // Invalid JSON: runCase reports it with line and field.
      }
      let outcome;
      try {
        outcome = runCase(text, rules, files, rulesFile);
      } catch (e) {
        if (!(e instanceof StockrouteError)) throw e;
        outcome = { name: '', passed: false, failures: [e.message] };
      }
      const title = outcome.name ? ` (${outcome.name})` : '';
      if (outcome.passed) {
        passed++;
        out(`PASS ${label}${title}`);
      } else {
        failed++;
        out(`FAIL ${label}${title}`);
        for (const failure of outcome.failures) out(`    ${String(failure).split('\n').join('\n    ')}`);
      }
    }
  }
  if (passed + failed === 0) {
    out(`no test cases found under \`${casesDir}\``);
    return 1;
  }
  out(`\n${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'route':
      return cmdRoute(rest);
    case 'available':
      return cmdAvailable(rest);
    case 'check':
      return cmdCheck(rest);
    case 'test':
      return cmdTest(rest);
    case 'forward':
      return consignment.cmdForward(rest, { parseArgs, readFile, out, err, usage, loadRouter, loadInventory, reportError });
    case 'settle':
      return consignment.cmdSettle(rest, { parseArgs, readFile, out, err, usage, loadRouter, loadInventory, reportError });
    case '--version':
    case '-V':
      out(version());
      return 0;
    case '--help':
    case '-h':
    case 'help':
      out(USAGE);
      return 0;
    case undefined:
      usage('missing command');
      return 2;
    default:
      usage(`unknown command \`${command}\``);
      return 2;
  }
}

let code;
try {
  code = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    err(e.showUsage ? `stockroute: ${e.message}\n\n${USAGE}` : `stockroute: ${e.message}`);
    code = 2;
  } else {
    err(`stockroute: internal error: ${e && e.stack ? e.stack : e}`);
    code = 1;
  }
}
process.exitCode = code;
