// End-to-end tests of the rule editor in Chromium (playwright-core + Debian's /usr/bin/chromium).
// Run through www/test.sh, which type-checks and builds www/dist first. Prints `N passed,
// M failed` last and exits non-zero on any failure. Screenshots go to www/test-results/.
//
//   node tests/e2e.mjs            every suite
//   node tests/e2e.mjs issue-12   only the suites whose file name contains `issue-12`
//
// Expected values are worked out by hand from examples/inventory.json, examples/orders.jsonl
// and the rule sets; the reasoning is next to each assertion.
import { start, finish } from './harness.mjs';

const suites = ['./views.mjs', './issue-12.mjs', './issue-8.mjs', './issue-10.mjs', './issue-11.mjs', './issue-13.mjs'];
const only = process.argv.slice(2);

await start();
for (const suite of suites) {
  if (only.length && !only.some((o) => suite.includes(o))) continue;
  console.log(`# ${suite.slice(2)}`);
  await import(suite);
}
process.exit(await finish());
