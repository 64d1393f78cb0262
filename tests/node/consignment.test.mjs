// Consignment in the built package (pkg/): `router.forward`, `settle`, and the `forward` and
// `settle` commands, with every produced .eml parsed by a MIME parser (postal-mime).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { CLI, DEMO_RULES, EXAMPLES, INVENTORY_FILE, ORDERS_FILE, PKG, ROOT, read, sampleOrder } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Router, StockrouteError, settle } = require(path.join(PKG, 'node', 'index.cjs'));

const EVENTS_FILE = path.join(EXAMPLES, 'events.jsonl');

function run(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-consignment-'));
}

function demoRouter() {
  const router = new Router(read(DEMO_RULES));
  router.setInventory(read(INVENTORY_FILE));
  return router;
}

const parseMail = (text) => PostalMime.parse(text);
const attachmentText = (a) => Buffer.from(a.content).toString('utf8');

test('router.forward: the consignment shipment of WEB-1004 is an email with its packing slip', async () => {
  const router = demoRouter();
  const order = sampleOrder('WEB-1004');
  const plan = router.route(order);
  const messages = router.forward(plan, order, { date: '2026-11-30' });
  // 12 × JKT-M: DE-BER 8, AT-VIE 3 (own, JSON requests), CON-HAM 1 (consignment, email).
  assert.deepEqual(messages.map((m) => [m.warehouse, m.content_type]), [
    ['DE-BER', 'application/json'],
    ['AT-VIE', 'application/json'],
    ['CON-HAM', 'message/rfc822'],
  ]);
  const m = messages[2];
  const mail = await parseMail(m.body);
  assert.equal(mail.from.address, 'dispatch@alpenwerk.example');
  assert.equal(mail.from.name, 'Alpenwerk Outdoor GmbH');
  assert.deepEqual(mail.to.map((t) => t.address), ['orders@hamburg-outdoor.example']);
  assert.deepEqual(mail.replyTo.map((t) => t.address), ['consignment@alpenwerk.example']);
  assert.equal(mail.messageId, '<WEB-1004.3.CON-HAM@alpenwerk.example>');
  assert.equal(new Date(mail.date).toISOString(), '2026-11-30T00:00:00.000Z');
  assert.equal(mail.subject, 'Please ship order WEB-1004 from consignment stock (shipment 3 of 3)');
  assert.match(mail.text, /JKT-M\s+Rain jacket, size M\s+1/);
  assert.match(mail.html, /<td>JKT-M<\/td>/);
  assert.deepEqual(
    mail.attachments.map((a) => [a.filename, a.mimeType]),
    [
      ['packing-slip-WEB-1004-3.html', 'text/html'],
      ['packing-slip-WEB-1004-3.pdf', 'application/pdf'],
    ],
  );
  const pdf = Buffer.from(mail.attachments[1].content);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.deepEqual(pdf, Buffer.from(m.documents[1].content, 'base64'), 'the attached PDF is the rendered one');
  assert.match(attachmentText(mail.attachments[0]), /<h1>Packing slip<\/h1>/);
  assert.deepEqual(m.event, {
    type: 'shipment', date: '2026-11-30', warehouse: 'CON-HAM', lines: [{ sku: 'JKT-M', qty: '1' }], reference: 'WEB-1004/3',
  });
  router.free();
});

test('router.forward: a pro forma for CON-ZRH, never an invoice', async () => {
  const router = demoRouter();
  const order = sampleOrder('WEB-1005');
  const [, m] = router.forward(router.route(order), JSON.stringify(order), { date: '2026-11-30' });
  assert.equal(m.warehouse, 'CON-ZRH');
  assert.deepEqual(m.documents.map((d) => d.document), ['pro_forma', 'pro_forma']);
  const mail = await parseMail(m.body);
  const names = mail.attachments.map((a) => a.filename);
  assert.deepEqual(names, ['pro-forma-WEB-1005-2.html', 'pro-forma-WEB-1005-2.pdf']);
  const html = attachmentText(mail.attachments[0]);
  assert.ok(html.includes('Pro forma \u2014 not an invoice; ownership does not transfer'));
  assert.ok(!html.toLowerCase().replace('not an invoice', '').includes('invoice'), 'no other mention of an invoice');
  router.free();
});

test('router.forward defaults the date to today and reports bad input as StockrouteError', () => {
  const router = demoRouter();
  const order = sampleOrder('WEB-1001');
  const plan = router.route(order);
  const [m] = router.forward(plan, order);
  const body = JSON.parse(m.body);
  assert.equal(body.date, new Date().toISOString().slice(0, 10));
  assert.throws(
    () => router.forward(plan, order, { date: 'tomorrow' }),
    (e) => e instanceof StockrouteError && e.code === 'options.invalid' && e.path === 'date',
  );
  assert.throws(
    () => router.forward(plan, sampleOrder('WEB-1002')),
    (e) => e instanceof StockrouteError && e.code === 'data.invalid' && /`WEB-1001`/.test(e.message),
  );
  router.free();
});

test('settle: the sample month, from JSONL text or an array of events', () => {
  const jsonl = read(EVENTS_FILE);
  const fromText = settle(read(INVENTORY_FILE), jsonl, '2026-11');
  const events = jsonl.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.deepEqual(settle(JSON.parse(read(INVENTORY_FILE)), events, '2026-11'), fromText);
  assert.deepEqual(fromText.period, { from: '2026-11-01', to: '2026-11-30' });
  const ham = fromText.locations.find((l) => l.warehouse === 'CON-HAM');
  // Sold: TENT-2P 2 × 175, SB-200 90, BOOT-42 130, JKT-L 210, JKT-M 210 = 990.
  assert.equal(ham.invoice_total, '990');
  const jkt = ham.skus.find((s) => s.sku === 'JKT-M');
  // 7 opening, 1 sold, 1 forwarded, counted 4 instead of 5.
  assert.deepEqual([jkt.opening, jkt.sold, jkt.forwarded, jkt.on_hand, jkt.discrepancy], ['7', '1', '1', '4', '1']);
  assert.throws(
    () => settle(read(INVENTORY_FILE), '{"type": "sale", "date": "2026-11-01", "warehouse": "DE-BER", "lines": [{"sku": "A", "qty": 1}]}', '2026-11'),
    (e) => e instanceof StockrouteError && e.line === 1 && e.path === 'warehouse',
  );
});

test('CLI forward writes one .eml or .json per shipment, the documents and the events', async () => {
  const dir = tmpdir();
  try {
    const r = run(['forward', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE, ORDERS_FILE, '--out', dir, '--date', '2026-11-30']);
    assert.equal(r.code, 0, r.stderr);
    const files = fs.readdirSync(dir).sort();
    const emails = files.filter((f) => f.endsWith('.eml'));
    assert.deepEqual(emails, ['WEB-1004-3-CON-HAM.eml', 'WEB-1005-2-CON-ZRH.eml']);
    for (const f of emails) {
      const mail = await parseMail(fs.readFileSync(path.join(dir, f)));
      assert.ok(mail.from && mail.to && mail.messageId && mail.text && mail.html, f);
      assert.equal(mail.attachments.length, 2, f);
      for (const a of mail.attachments) {
        // Each attachment is also written next to the message: the PDF byte for byte; the
        // HTML (quoted-printable) up to the final line break, which postal-mime keeps as
        // part of the content although RFC 2046 gives it to the boundary.
        const written = fs.readFileSync(path.join(dir, a.filename));
        if (a.mimeType === 'application/pdf') {
          assert.deepEqual(Buffer.from(a.content), written, a.filename);
        } else {
          assert.equal(attachmentText(a).trimEnd(), written.toString('utf8').trimEnd(), a.filename);
        }
        assert.ok(!a.filename.includes('invoice'), a.filename);
      }
    }
    const request = JSON.parse(fs.readFileSync(path.join(dir, 'WEB-1003-2-DE-MUC.json'), 'utf8'));
    assert.equal(request.schema, 'stockroute.forward/1');
    assert.equal(request.idempotency_key, 'stockroute:WEB-1003:2:DE-MUC');
    const pdf = fs.readFileSync(path.join(dir, 'pro-forma-WEB-1005-2.pdf'));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const events = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => [e.warehouse, e.reference]), [['CON-HAM', 'WEB-1004/3'], ['CON-ZRH', 'WEB-1005/2']]);
    assert.match(r.stdout, /B2B-2002: held, nothing to forward/);
    assert.match(r.stdout, /13 of 13 orders forwarded/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI forward: an order that cannot be forwarded is reported, the others still are', () => {
  const dir = tmpdir();
  try {
    const inv = JSON.parse(read(INVENTORY_FILE));
    delete inv.supplier.email;
    const invFile = path.join(dir, 'inventory.json');
    fs.writeFileSync(invFile, JSON.stringify(inv));
    const out = path.join(dir, 'out');
    const r = run(['forward', '--rules', DEMO_RULES, '--inventory', invFile, ORDERS_FILE, '--out', out, '--date', '2026-11-30']);
    assert.equal(r.code, 1);
    // The two orders with an email shipment fail for lack of a sender; the rest is written.
    assert.match(r.stderr, /:4: order `WEB-1004`: .*supplier\.email/);
    assert.match(r.stderr, /:5: order `WEB-1005`: /);
    assert.ok(fs.existsSync(path.join(out, 'WEB-1001-1-DE-BER.json')));
    assert.match(r.stdout, /11 of 13 orders forwarded/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI settle prints a table, or JSON with --json', () => {
  const table = run(['settle', '--inventory', INVENTORY_FILE, '--events', EVENTS_FILE, '--period', '2026-11']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^settlement 2026-11-01 \.\. 2026-11-30/);
  assert.match(table.stdout, /JKT-M\s+7\s+0\s+1\s+1\s+0\s+4\s+1 !/);
  assert.match(table.stdout, /to invoice \(sold goods only\): total 990 EUR/);
  assert.match(table.stdout, /! 1 of `JKT-M` missing at `CON-HAM`: counted 4 on 2026-11-28, expected 5/);
  assert.match(table.stdout, /returns, due by 2026-12-31: JKT-L × 2, SB-200 × 3, TENT-4P × 2/);
  const json = run(['settle', '--inventory', INVENTORY_FILE, '--events', EVENTS_FILE, '--period', '2026-11', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), settle(read(INVENTORY_FILE), read(EVENTS_FILE), '2026-11'));
});

test('CLI settle: bad events name file, line and field; a bad period is a usage error', () => {
  const dir = tmpdir();
  try {
    const file = path.join(dir, 'events.jsonl');
    const lines = read(EVENTS_FILE).trim().split('\n');
    lines[2] = lines[2].replace('"2026-10-15"', '"2026-10-32"');
    fs.writeFileSync(file, lines.join('\n'));
    const r = run(['settle', '--inventory', INVENTORY_FILE, '--events', file, '--period', '2026-11']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`${file}:3: error: `), r.stderr);
    assert.match(r.stderr, /date.*2026-10-32/);
    const p = run(['settle', '--inventory', INVENTORY_FILE, '--events', EVENTS_FILE, '--period', 'November']);
    assert.equal(p.code, 2);
    assert.match(p.stderr, /period must be a month/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

