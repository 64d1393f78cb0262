#!/usr/bin/env node
'use strict';
// The `stockroute` command line: a dispatcher over one module per subcommand
// (commands/*.js). Each module exports `{ name, summary, usage, run(argv, helpers) }`;
// `run` returns the exit code (or a promise of it). `--help`/`-h` anywhere before `--`
// prints that command's usage. Exit codes: 0 success, 1 rule or data errors, 2 usage.
//
// A command defined elsewhere plugs in with one line in COMMANDS, like `forward` and
// `settle` (js/bin/consignment-commands.js) and `apply` and `sync`
// (js/bin/stock-commands.js) below.

const helpers = require('./helpers.js');

/**
 * A command of consignment-commands.js (`run(argv, helpers)` exported as `export`, its
 * usage one entry of the module's USAGE block) in the shape COMMANDS expects.
 */
function consignment(name, exported, summary) {
  const m = require('./consignment-commands.js');
  const entry = m.USAGE.split(/\n(?= {2}stockroute )/).find((e) => e.trim().startsWith(`stockroute ${name} `)) || '';
  const [synopsis, ...description] = entry.split('\n').map((l) => l.trim());
  return {
    name,
    summary,
    usage: `usage: ${synopsis}\n\n${description.join('\n')}\n\nsee docs/consignment.md for examples`,
    run: m[exported],
  };
}

/** A command of stock-commands.js, shaped like `consignment` above. */
function stock(name, exported, summary) {
  const m = require('./stock-commands.js');
  const entry = m.USAGE.split(/\n(?= {2}stockroute )/).find((e) => e.trim().startsWith(`stockroute ${name} `)) || '';
  const [synopsis, ...description] = entry.split('\n').map((l) => l.trim());
  return {
    name,
    summary,
    usage: `usage: ${synopsis}\n\n${description.join('\n')}\n\nsee docs/cli.md#apply-and-sync`,
    run: m[exported],
  };
}

const COMMANDS = {
  route: () => require('./commands/route.js'),
  available: () => require('./commands/available.js'),
  check: () => require('./commands/check.js'),
  test: () => require('./commands/test.js'),
  diff: () => require('./commands/diff.js'),
  forward: () => consignment('forward', 'cmdForward', 'write the forwarding message and documents of each shipment'),
  settle: () => consignment('settle', 'cmdSettle', 'settle consignment locations for a period from the event log'),
  apply: () => stock('apply', 'cmdApply', 'apply stock rows to an inventory file (all or none); writes the new inventory'),
  sync: () => stock('sync', 'cmdSync', "replace one location's stock with its system's rows; writes the new inventory"),
  replenish: () => require('./commands/replenish.js'),
  validate: () => require('./commands/validate.js'),
};

function overview() {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const list = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]().summary}`).join('\n');
  return `stockroute ${helpers.api.version()}: order routing rules engine

usage: stockroute <command> [options]   (stockroute <command> --help for its options and examples)

commands:
${list}

exit codes: 0 success, 1 rule or data errors (other orders are still routed), 2 usage`;
}

function wantsHelp(argv) {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

async function main(argv) {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    helpers.out(helpers.api.version());
    return 0;
  }
  if (name === undefined) helpers.usage('missing command');
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0];
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) helpers.out(COMMANDS[topic]().usage);
    else helpers.out(overview());
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) helpers.usage(`unknown command \`${name}\``);
  const command = COMMANDS[name]();
  if (wantsHelp(rest)) {
    helpers.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, helpers);
  } catch (e) {
    if (e instanceof helpers.UsageError && e.showUsage) e.usageText = command.usage;
    throw e;
  }
}

// Piping into `head` closes stdout early: stop quietly, as other command-line tools do.
const quietOnEpipe = (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
};
process.stdout.on('error', quietOnEpipe);
process.stderr.on('error', quietOnEpipe);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof helpers.UsageError) {
      const more = e.showUsage ? `\n\n${e.usageText || overview()}` : '';
      helpers.err(`stockroute: ${e.message}${more}`);
      process.exitCode = 2;
    } else {
      helpers.err(`stockroute: internal error: ${e && e.stack ? e.stack : e}`);
      process.exitCode = 1;
    }
  },
);
