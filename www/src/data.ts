// The merchant's inventory and orders as typed: parsed with error positions, read safely for
// display (the engine, not this file, decides what is valid), and engine field paths such as
// `stock[3].on_hand` mapped back to where that value sits in the text.
import { parser as jsonParser } from '@lezer/json';
import type { SyntaxNode } from '@lezer/common';

export interface ParseError { message: string; pos?: number }

/** JSON.parse with the error position, which V8 reports as "at position N". */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: ParseError } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = message.match(/position (\d+)/);
    return { ok: false, error: { message: message.replace(/^JSON\.parse: /, ''), pos: m ? Number(m[1]) : undefined } };
  }
}

/** One order line of a JSONL text: its JSON text for the engine and what the editor shows of it. */
export interface OrderEntry { id: string; text: string; line: number; view: OrderView }
export interface OrderLineView { id: string; sku: string; qty: string }
export interface OrderView {
  id: string;
  channel?: string;
  customerType?: string;
  customerTags: string[];
  country?: string;
  postcode?: string;
  lines: OrderLineView[];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** What the editor displays of an order, read defensively from whatever JSON was typed. */
export function readOrder(value: unknown, fallbackId: string): OrderView {
  const o = isRecord(value) ? value : {};
  const customer = isRecord(o.customer) ? o.customer : {};
  const shipTo = isRecord(o.ship_to) ? o.ship_to : {};
  return {
    id: str(o.id) ?? fallbackId,
    channel: str(o.channel),
    customerType: str(customer.type),
    customerTags: list(customer.tags).map(String),
    country: str(shipTo.country),
    postcode: str(shipTo.postcode),
    lines: list(o.lines).filter(isRecord).map((l) => ({ id: str(l.id) ?? '', sku: str(l.sku) ?? '', qty: str(l.qty) ?? '' })),
  };
}

/** Orders, one JSON object per line; `//` lines and blank lines are skipped. */
export function parseOrders(text: string): { orders: OrderEntry[]; errors: { line: number; message: string }[] } {
  const orders: OrderEntry[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    const r = parseJson(line);
    if (!r.ok) {
      errors.push({ line: i + 1, message: r.error.message });
      return;
    }
    const view = readOrder(r.value, `line ${i + 1}`);
    orders.push({ id: view.id, text: line, line: i + 1, view });
  });
  return { orders, errors };
}

export interface WarehouseView {
  id: string;
  name?: string;
  kind?: string;
  country?: string;
  priority?: number;
  enabled: boolean;
  /** The retailer holding a consignment location's stock. */
  owner?: string;
  /** `terms.period_end` of a consignment location. */
  periodEnd?: string;
  /** `terms.replenish` as typed (units or days), for display; the engine checks it. */
  replenish?: { min?: string; max?: string; daysOfCover?: string; leadTimeDays?: string };
}
export interface ChannelView { id: string; includeConsignment: boolean; safety: string }
export interface InventoryView { warehouses: WarehouseView[]; channels: ChannelView[]; skusPerWarehouse: Map<string, number> }

/** What the editor displays of an inventory (names, kinds, channels), read defensively. */
export function readInventory(value: unknown): InventoryView | null {
  if (!isRecord(value) || !Array.isArray(value.warehouses)) return null;
  const warehouses = value.warehouses.filter(isRecord).map((w) => ({
    id: str(w.id) ?? '',
    name: str(w.name),
    kind: str(w.kind),
    country: str(w.country),
    priority: typeof w.priority === 'number' ? w.priority : undefined,
    enabled: w.enabled !== false,
    owner: str(w.owner),
    periodEnd: isRecord(w.terms) ? str(w.terms.period_end) : undefined,
    replenish: isRecord(w.terms) && isRecord(w.terms.replenish) ? {
      min: str(w.terms.replenish.min),
      max: str(w.terms.replenish.max),
      daysOfCover: str(w.terms.replenish.days_of_cover),
      leadTimeDays: str(w.terms.replenish.lead_time_days),
    } : undefined,
  }));
  const channels = list(value.channels).filter(isRecord).map((c) => ({
    id: str(c.id) ?? '',
    includeConsignment: c.include_consignment === true,
    safety: str(c.safety) ?? '0',
  }));
  const skusPerWarehouse = new Map<string, number>();
  for (const row of list(value.stock).filter(isRecord)) {
    const w = str(row.warehouse);
    if (w !== undefined) skusPerWarehouse.set(w, (skusPerWarehouse.get(w) ?? 0) + 1);
  }
  return { warehouses, channels, skusPerWarehouse };
}

/** `stock[3].on_hand` → `['stock', 3, 'on_hand']`. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const VALUE = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

/**
 * Where the value at an engine field path (`stock[3].on_hand`) sits in JSON `text`: the
 * deepest part of the path that exists, so a missing field points at its object.
 */
export function locatePath(text: string, path: string): { from: number; to: number } | null {
  let node: SyntaxNode | null = children(jsonParser.parse(text).topNode).find((n) => VALUE.has(n.name)) ?? null;
  if (!node) return null;
  for (const seg of pathSegments(path)) {
    let next: SyntaxNode | undefined;
    if (typeof seg === 'number' && node.name === 'Array') {
      next = children(node).filter((n) => VALUE.has(n.name))[seg];
    } else if (typeof seg === 'string' && node.name === 'Object') {
      const prop: SyntaxNode | undefined = children(node).find((p) => {
        if (p.name !== 'Property') return false;
        const name = p.getChild('PropertyName');
        if (!name) return false;
        const parsed = parseJson(text.slice(name.from, name.to));
        return parsed.ok && parsed.value === seg;
      });
      next = prop ? children(prop).find((n) => VALUE.has(n.name)) : undefined;
    }
    if (!next) break;
    node = next;
  }
  return { from: node.from, to: node.to };
}

/** 1-based line and column of `pos` in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}
