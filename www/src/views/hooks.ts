// How each hook runs, above the rules editor: the hooks the draft defines, each compiled
// (typed closures, the fast path) or on the Rhai interpreter with the engine's reason in
// words (`split` uses closures …), so a merchant sees which construct keeps a hook slow.
// Results are the same either way; only speed differs.
import { h, replace, richText } from '../dom';
import type { Evaluation } from '../evaluate';
import type { HookModeInfo } from '../types';
import { $ } from '../state';

/** `2 hooks, both compiled` · `1 of 3 hooks on the interpreter` · `no hooks` */
export function hookModesSummary(modes: HookModeInfo[]): string {
  const n = modes.length;
  const slow = modes.filter((m) => m.mode !== 'compiled').length;
  if (n === 0) return 'No hooks: engine defaults';
  if (slow === 0) return n === 1 ? '1 hook, compiled' : `${n} hooks, ${n === 2 ? 'both' : 'all'} compiled`;
  return `${slow} of ${n} hook${n === 1 ? '' : 's'} on the interpreter`;
}

let drawn: string | null = null;

export function renderHookModes(ev: Evaluation) {
  const modes = ev.hookModes;
  // Redrawn only when what it shows changed, not on every keystroke.
  const key = modes ? JSON.stringify(modes) : `failed:${ev.rulesErrors.length}`;
  if (drawn === key) return;
  drawn = key;
  const box = $('hook-modes');
  if (!modes) {
    replace(box, h('span', { class: 'hooks-title' }, 'Hooks'), h('span', { class: 'muted small' }, 'shown once the rules compile'));
    return;
  }
  const interpreted = modes.filter((m) => m.mode !== 'compiled');
  replace(box,
    h('span', { class: 'hooks-title', id: 'hook-modes-title' }, 'Hooks'),
    modes.length === 0
      ? h('span', { class: 'muted small' }, 'none defined: the engine’s default eligibility, ranking and split apply')
      : h('ul', { class: 'hook-list', 'aria-labelledby': 'hook-modes-title' }, modes.map((m) => h('li', {
        class: `hook-mode hook-${m.mode}`, 'data-hook': m.hook, 'data-mode': m.mode,
        title: m.mode === 'compiled' ? `${m.hook}() is compiled to typed code: the fast path` : `${m.hook}() runs on the Rhai interpreter: same results, slower`,
      }, h('code', null, m.hook), ' ', h('span', { class: 'hook-badge' }, m.mode === 'compiled' ? 'compiled' : 'interpreter')))),
    interpreted.length
      ? h('ul', { class: 'hook-reasons small' }, interpreted.map((m) => h('li', { 'data-hook': m.hook },
        h('code', null, `${m.hook}()`), ' runs on the interpreter (same results, slower): ',
        richText(m.reason ?? 'the engine gave no reason'), '.')))
      : null,
  );
}
