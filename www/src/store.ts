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
  /** The consignment event log (JSONL) the settlement view reads. */
  events?: string;
  /** The settlement period (`2026-11`). */
  period?: string;
  batch?: string;
  /** The *As of* day (`YYYY-MM-DD`) chosen in the top bar; absent: today. */
  asOf?: string;
  /** Replenishment: where the sales come from (`events`: the Events tab, `sample`: the bundled month) and the window in days. */
  replenishSource?: string;
  replenishWindow?: string;
  /** Manual routing: the order picked, and per order id the plan being made by hand (JSON text). */
  manualOrder?: string;
  manual: Record<string, string>;
  order?: string;
  leftTab?: string;
  rightTab?: string;
  channel?: string;
}

export function loadState(): Persisted {
  try {
    const raw = localStorage.getItem(KEY);
    const p: unknown = raw ? JSON.parse(raw) : null;
    if (isRecord(p)) {
      return {
        ruleSet: text(p.ruleSet), drafts: texts(p.drafts), saved: texts(p.saved), savedAt: texts(p.savedAt),
        inventory: text(p.inventory), orders: text(p.orders), events: text(p.events), period: text(p.period), batch: text(p.batch), order: text(p.order),
        asOf: text(p.asOf), replenishSource: text(p.replenishSource), replenishWindow: text(p.replenishWindow), manualOrder: text(p.manualOrder), manual: texts(p.manual),
        leftTab: text(p.leftTab), rightTab: text(p.rightTab), channel: text(p.channel),
      };
    }
  } catch {
    /* corrupt or unavailable storage: start fresh */
  }
  return { drafts: {}, saved: {}, savedAt: {}, manual: {} };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
/** A map of strings, dropping anything else a damaged or older store holds. */
function texts(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

export function saveState(s: Persisted) {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    /* quota or private mode: the session still works */
  }
}
