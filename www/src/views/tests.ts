// Rule tests: runs `rules/cases/<rule set>/*.json` against the draft with the same `runCase`
// as `stockroute test` and `tests/rule_cases.rs`, with pass/fail and each failure explained.
import { h, replace, richText } from '../dom';
import * as engine from '../engine';
import { casesFor, runBundledCase } from '../bundled';
import { app, rulesText, $ } from '../state';

export function runTests() {
  const box = $('tests');
  const summary = $('tests-summary');
  const badge = $('tests-badge');
  const cases = casesFor(app.ruleSet);
  if (cases.length === 0) {
    replace(box, h('p', { class: 'empty' }, 'This rule set has no test cases yet. Add JSON files to ', h('code', null, `rules/cases/${app.ruleSet}/`), '.'));
    summary.textContent = '';
    badge.hidden = true;
    return;
  }
  const rules = rulesText();
  const t0 = performance.now();
  const results = cases.map((c) => ({ file: c, out: runBundledCase((text, files) => engine.runCase(text, rules, files, app.ruleSet), c.path, c.text) }));
  const ms = performance.now() - t0;
  const passed = results.filter((r) => r.out.passed).length;
  const failed = results.length - passed;
  summary.textContent = `${passed} passed, ${failed} failed · ${ms.toFixed(0)} ms`;
  badge.hidden = false;
  badge.textContent = failed ? `${failed} failing` : `${passed} ok`;
  badge.className = `tab-badge ${failed ? 'bad' : 'good'}`;
  summary.className = `tests-summary ${failed ? 'has-failures' : 'all-passed'}`;
  replace(box, h('ul', { class: 'cases' }, results.map(({ file, out }) => h('li', { class: `case ${out.passed ? 'pass' : 'fail'}`, 'data-case': file.name },
    h('span', { class: `verdict ${out.passed ? 'pass' : 'fail'}` }, out.passed ? 'Pass' : 'Fail'),
    h('div', null,
      h('div', { class: 'case-name' }, out.name || file.name),
      out.description ? h('p', { class: 'case-desc' }, out.description) : null,
      h('span', { class: 'case-file muted mono small' }, file.path),
      out.failures.length ? h('ul', { class: 'failures' }, out.failures.map((f) => h('li', null, richText(f)))) : null,
    ),
  ))));
}
