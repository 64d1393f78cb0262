// The top bar: rule set picker (sets with an unsaved draft marked `• draft`), save state,
// Save version (the batch diff's baseline), Revert, Reset to file and Export .rhai.
import { h, replace } from '../dom';
import { ruleSets } from '../bundled';
import { app, fileSource, persisted, persist, rulesText, rulesView, savedSource, $ } from '../state';
import { runBatch } from './batch';

export function setRules(text: string) {
  const view = rulesView();
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

export function updateSaveState() {
  const draft = rulesText();
  const dirty = draft !== savedSource(app.ruleSet);
  const el = $('save-state');
  el.dataset.dirty = String(dirty);
  const at = persisted.savedAt[app.ruleSet];
  el.textContent = dirty ? 'Draft · unsaved changes' : at ? `Saved ${new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : 'Saved · as in repository';
  for (const id of ['revert', 'save']) {
    const b = $(id);
    if (b instanceof HTMLButtonElement) b.disabled = !dirty;
  }
  // Mark rule sets with unsaved drafts in the picker, so none is forgotten.
  const picker = $('ruleset');
  if (!(picker instanceof HTMLSelectElement)) return;
  for (const opt of picker.options) {
    const name = opt.value;
    const text = name === app.ruleSet ? draft : persisted.drafts[name];
    const changed = text !== undefined && text !== savedSource(name);
    opt.textContent = changed ? `${name} • draft` : name;
  }
}

export function saveVersion() {
  const text = rulesText();
  if (text === savedSource(app.ruleSet)) return;
  persisted.saved[app.ruleSet] = text;
  persisted.savedAt[app.ruleSet] = new Date().toISOString();
  persisted.drafts[app.ruleSet] = text;
  persist();
  updateSaveState();
  if (app.rightTab === 'batch') runBatch();
  toast(`Saved ${app.ruleSet}. Batch diffs now compare against this version.`);
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function toast(message: string) {
  const el = $('toast');
  el.textContent = message;
  el.classList.add('show');
  setTimeout(() => el.classList.remove('show'), 2200);
}

/** Fills the picker and wires the buttons; `switchTo` opens another rule set. */
export function setupToolbar(switchTo: (name: string) => void) {
  const picker = $('ruleset');
  if (!(picker instanceof HTMLSelectElement)) return;
  replace(picker, ruleSets.map((r) => h('option', { value: r.name }, r.name)));
  if (ruleSets.length === 0) picker.append(h('option', { value: app.ruleSet }, 'no rule sets found'));
  picker.value = app.ruleSet;
  picker.addEventListener('change', () => switchTo(picker.value));
  $('save').addEventListener('click', saveVersion);
  $('revert').addEventListener('click', () => {
    if (confirm(`Discard the draft of ${app.ruleSet} and go back to the saved version?`)) setRules(savedSource(app.ruleSet));
  });
  $('reset-file').addEventListener('click', () => {
    if (confirm(`Replace the draft with ${app.ruleSet}.rhai as shipped in the repository?`)) setRules(fileSource(app.ruleSet));
  });
  $('export').addEventListener('click', () => download(`${app.ruleSet}.rhai`, rulesText()));
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 's') {
      e.preventDefault();
      saveVersion();
    }
  });
}
