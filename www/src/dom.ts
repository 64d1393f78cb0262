// A tiny element builder: the views are small enough not to need a framework.
type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h(tag: string, attrs: Attrs | null = null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = String(v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el: HTMLElement, children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function replace(target: HTMLElement, ...children: Child[]) {
  target.replaceChildren();
  append(target, children);
}

/** Renders `text` with `backticked` spans as code, the engine's convention for user input. */
export function richText(text: string): HTMLElement {
  const span = h('span');
  text.split(/(`[^`]*`)/).forEach((part) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) span.append(h('code', null, part.slice(1, -1)));
    else if (part) span.append(part);
  });
  return span;
}

/** Formats a decimal string without trailing zeros after the point. */
export function qty(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** The exact sum of decimal strings (`"25.5"`, `"-1"`), never through a float. */
export function sumDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => (v.split('.')[1] ?? '').length));
  let total = 0n;
  for (const v of values) {
    const neg = v.startsWith('-');
    const [int, frac = ''] = (neg || v.startsWith('+') ? v.slice(1) : v).split('.');
    if (!/^\d*$/.test(int) || !/^\d*$/.test(frac)) continue;
    const n = BigInt((int || '0') + frac.padEnd(scale, '0'));
    total += neg ? -n : n;
  }
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const whole = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return `${neg ? '-' : ''}${whole}`;
}

/** The sign of a decimal string (`"-0.5"` → -1, `"0.00"` → 0), never through a float. */
export function decimalSign(v: string): -1 | 0 | 1 {
  if (/^[-+]?0*(\.0*)?$/.test(v)) return 0;
  return v.startsWith('-') ? -1 : 1;
}
