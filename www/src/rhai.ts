// Rhai syntax highlighting (a small stream tokenizer) and rule-API autocomplete built from
// the engine's own `apiMetadata()`, so completions cannot drift from what the engine accepts.
import { StreamLanguage, type StringStream } from '@codemirror/language';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { snippetCompletion } from '@codemirror/autocomplete';
import type { EditorState } from '@codemirror/state';
import { hoverTooltip, type EditorView, type Rect, type Tooltip } from '@codemirror/view';
import { forEachDiagnostic } from '@codemirror/lint';
import type { ApiItem, ApiMetadata } from './types';

const keywords = new Set([
  'fn', 'let', 'const', 'if', 'else', 'while', 'loop', 'for', 'in', 'do', 'until', 'break', 'continue',
  'return', 'throw', 'try', 'catch', 'switch', 'private', 'this', 'is_shared', 'global',
]);
const atoms = new Set(['true', 'false']);

interface State { comment: number; afterFn: boolean }

export const rhaiLanguage = StreamLanguage.define<State>({
  name: 'rhai',
  startState: () => ({ comment: 0, afterFn: false }),
  token(stream: StringStream, state: State): string | null {
    if (state.comment > 0) {
      while (!stream.eol()) {
        if (stream.match('*/')) {
          state.comment--;
          if (state.comment === 0) break;
        } else if (stream.match('/*')) state.comment++;
        else stream.next();
      }
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.comment = 1;
      return 'comment';
    }
    const ch = stream.peek();
    if (ch === '"' || ch === '`') {
      stream.next();
      let escaped = false;
      while (!stream.eol()) {
        const c = stream.next();
        if (!escaped && c === ch) break;
        escaped = !escaped && c === '\\';
      }
      return 'string';
    }
    if (ch === "'") {
      stream.match(/^'(\\.|[^'\\])'/) || stream.next();
      return 'string';
    }
    if (stream.match(/^(0x[0-9a-fA-F_]+|0b[01_]+|0o[0-7_]+|\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?)/)) return 'number';
    if (stream.match('#{')) return 'bracket';
    if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
      const word = stream.current();
      if (state.afterFn) {
        state.afterFn = false;
        return 'def';
      }
      if (word === 'fn') {
        state.afterFn = true;
        return 'keyword';
      }
      if (keywords.has(word)) return 'keyword';
      if (atoms.has(word)) return 'atom';
      if (stream.peek() === '(') return 'variableName.function';
      return 'variableName';
    }
    if (stream.match(/^[+\-*/%=!<>&|^~?:.]+/)) return 'operator';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});

const keywordCompletions: Completion[] = [...keywords, ...atoms].map((k) => ({ label: k, type: 'keyword' }));

/** Object type of an expression that precedes a dot, from its last name: `order.ship_to.` → address. */
function objectTypeOf(chain: string[], meta: ApiMetadata): string | null {
  const objects = new Map(meta.objects.map((o) => [o.name, o]));
  const aliases: Record<string, string> = {
    w: 'warehouse', wh: 'warehouse', warehouse: 'warehouse', o: 'order', order: 'order', l: 'line', line: 'line',
    ch: 'channel', channel: 'channel', p: 'product', product: 'product', inventory: 'inventory', inv: 'inventory',
    customer: 'customer', ship_to: 'address', address: 'address',
  };
  let type: string | null = null;
  chain.forEach((name, i) => {
    if (i === 0) {
      type = aliases[name] ?? (objects.has(name) ? name : null);
      return;
    }
    const field = type ? objects.get(type)?.fields.find((f) => f.name === name) : undefined;
    if (!field) {
      type = aliases[name] ?? null;
      return;
    }
    const detail = field.detail.replace(/\s*\|\s*\(\)\s*$/, '').trim();
    // A list field (`[line]`) is typically indexed or iterated: `order.lines[0].` → line.
    const inner = detail.replace(/^\[(.*)\]$/, '$1');
    type = objects.has(inner) ? inner : null;
  });
  return type;
}

export function rhaiCompletions(meta: ApiMetadata) {
  const hookSnippets = meta.hooks.map((h) => {
    const sig = h.detail.match(/fn\s+(\w+)\(([^)]*)\)/);
    const params = sig ? sig[2] : '';
    return snippetCompletion(`fn ${h.name}(${params}) {\n\t\${}\n}`, {
      label: h.name,
      type: 'function',
      detail: 'hook',
      info: `${h.detail}\n\n${h.doc}`,
      boost: 2,
    });
  });
  const helpers: Completion[] = meta.helpers.map((h) => ({ label: h.name, type: 'function', detail: h.detail, info: h.doc, boost: 1 }));
  const policyKeys: Completion[] = [...meta.splitPolicy, ...meta.routePlan].map((p) => ({
    label: p.name, type: 'property', detail: p.detail, info: p.doc, boost: -1,
  }));
  const policyValues: Completion[] = [];
  for (const p of meta.splitPolicy) {
    for (const m of p.detail.matchAll(/"([a-z_]+)"/g)) {
      policyValues.push({ label: m[1], type: 'constant', detail: `${p.name} value`, info: p.doc });
    }
  }

  return (ctx: CompletionContext): CompletionResult | null => {
    const member = ctx.matchBefore(/[A-Za-z_][\w]*(?:\[[^\]]*\])?(?:\.[A-Za-z_]\w*(?:\[[^\]]*\])?)*\.\w*$/);
    if (member) {
      const text = member.text;
      const dot = text.lastIndexOf('.');
      const chain = text.slice(0, dot).split('.').map((s) => s.replace(/\[.*\]$/, ''));
      const type = objectTypeOf(chain, meta);
      const fields = meta.objects.find((o) => o.name === type)?.fields ?? [];
      const options: Completion[] = fields.map((f) => ({ label: f.name, type: 'property', detail: f.detail, info: f.doc, boost: 2 }));
      // Methods usable on any decimal or collection.
      options.push(
        { label: 'floor', type: 'method', detail: 'qty.floor()', info: 'Round down to a whole number.', boost: -1 },
        { label: 'round', type: 'method', detail: 'qty.round(dp)', info: 'Round to dp decimal places.', boost: -1 },
        { label: 'contains', type: 'method', detail: 'list.contains(x)', info: 'Whether a list or string contains a value.', boost: -1 },
        { label: 'get', type: 'method', detail: 'map.get("key")', info: 'Read a map entry, () when absent.', boost: -1 },
        { label: 'len', type: 'method', detail: 'list.len()', info: 'Number of elements.', boost: -1 },
      );
      return { from: member.from + dot + 1, options, validFor: /^\w*$/ };
    }
    const inString = ctx.matchBefore(/"[a-z_]*$/);
    if (inString) return { from: inString.from + 1, options: policyValues, validFor: /^[a-z_]*$/ };
    const word = ctx.matchBefore(/[A-Za-z_]\w*$/);
    if (!word && !ctx.explicit) return null;
    const line = ctx.state.doc.lineAt(ctx.pos);
    const atLineStart = /^\s*(fn\s+)?[A-Za-z_]*$/.test(line.text.slice(0, ctx.pos - line.from));
    const options: Completion[] = [
      ...(atLineStart ? hookSnippets : []),
      ...helpers,
      ...keywordCompletions,
      ...policyKeys,
      ...['order', 'warehouse', 'channel', 'sku', 'qty', 'inventory'].map((v) => ({ label: v, type: 'variable', detail: 'hook parameter' })),
    ];
    return { from: word ? word.from : ctx.pos, options, validFor: /^\w*$/ };
  };
}

/** The documented API item under `pos`: a hook, helper, split-policy key or object field. */
function apiItemAt(text: string, start: number, end: number, meta: ApiMetadata): ApiItem | undefined {
  const word = text.slice(start, end);
  if (start > 0 && text[start - 1] === '.') {
    const before = text.slice(0, start - 1).match(/[A-Za-z_]\w*(?:\[[^\]]*\])?(?:\.[A-Za-z_]\w*(?:\[[^\]]*\])?)*$/);
    if (!before) return undefined;
    const chain = before[0].split('.').map((p) => p.replace(/\[.*\]$/, ''));
    const type = objectTypeOf(chain, meta);
    return meta.objects.find((o) => o.name === type)?.fields.find((f) => f.name === word);
  }
  return meta.hooks.find((h) => h.name === word) ?? meta.helpers.find((h) => h.name === word)
    ?? meta.splitPolicy.find((p) => p.name === word && text.slice(end).trimStart().startsWith(':'));
}

/** The range of the diagnostic under `pos`, by the same rule as the lint tooltip. */
function diagnosticAt(state: EditorState, pos: number, side: -1 | 1): { from: number; to: number } | null {
  let found: { from: number; to: number } | null = null;
  forEachDiagnostic(state, (_d, from, to) => {
    if (found) return;
    if (pos >= from && pos <= to && (from === to || ((pos > from || side > 0) && (pos < to || side < 0)))) found = { from, to };
  });
  return found;
}

/**
 * Where hover tooltips go: above or below the whole source line of `from` (all of its wrapped
 * rows), horizontally at the hovered code. CodeMirror would otherwise place them against the
 * visual row only, covering the rest of a wrapped statement.
 */
function lineRect(view: EditorView, from: number, to: number): Rect {
  const block = view.lineBlockAt(from);
  const start = view.coordsAtPos(from, 1);
  const end = view.coordsAtPos(to, -1);
  const left = start?.left ?? view.contentDOM.getBoundingClientRect().left;
  return {
    left,
    right: Math.max(left, end && end.top === start?.top ? end.right : left),
    top: view.documentTop + block.top,
    bottom: view.documentTop + block.bottom,
  };
}

/**
 * Hover documentation for hooks, helpers, split-policy keys and object fields, from the same
 * metadata as autocomplete. It shares one box with the diagnostic tooltip when the code under
 * the mouse is also underlined (CodeMirror hosts every hover tooltip together), and it
 * positions that box off the mistake's line; on underlined code without documentation it adds
 * an empty, hidden section only to position the diagnostic the same way.
 */
export function rhaiHoverDocs(meta: ApiMetadata) {
  return hoverTooltip((view, pos, side): Tooltip | null => {
    const line = view.state.doc.lineAt(pos);
    const text = line.text;
    let start = pos - line.from;
    let end = start;
    while (start > 0 && /\w/.test(text[start - 1])) start--;
    while (end < text.length && /\w/.test(text[end])) end++;
    const item = start === end ? undefined : apiItemAt(text, start, end, meta);
    const diagnostic = diagnosticAt(view.state, pos, side);
    if (!item && !diagnostic) return null;
    const from = item ? line.from + start : diagnostic?.from ?? pos;
    const to = item ? line.from + end : diagnostic?.to ?? pos;
    return {
      pos: from,
      end: to,
      above: true,
      create() {
        const dom = document.createElement('div');
        if (item) {
          dom.className = 'api-doc';
          const sig = document.createElement('code');
          sig.textContent = item.detail.startsWith('fn') || item.detail.includes('(') ? item.detail : `${item.name}: ${item.detail}`;
          const doc = document.createElement('p');
          doc.textContent = item.doc;
          dom.append(sig, doc);
        } else {
          dom.className = 'hover-anchor';
        }
        return { dom, getCoords: () => lineRect(view, from, to) };
      },
    };
  }, { hideOnChange: true });
}
