'use strict';
// `stockroute test`: run the data-driven rule test cases (docs/test-cases.md).

const fs = require('fs');
const path = require('path');

const usage = `usage: stockroute test [rules/ | rules/NAME.rhai | rules/cases/NAME/ | rules/cases/NAME/CASE.json]...

Runs rule test cases: every rules/cases/NAME/*.json against rules/NAME.rhai. Give a rules
folder (all of its rule sets; the default is rules/), one rule file, one rule set's case
folder, or one case file. Prints PASS or FAIL per case with one indented line per mismatch,
then "N passed, M failed"; exit 1 if any case failed or none was found.

examples:
  stockroute test
  stockroute test rules/own-first-then-consignment.rhai
  stockroute test rules/cases/own-first-then-consignment/02-consignment-only-fills-the-gap.json`;

const stripBom = (text) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const isDir = (p) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};
const jsonFiles = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));

/** The rule sets and case files a target names: `[{ name, rulesFile, cases: [file] }]`. */
function resolve(target, helpers) {
  if (!fs.existsSync(target)) throw new helpers.UsageError(`cannot read \`${target}\`: no such file or folder`, false);
  if (isDir(target)) {
    const casesDir = path.join(target, 'cases');
    if (isDir(casesDir)) {
      return fs.readdirSync(casesDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
        .map((name) => ({ name, rulesFile: path.join(target, `${name}.rhai`), cases: jsonFiles(path.join(casesDir, name)) }));
    }
    const parent = path.dirname(path.resolve(target));
    if (path.basename(parent) === 'cases') {
      const name = path.basename(path.resolve(target));
      return [{ name, rulesFile: path.join(target, '..', '..', `${name}.rhai`), cases: jsonFiles(target) }];
    }
    helpers.usage(`\`${target}\` is neither a rules folder (with a \`cases/\` folder) nor a case folder (\`cases/<rule name>/\`)`);
  }
  if (target.endsWith('.rhai')) {
    const name = path.basename(target, '.rhai');
    const caseDir = path.join(path.dirname(target), 'cases', name);
    return [{ name, rulesFile: target, cases: isDir(caseDir) ? jsonFiles(caseDir) : [], caseDir }];
  }
  if (target.endsWith('.json')) {
    const caseDir = path.dirname(target);
    const name = path.basename(path.resolve(caseDir));
    return [{ name, rulesFile: path.join(caseDir, '..', '..', `${name}.rhai`), cases: [target] }];
  }
  return helpers.usage(`\`${target}\` is not a folder, a .rhai rule file or a .json case file`);
}

/**
 * Runs one case file. The engine decides which strings of a case are file references and
 * lists them in the outcome (`files`); a case that references files is run again with
 * each of them read from the case file's folder (`..` and `.` resolved lexically, as
 * `stockroute::cases::resolve_reference` and the editor resolve them).
 */
function runCaseFile(api, caseFile, text, rules, name) {
  let outcome = api.runCase(text, rules, {}, name);
  if (outcome.files && outcome.files.length) {
    const files = {};
    for (const reference of outcome.files) {
      try {
        files[reference] = stripBom(fs.readFileSync(path.join(path.dirname(caseFile), reference), 'utf8'));
      } catch {
        // Not readable: the outcome names the missing file.
      }
    }
    outcome = api.runCase(text, rules, files, name);
  }
  return outcome;
}

function run(argv, helpers) {
  const { positional } = helpers.parseArgs(argv, {});
  const targets = positional.length ? positional : ['rules'];
  const sets = targets.flatMap((t) => resolve(t, helpers));
  let passed = 0;
  let failed = 0;
  for (const set of sets) {
    let rules = null;
    try {
      rules = helpers.stripBom(fs.readFileSync(set.rulesFile, 'utf8'));
    } catch {
      // Reported per case below.
    }
    if (set.caseDir && !set.cases.length) helpers.out(`no test cases for \`${set.rulesFile}\` (expected ${set.caseDir}/*.json)`);
    for (const caseFile of set.cases) {
      const label = `${set.name}/${path.basename(caseFile)}`;
      if (rules === null) {
        failed++;
        helpers.out(`FAIL ${label}: rule file \`${set.rulesFile}\` not found`);
        continue;
      }
      const text = helpers.stripBom(fs.readFileSync(caseFile, 'utf8'));
      let outcome;
      try {
        outcome = runCaseFile(helpers.api, caseFile, text, rules, set.rulesFile);
      } catch (e) {
        if (!(e instanceof helpers.api.StockrouteError)) throw e;
        outcome = { name: '', passed: false, failures: [e.message] };
      }
      const title = outcome.name ? ` (${outcome.name})` : '';
      if (outcome.passed) {
        passed++;
        helpers.out(`PASS ${label}${title}`);
      } else {
        failed++;
        helpers.out(`FAIL ${label}${title}`);
        for (const failure of outcome.failures) helpers.out(`    ${String(failure).split('\n').join('\n    ')}`);
      }
    }
  }
  if (passed + failed === 0) {
    helpers.out(`no test cases found in ${targets.map((t) => `\`${t}\``).join(', ')}`);
    return 1;
  }
  helpers.out(`\n${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

module.exports = { name: 'test', summary: 'run the rule test cases (a folder, a rule file or a case file)', usage, run };
