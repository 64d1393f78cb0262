// Everything the merchant typed lives in localStorage, written on every change, so a
// reload (or a crash) never loses work.
const KEY = 'stockroute.editor.v1';

export interface Persisted {
  ruleSet?: string;
  drafts: Record<string, string>;
  saved: Record<string, string>;
  savedAt: Record<string, string>;
  inventory?: string;
  orders?: string;
  batch?: string;
  order?: string;
  leftTab?: string;
  rightTab?: string;
  channel?: string;
}

export function loadState(): Persisted {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) {
      const p = JSON.parse(raw);
      return { drafts: {}, saved: {}, savedAt: {}, ...p };
    }
  } catch {
    /* corrupt or unavailable storage: start fresh */
  }
  return { drafts: {}, saved: {}, savedAt: {} };
}

export function saveState(s: Persisted) {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    /* quota or private mode: the session still works */
  }
}
