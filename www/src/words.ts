// Engine errors in the merchant's words: what kind of problem (from the stable code), where
// (hook, line, warehouse, order line, field) and the engine's message. Shared by the problems
// list, the preview banner and the batch diff so one error reads the same everywhere.
import { h, richText } from './dom';
import type { Diagnostic, ErrorCode, ErrorDetails } from './types';
import type { WarehouseView } from './data';

/** Lowercase kind of a diagnostic, for labels after the message (`· runtime error`). */
export const codeLabel: Record<ErrorCode, string> = {
  'rule.syntax': 'syntax error',
  'rule.signature': 'hook signature',
  'rule.runtime': 'runtime error',
  'rule.limit': 'sandbox limit',
  'rule.return': 'wrong return value',
  'data.invalid': 'invalid data',
  'plan.invalid': 'invalid plan',
  'availability.invalid': 'invalid availability',
  'options.invalid': 'invalid options',
  internal: 'internal engine error',
};

const labels: Record<string, string | undefined> = codeLabel;

/** The kind of problem in words; an unknown (newer) code is shown as it is. */
export function kindOf(code: string): string {
  return labels[code] ?? code;
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The primary diagnostic of a batch entry's error (its message without the `file:line:col:` prefix). */
export function primary(error: ErrorDetails): Diagnostic {
  return error.diagnostics[0] ?? { ...error, severity: 'error' };
}

/** ` in rank() at line 22, for Berlin main warehouse, order line 2, at `stock[3].on_hand`` */
export function where(d: Diagnostic, warehouses?: Map<string, WarehouseView>): string {
  return [
    d.hook ? ` in ${d.hook}()` : '',
    d.line ? ` at line ${d.line}` : '',
    d.warehouse ? `, for ${warehouses?.get(d.warehouse)?.name || d.warehouse}` : '',
    d.orderLine ? `, order line ${d.orderLine}` : '',
    d.path ? `, at \`${d.path}\`` : '',
  ].join('');
}

/** `Runtime error in rank() at line 22, for Berlin main warehouse: property not found: `priorty`` */
export function sentence(d: Diagnostic, warehouses?: Map<string, WarehouseView>): HTMLElement {
  return h('span', { class: 'error-sentence', 'data-code': d.code, title: `error code ${d.code}` },
    h('strong', { class: 'error-kind' }, capitalized(kindOf(d.code))),
    richText(`${where(d, warehouses)}: `),
    richText(d.message),
  );
}

/** A sentence plus the engine's help and stable code, as a block for callouts and diff columns. */
export function explanation(d: Diagnostic, warehouses?: Map<string, WarehouseView>): HTMLElement {
  return h('div', { class: 'error-explanation', 'data-code': d.code },
    sentence(d, warehouses),
    d.help ? h('p', { class: 'muted' }, richText(d.help)) : null,
    h('p', { class: 'muted small' }, 'Error code ', h('code', null, d.code)),
  );
}

/** `1 problem`, `3 problems` */
export function problems(n: number): string {
  return `${n} problem${n === 1 ? '' : 's'}`;
}
