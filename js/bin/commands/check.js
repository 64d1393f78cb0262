'use strict';
// `stockroute check`: compile rule files without running them; print every diagnostic.

const usage = `usage: stockroute check R.rhai...

Compiles each rules file without running anything and prints every diagnostic as
file:line:col: severity: message [code] (with a help line when there is a hint), or
\`file: ok (hooks: ...)\` for a clean file. Exit 1 when any file has an error.

examples:
  stockroute check rules/own-first-then-consignment.rhai
  stockroute check rules/*.rhai`;

function run(argv, helpers) {
  const { positional } = helpers.parseArgs(argv, {});
  if (!positional.length) helpers.usage('`check` needs a rules file');
  let errors = 0;
  for (const file of positional) {
    const report = helpers.api.check(helpers.readFile(file), file);
    for (const d of report.diagnostics) {
      helpers.out(helpers.formatDiagnostic(file, d));
      if (d.severity === 'error') errors++;
    }
    if (report.ok) {
      const hooks = report.hooks.length ? report.hooks.join(', ') : 'none (engine defaults)';
      helpers.out(`${file}: ok (hooks: ${hooks})`);
    }
  }
  return errors ? 1 : 0;
}

module.exports = { name: 'check', summary: 'diagnostics for rule files, without running them', usage, run };
