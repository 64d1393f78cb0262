// The four CodeMirror editors' set-up: highlighting, keymaps, the lint gutter, and for the
// rules the Rhai language, autocomplete and hover docs from the engine's `apiMetadata()`.
import { EditorState, type Extension } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars, dropCursor, tooltips,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching } from '@codemirror/language';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { lintGutter } from '@codemirror/lint';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { json } from '@codemirror/lang-json';
import { tags as t } from '@lezer/highlight';
import { rhaiLanguage, rhaiCompletions, rhaiHoverDocs } from './rhai';
import type { ApiMetadata } from './types';

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: '#7c3aed', fontWeight: '600' },
  { tag: [t.atom, t.bool], color: '#b45309' },
  { tag: t.number, color: '#b45309' },
  { tag: t.string, color: '#047857' },
  { tag: t.comment, color: '#6b7280', fontStyle: 'italic' },
  { tag: t.definition(t.variableName), color: '#1d4ed8', fontWeight: '600' },
  { tag: t.function(t.variableName), color: '#0e7490' },
  { tag: t.propertyName, color: '#1e40af' },
  { tag: t.operator, color: '#374151' },
  { tag: t.bracket, color: '#7c3aed' },
]);

function baseExtensions(label: string, onChange: () => void): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    syntaxHighlighting(highlight),
    lintGutter(),
    // Tooltips (diagnostics, hover docs, autocomplete and its docs panel) live in <body>:
    // inside the editor they were painted under the results pane, cut off at the pane edge.
    // CodeMirror still keeps them inside the window.
    tooltips({ parent: document.body }),
    EditorView.lineWrapping,
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ 'aria-label': label }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange();
    }),
  ];
}

/** The rules editor's state for `doc`. */
export function rulesState(doc: string, meta: ApiMetadata, onChange: () => void): EditorState {
  return EditorState.create({
    doc,
    extensions: [
      ...baseExtensions('Rule source', onChange),
      rhaiLanguage,
      autocompletion({ override: [rhaiCompletions(meta)], activateOnTyping: true }),
      rhaiHoverDocs(meta),
    ],
  });
}

/** A JSON (or JSON Lines) editor's state; `extra` adds behaviour such as cursor tracking. */
export function jsonState(doc: string, label: string, onChange: () => void, extra: Extension[] = []): EditorState {
  return EditorState.create({ doc, extensions: [...baseExtensions(label, onChange), json(), ...extra] });
}
