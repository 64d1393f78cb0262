// The Problems list under the editors and the squiggles in them: rule diagnostics at their
// line and column, inventory, order and consignment event errors at the JSON value the
// engine names by path (on the order's or event's line).
import type { EditorView } from '@codemirror/view';
import { setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { h, replace, richText } from '../dom';
import { locatePath, lineColumn } from '../data';
import type { Diagnostic } from '../types';
import type { Evaluation, Problem } from '../evaluate';
import { actions, app, eventsView, inventoryView, ordersView, rulesView, $ } from '../state';
import { kindOf } from '../words';

type Range = { from: number; to: number };

/** The token at a rule diagnostic's line and column (`columnUtf16`), so even one character shows. */
export function rulePosition(view: EditorView, d: Diagnostic): Range | null {
  if (!d.line) return null;
  const doc = view.state.doc;
  if (d.line < 1 || d.line > doc.lines) return { from: doc.length, to: doc.length };
  const line = doc.line(d.line);
  const col = Math.max(1, d.columnUtf16 ?? d.column ?? 1);
  let from = Math.min(line.from + col - 1, line.to);
  const rest = doc.sliceString(from, line.to);
  const word = rest.match(/^[A-Za-z_0-9]+/);
  let to = from + (word ? word[0].length : Math.min(1, line.to - from));
  if (to === from && from > line.from) from -= 1;
  if (to === from) to = Math.min(from + 1, doc.length);
  return { from, to };
}

/** Where a problem sits in its editor, when it can be placed. */
function problemRange(p: Problem, ev: Evaluation): Range | null {
  if (p.source === 'rules') return rulePosition(rulesView(), p.diag);
  if (p.source === 'inventory') {
    const text = ev.inventory.text;
    if (ev.inventory.kind === 'json') {
      const pos = Math.min(ev.inventory.error.pos ?? 0, text.length);
      return { from: pos, to: Math.min(pos + 1, text.length) };
    }
    return p.diag.path ? locatePath(text, p.diag.path) : null;
  }
  if (!p.orderLine) return null;
  const doc = lineEditor(p.source).state.doc;
  if (p.orderLine > doc.lines) return null;
  const line = doc.line(p.orderLine);
  const inLine = p.diag.path ? locatePath(line.text, p.diag.path) : null;
  return inLine ? { from: line.from + inLine.from, to: line.from + inLine.to } : { from: line.from, to: line.to };
}

/** The editor a problem of this source sits in. */
function lineEditor(source: Problem['source']): EditorView {
  return source === 'rules' ? rulesView() : source === 'inventory' ? inventoryView() : source === 'events' ? eventsView() : ordersView();
}

const sourceName: Record<Problem['source'], string> = { rules: 'Rules', inventory: 'Inventory', orders: 'Orders', events: 'Events' };

function describe(d: Diagnostic): string {
  return [d.message, d.path ? `at ${d.path}` : '', d.help ? `Hint: ${d.help}` : ''].filter(Boolean).join('\n');
}

function location(p: Problem, range: Range | null, ev: Evaluation): string {
  const d = p.diag;
  if (p.source === 'rules') return d.line ? `Rules ${d.line}:${d.columnUtf16 ?? d.column ?? 1}` : 'Rules';
  const text = p.source === 'inventory' ? ev.inventory.text : lineEditor(p.source).state.doc.toString();
  const name = sourceName[p.source];
  if (!range) return name;
  const at = lineColumn(text, range.from);
  return `${name} ${at.line}:${at.column}`;
}

// What each editor shows, for which text: typing in one editor re-dispatches nothing to the
// other two (whose text and problems did not change).
const shown = new Map<EditorView, { key: string; doc: unknown }>();

function show(view: EditorView, diagnostics: CmDiagnostic[]) {
  const key = JSON.stringify(diagnostics);
  const last = shown.get(view);
  if (last && last.key === key && last.doc === view.state.doc) return;
  shown.set(view, { key, doc: view.state.doc });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

export function renderProblems(ev: Evaluation) {
  const byEditor: Record<Problem['source'], CmDiagnostic[]> = { rules: [], inventory: [], orders: [], events: [] };
  const ranges = ev.problems.map((p) => problemRange(p, ev));
  ev.problems.forEach((p, i) => {
    const range = ranges[i];
    if (!range) return;
    byEditor[p.source].push({
      ...range,
      severity: p.diag.severity === 'warning' ? 'warning' : 'error',
      message: describe(p.diag),
      source: [kindOf(p.diag.code), p.diag.hook ? `in ${p.diag.hook}()` : ''].filter(Boolean).join(' · '),
    });
  });
  show(rulesView(), byEditor.rules);
  show(inventoryView(), byEditor.inventory);
  show(ordersView(), byEditor.orders);
  show(eventsView(), byEditor.events);

  const list = $('problems');
  const count = $('problem-count');
  count.textContent = String(ev.problems.length);
  count.dataset.count = String(ev.problems.length);
  if (ev.problems.length === 0) {
    replace(list, h('li', { class: 'problem-none' }, 'No problems. The rules compile and every input parses.'));
    return;
  }
  replace(list, ev.problems.map((p, i) => {
    const d = p.diag;
    return h('li', { class: `problem problem-${d.severity ?? 'error'}`, 'data-line': d.line ?? '', 'data-code': d.code, 'data-source': p.source },
      h('button', { type: 'button', class: 'problem-go', onclick: () => reveal(p, ranges[i]), 'aria-label': `Go to problem: ${d.message}` },
        h('span', { class: 'problem-sev', 'aria-hidden': 'true' }, d.severity === 'warning' ? '!' : '×'),
        h('span', { class: 'problem-loc mono' }, location(p, ranges[i], ev)),
        h('span', { class: 'problem-msg' }, richText(d.message),
          d.path ? h('span', { class: 'muted' }, ' · at ', h('code', null, d.path)) : null,
          h('span', { class: 'muted' }, ` · ${kindOf(d.code)}`),
          d.hook ? h('span', { class: 'muted' }, ` in ${d.hook}()`) : null,
          p.where ? h('span', { class: 'muted' }, ` · ${p.where}`) : null),
      ),
      d.help ? h('p', { class: 'problem-help' }, richText(d.help)) : null,
    );
  }));
}

/** Adds problems found outside the evaluation (availability hooks) and redraws the list. */
export function addProblems(found: Problem[]) {
  const ev = app.current;
  if (!ev) return;
  const fresh = found.filter((p) => !ev.problems.some((q) => q.diag.message === p.diag.message && q.diag.line === p.diag.line));
  if (fresh.length === 0) return;
  ev.problems.push(...fresh);
  renderProblems(ev);
}

function reveal(p: Problem, range: Range | null) {
  actions.selectLeftTab(p.source);
  const view = lineEditor(p.source);
  const pos = Math.min(range?.from ?? 0, view.state.doc.length);
  view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
  view.focus();
}
