// The only place that talks to the WebAssembly package. Everything runs in the page.
import init, * as sr from 'stockroute-web';

export interface Diagnostic {
  code: string;
  severity?: 'error' | 'warning';
  message: string;
  help?: string;
  rule?: string;
  hook?: string;
  line?: number;
  column?: number;
  columnUtf16?: number;
  path?: string;
  order?: string;
  orderLine?: string;
  warehouse?: string;
}

export interface PlanLine { line: string; sku: string; qty: string }
export interface Shipment {
  warehouse: string;
  kind: 'own' | 'consignment';
  owner?: string;
  lines: PlanLine[];
  forward: { method: 'wms' | 'email' | 'api'; to?: string; endpoint?: string };
  documents: string[];
}
export interface TraceEntry { step: string; warehouse?: string; line?: string; message: string }
export interface Plan {
  order: string;
  status: 'single' | 'split' | 'partial' | 'backordered' | 'held';
  shipments: Shipment[];
  backorders: PlanLine[];
  hold?: { reason: string; lines: PlanLine[] };
  trace: TraceEntry[];
}
export interface Contribution {
  warehouse: string; kind: 'own' | 'consignment'; on_hand: string; reserved: string; safety: string;
  available: string; included: boolean; reason?: string; offered: string; rule_adjustment: string;
}
export interface SkuAvailability {
  channel: string; sku: string; offered: string; warehouses_total: string; channel_safety: string;
  reserved: string; rule_adjustment: string; warehouses: Contribution[];
}
export interface Availability { items: SkuAvailability[]; trace?: TraceEntry[] }
export interface CheckReport { ok: boolean; diagnostics: Diagnostic[]; hooks: string[]; functions: { name: string; params: number }[] }
export interface CaseOutcome { name: string; description: string; passed: boolean; failures: string[]; actual: unknown }
export interface ApiItem { name: string; detail: string; doc: string }
export interface ApiMetadata {
  hooks: ApiItem[];
  helpers: ApiItem[];
  objects: { name: string; fields: ApiItem[] }[];
  splitPolicy: ApiItem[];
  routePlan: ApiItem[];
}

/** An error from the engine, flattened to its diagnostics. */
export interface EngineFailure { message: string; code: string; diagnostics: Diagnostic[] }

let ready: Promise<void> | null = null;
export function load(): Promise<void> {
  ready ??= init().then(() => undefined);
  return ready;
}

export function version(): string {
  return sr.version();
}

export function apiMetadata(): ApiMetadata {
  const m = sr.apiMetadata() as any;
  // Accept either spelling of the two multi-word keys.
  return {
    hooks: m.hooks ?? [],
    helpers: m.helpers ?? [],
    objects: m.objects ?? [],
    splitPolicy: m.splitPolicy ?? m.split_policy ?? [],
    routePlan: m.routePlan ?? m.route_plan ?? [],
  };
}

export function check(rules: string, name?: string): CheckReport {
  return sr.check(rules, name) as CheckReport;
}

export function failure(e: unknown): EngineFailure {
  const err = e as any;
  if (err && Array.isArray(err.diagnostics)) {
    return { message: String(err.message ?? ''), code: String(err.code ?? ''), diagnostics: err.diagnostics };
  }
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    return { message: String(err.message), code: String(err.code), diagnostics: [err as Diagnostic] };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message, code: 'internal', diagnostics: [{ code: 'internal', message }] };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineFailure };

function attempt<T>(f: () => T): Result<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: failure(e) };
  }
}

/** A compiled rule set bound to one inventory. Free it when replaced. */
export class Session {
  private router: any;
  constructor(router: any) {
    this.router = router;
  }
  static open(rules: string, name: string, inventory: unknown): Result<Session> {
    return attempt(() => {
      const router = new sr.Router(rules, { name });
      try {
        router.setInventory(inventory as any);
      } catch (e) {
        router.free();
        throw e;
      }
      return new Session(router);
    });
  }
  route(order: unknown): Result<Plan> {
    return attempt(() => this.router.route(order as any) as Plan);
  }
  routeBatch(orders: unknown[]): Array<{ ok: true; order: string; plan: Plan } | { ok: false; order: string | null; error: Diagnostic & { diagnostics?: Diagnostic[] } }> {
    return this.router.routeBatch(orders as any);
  }
  available(channel?: string): Result<Availability> {
    return attempt(() => this.router.available(null, channel) as Availability);
  }
  free() {
    try {
      this.router.free();
    } catch {
      /* already freed */
    }
  }
}

export function runCase(caseJson: string, rules: string, files: Record<string, string>, name: string): CaseOutcome {
  try {
    return sr.runCase(caseJson, rules, files, name) as CaseOutcome;
  } catch (e) {
    const f = failure(e);
    return { name: '', description: '', passed: false, failures: [f.message], actual: null };
  }
}
