'use strict';
// What every `stockroute` subcommand shares: argument parsing, file reading, output, error
// reporting, loading rules and inventories. Command modules receive this object as the
// second argument of `run(argv, helpers)` (see stockroute.js), so a command that lives in
// another file plugs in with one line in the dispatcher.

const fs = require('fs');
const api = require('../node/index.cjs');

const { Router, StockrouteError } = api;

class UsageError extends Error {
  constructor(message, showUsage = true) {
    super(message);
    this.showUsage = showUsage;
  }
}

/** Throws a usage error (exit 2); the dispatcher prints the command's usage after it. */
function usage(message) {
  throw new UsageError(message);
}

/**
 * Parses `--flag value` options (and `--flag=value`) plus positionals. `spec` maps each
 * option (`'--rules'`) to `'value'` or `'flag'`; `--no-trace` becomes `opts['no-trace']`.
 */
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

function requireOpts(opts, names, command) {
  for (const n of names) {
    if (!opts[n]) usage(`\`${command}\` needs --${n}`);
  }
}

/** Drops a UTF-8 byte-order mark: editors on Windows write one, JSON and Rhai do not allow it. */
function stripBom(text) {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A whole file (or stdin for `-`) as text, without a byte-order mark. */
function readFile(file) {
  try {
    return stripBom(fs.readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read \`${file}\`: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, false);
  }
}

// Output. A progress bar (progress.js) registers itself here so error lines never land in
// the middle of it.
let statusLine = null;

function out(text) {
  return process.stdout.write(text + '\n');
}

function err(text) {
  if (statusLine) statusLine.clear();
  process.stderr.write(text + '\n');
}

function setStatusLine(line) {
  statusLine = line;
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

/** Prints every diagnostic of a StockrouteError against `file`; rethrows anything else. */
function reportError(file, e) {
  if (!(e instanceof StockrouteError)) throw e;
  const diags = e.diagnostics.length ? e.diagnostics : [{ code: e.code, message: e.message, help: e.help }];
  for (const d of diags) err(formatDiagnostic(file, d));
}

/** Router options from the common flags (`--no-trace`). */
function routerOptions(rulesFile, opts = {}) {
  const options = { name: rulesFile };
  if (opts['no-trace']) options.trace = false;
  return options;
}

/** Compiles the rules file; on errors prints every diagnostic and returns null. */
function loadRouter(rulesFile, opts) {
  const source = readFile(rulesFile);
  try {
    return new Router(source, routerOptions(rulesFile, opts));
  } catch (e) {
    reportError(rulesFile, e);
    return null;
  }
}

/** Loads the inventory file into `router`; on errors prints them and returns false. */
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

module.exports = {
  api,
  UsageError,
  usage,
  parseArgs,
  requireOpts,
  stripBom,
  readFile,
  out,
  err,
  setStatusLine,
  formatDiagnostic,
  reportError,
  routerOptions,
  loadRouter,
  loadInventory,
};
