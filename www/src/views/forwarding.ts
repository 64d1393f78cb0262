// Forwarding preview: under a consignment shipment in the Order preview, what the retailer
// receives for it (`router.forward(plan, order)`): the email's recipient, subject, text body
// and attachments, read back from the produced .eml with a MIME parser (postal-mime), or the
// API request body with the documents' contents shortened. Collapsed by default and computed
// only when opened: rendering the documents (HTML and PDF) costs milliseconds, too much to
// repeat on every keystroke.
import PostalMime, { type Address } from 'postal-mime';
import { h, qty, replace, richText } from '../dom';
import type { Compiled, EngineFailure, Result } from '../engine';
import type { ForwardMessage, Plan, Shipment } from '../types';
import { explanation } from '../words';
import { asOf } from '../state';

/** What one email says, as the retailer's mail program reads it. */
interface ReadEmail { to: string; replyTo: string; subject: string; text: string; attachments: string[] }

// Previews the merchant opened, by order and warehouse: they stay open across redraws.
const opened = new Set<string>();
// The messages of the last plan forwarded, so redrawing an unchanged plan forwards nothing.
let lastForward: { key: string; result: Result<ForwardMessage[]> } | null = null;
const readEmails = new Map<string, Promise<ReadEmail>>();

function forwardOnce(router: Compiled, plan: Plan, orderText: string): Result<ForwardMessage[]> {
  // Forwarded on the As of day: the documents and the settlement log entry carry its date.
  const date = asOf();
  const key = `${JSON.stringify(plan)}\u0000${orderText}\u0000${router.rules}\u0000${router.inventory ?? ''}\u0000${date}`;
  if (lastForward?.key !== key) lastForward = { key, result: router.forward(plan, orderText, date) };
  return lastForward.result;
}

function addresses(list: Address[] | undefined): string {
  return (list ?? []).flatMap((a) => (a.group ? a.group : [a])).map((m) => m.address).join(', ');
}

function readEmail(eml: string): Promise<ReadEmail> {
  let p = readEmails.get(eml);
  if (!p) {
    p = PostalMime.parse(eml).then((m) => ({
      to: addresses(m.to),
      replyTo: addresses(m.replyTo),
      subject: m.subject ?? '',
      text: (m.text ?? '').replace(/\s+$/, ''),
      attachments: m.attachments.map((a) => a.filename ?? a.mimeType),
    }));
    // Keep a handful: the preview shows one order at a time.
    if (readEmails.size > 20) readEmails.clear();
    readEmails.set(eml, p);
  }
  return p;
}

/** The API/WMS request body pretty-printed, each embedded document's content shortened to `…`. */
function requestBody(json: string): string {
  try {
    const body: unknown = JSON.parse(json);
    if (body && typeof body === 'object' && 'documents' in body && Array.isArray(body.documents)) {
      body.documents = body.documents.map((d: unknown) => (d && typeof d === 'object' ? { ...d, content: '…' } : d));
    }
    return JSON.stringify(body, null, 2);
  } catch {
    return json;
  }
}

function emailView(m: ForwardMessage): HTMLElement {
  const box = h('div', { class: 'forward-email', 'data-kind': 'email' }, h('p', { class: 'muted small' }, 'Reading the message…'));
  readEmail(m.body).then((e) => {
    replace(box,
      h('dl', { class: 'forward-headers' },
        h('div', null, h('dt', null, 'To'), h('dd', { class: 'forward-to mono' }, e.to)),
        e.replyTo ? h('div', null, h('dt', null, 'Replies to'), h('dd', { class: 'mono' }, e.replyTo)) : null,
        h('div', null, h('dt', null, 'Subject'), h('dd', { class: 'forward-subject' }, e.subject)),
        h('div', null, h('dt', null, 'Attached'), h('dd', { class: 'forward-attachments' },
          e.attachments.length ? e.attachments.map((a) => h('span', { class: 'attachment mono' }, a)) : 'nothing')),
      ),
      h('pre', { class: 'forward-text', tabindex: 0, 'aria-label': 'Text of the email' }, e.text),
    );
  }).catch((err: unknown) => {
    replace(box, h('p', { class: 'callout callout-error' }, 'The message could not be read back: ', err instanceof Error ? err.message : String(err)));
  });
  return box;
}

function requestView(m: ForwardMessage): HTMLElement {
  return h('div', { class: 'forward-request', 'data-kind': 'api' },
    h('dl', { class: 'forward-headers' },
      m.forward.method === 'api' ? h('div', null, h('dt', null, 'POST to'), h('dd', { class: 'forward-to mono' }, m.forward.endpoint)) : null,
      h('div', null, h('dt', null, 'Idempotency key'), h('dd', { class: 'mono' }, m.id)),
      h('div', null, h('dt', null, 'Documents'), h('dd', { class: 'forward-attachments' }, m.documents.map((d) => h('span', { class: 'attachment mono' }, d.file_name)))),
    ),
    h('pre', { class: 'forward-body', tabindex: 0, 'aria-label': 'Request body (document contents shortened)' }, requestBody(m.body)),
  );
}

function messageView(m: ForwardMessage): HTMLElement {
  return h('div', { class: 'forward-message', 'data-file': m.file_name },
    m.content_type === 'message/rfc822' ? emailView(m) : requestView(m),
    m.not_rendered.length ? h('p', { class: 'small muted' }, 'Made elsewhere: ', m.not_rendered.map((d) => d.replace(/_/g, ' ')).join(', '), '.') : null,
    m.event ? h('p', { class: 'small muted forward-event' }, 'Settlement log entry: ', h('code', null, m.event.type), ' of ',
      m.event.lines.map((l) => `${qty(l.qty)} × ${l.sku}`).join(', '), m.event.reference ? ` (reference ${m.event.reference})` : '', ` on ${m.event.date}.`) : null,
  );
}

function failureView(e: EngineFailure): HTMLElement {
  const d = e.diagnostics[0];
  return h('div', { class: 'callout callout-error', role: 'alert' }, h('strong', null, 'No message can be made for this shipment. '), d ? explanation(d) : richText(e.message));
}

/**
 * The collapsed preview of what shipment `index` (0-based) of `plan` sends to its retailer,
 * or null for shipments from own warehouses.
 */
export function forwardingPreview(s: Shipment, index: number, plan: Plan, orderText: string, router: Compiled): HTMLElement | null {
  if (s.kind !== 'consignment') return null;
  const key = `${plan.order}/${s.warehouse}`;
  const f = s.forward;
  const how = f.method === 'email' ? ['Email to ', h('span', { class: 'mono' }, f.to)] : f.method === 'api' ? ['API request to ', h('span', { class: 'mono' }, f.endpoint)] : ['Request to the WMS'];
  const body = h('div', { class: 'forward-content' });
  const fill = () => {
    const r = forwardOnce(router, plan, orderText);
    if (!r.ok) {
      replace(body, failureView(r.error));
      return;
    }
    const m = r.value.find((x) => x.shipment === index + 1 && x.warehouse === s.warehouse);
    replace(body, m ? messageView(m) : h('p', { class: 'muted small' }, 'The engine made no message for this shipment.'));
  };
  const details = h('details', { class: 'forward-preview', 'data-warehouse': s.warehouse, open: opened.has(key) },
    h('summary', null, h('span', { class: 'forward-title' }, 'What the retailer receives'), ' · ', how),
    body,
  );
  details.addEventListener('toggle', () => {
    if (details instanceof HTMLDetailsElement && details.open) {
      opened.add(key);
      fill();
    } else opened.delete(key);
  });
  if (opened.has(key)) fill();
  return details;
}
