// Issue 11 in the editor: the settlement view (item 4) over the consignment events on the
// Events tab, and the forwarding preview of consignment shipments (item 1).
// Expected values are worked out by hand from examples/inventory.json (prices in each
// location's terms), examples/events.jsonl and examples/orders.jsonl with the demo rules.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { test, open, pickOrder, settle, shot, repo } from './harness.mjs';

const sampleEvents = fs.readFileSync(path.join(repo, 'examples', 'events.jsonl'), 'utf8');

/** The figures of one location's SKU rows: `SKU: opening sent sold forwarded returned on-hand discrepancy`. */
function skuRows(page, warehouse) {
  return page.$$eval(`#settlement .settle-location[data-warehouse="${warehouse}"] .settle-skus tbody tr`, (rows) => Object.fromEntries(rows.map((r) => [
    r.dataset.sku,
    ['opening', 'sent', 'sold', 'forwarded', 'returned', 'on-hand', 'discrepancy'].map((c) => r.querySelector(`.${c}`).textContent.trim()).join(' '),
  ])));
}
function invoice(page, warehouse) {
  return page.$$eval(`#settlement .settle-location[data-warehouse="${warehouse}"] .settle-invoice tbody tr`, (rows) => rows.map((r) => `${r.dataset.sku} ${r.querySelector('.qty').textContent} = ${r.querySelector('.amount').textContent}`));
}
const total = (page, warehouse) => page.textContent(`#settlement .settle-location[data-warehouse="${warehouse}"] .settle-invoice .invoice-total`);
function returns(page, warehouse) {
  return page.$$eval(`#settlement .settle-location[data-warehouse="${warehouse}"] .settle-returns tbody tr`, (rows) => rows.map((r) => `${r.dataset.sku} ${r.querySelector('.qty').textContent} ${r.querySelector('.due-state').textContent}`));
}

await test('settlement of November per consignment location: movements, the discrepancy flagged, invoice lines and returns', async (page) => {
  await open(page);
  await page.click('#tab-settlement');
  await page.waitForSelector('#settlement .settle-location');
  assert.equal(await page.inputValue('#settle-period'), '2026-11');
  assert.match(await page.textContent('#settlement .settle-intro'), /^2026-11-01 to 2026-11-30: 3 consignment locations, from 16 events/);

  // CON-HAM (sales reported by the retailer). Opening = the 1 October delivery. November:
  // sales 3.11 (TENT-2P 1, JKT-M 1), 12.11 (SB-200 1, BOOT-42 1), 20.11 (TENT-2P 1, JKT-L 1);
  // delivery 6.11 (TENT-2P 2, JKT-L 1); shipment for a supplier order 14.11 (JKT-M 1);
  // return 24.11 (BOOT-44 1); count 28.11. Only JKT-M disagrees: 7 − 1 sold − 1 forwarded
  // = 5 expected, 4 counted → 1 missing.
  //                     opening sent sold fwd returned on-hand discrepancy
  assert.deepEqual(await skuRows(page, 'CON-HAM'), {
    'BOOT-42': '4 0 1 0 0 3 0',
    'BOOT-44': '5 0 0 0 1 4 0',
    'JKT-L': '3 1 1 0 0 3 0',
    'JKT-M': '7 0 1 1 0 4 ⚠ 1 missing',
    'SB-200': '6 0 1 0 0 5 0',
    'TENT-2P': '6 2 2 0 0 6 0',
  });
  // The discrepancy is flagged on its row and spelled out above the table, never hidden.
  assert.equal(await page.getAttribute('#settlement .settle-location[data-warehouse="CON-HAM"] tr[data-sku="JKT-M"]', 'class'), 'has-discrepancy');
  assert.match(await page.textContent('#settlement .settle-location[data-warehouse="CON-HAM"] .settle-discrepancies'), /1 of JKT-M missing at CON-HAM: counted 4 on 2026-11-28, expected 5/);
  // Invoiced: sold units only, at the terms' prices: TENT-2P 2 × 175, the rest 1 each
  // (BOOT-42 130, JKT-L 210, JKT-M 210, SB-200 90): 350 + 130 + 210 + 210 + 90 = 990 EUR.
  // The forwarded JKT-M is not invoiced to the retailer (the supplier invoices its customer).
  assert.deepEqual((await invoice(page, 'CON-HAM')).sort(), ['BOOT-42 1 = 130.00', 'JKT-L 1 = 210.00', 'JKT-M 1 = 210.00', 'SB-200 1 = 90.00', 'TENT-2P 2 = 350.00']);
  assert.equal(await total(page, 'CON-HAM'), 'EUR 990.00');
  // Returns: everything on hand; the period ends 2027-06-30, so nothing is due yet.
  assert.deepEqual((await returns(page, 'CON-HAM')).sort(), ['BOOT-42 3 not yet', 'BOOT-44 4 not yet', 'JKT-L 3 not yet', 'JKT-M 4 not yet', 'SB-200 5 not yet', 'TENT-2P 6 not yet']);

  // CON-GRZ counts its stock instead of reporting sales (`from_syncs`): units missing at a
  // count are sales. 1.11 count = opening. 15.11 count: TENT-2P 4 → 3, MAT-AIR 5 → 4 (1 sold
  // each). 18.11 shipment: LANTERN 1 forwarded (6 → 5). 30.11 count: JKT-M 3 → 2 (1 sold).
  // No discrepancy: missing units are sales here.
  assert.deepEqual(await skuRows(page, 'CON-GRZ'), {
    'BOOT-44': '2 0 0 0 0 2 0',
    'JKT-M': '3 0 1 0 0 2 0',
    'LANTERN': '6 0 0 1 0 5 0',
    'MAT-AIR': '5 0 1 0 0 4 0',
    'POT-SET': '2 0 0 0 0 2 0',
    'STOVE-GAS': '2 0 0 0 0 2 0',
    'TENT-2P': '4 0 1 0 0 3 0',
  });
  assert.equal(await page.locator('#settlement .settle-location[data-warehouse="CON-GRZ"] .settle-discrepancies').count(), 0);
  // JKT-M 210 + MAT-AIR 63 + TENT-2P 175 = 448 EUR.
  assert.equal(await total(page, 'CON-GRZ'), 'EUR 448.00');
  // CON-ZRH prices in CHF: one TENT-4P sold (9.11) at 340; the 27.11 count agrees.
  assert.deepEqual(await skuRows(page, 'CON-ZRH'), { 'JKT-L': '2 0 0 0 0 2 0', 'SB-200': '3 0 0 0 0 3 0', 'TENT-4P': '3 0 1 0 0 2 0' });
  assert.deepEqual(await invoice(page, 'CON-ZRH'), ['TENT-4P 1 = 340.00']);
  assert.equal(await total(page, 'CON-ZRH'), 'CHF 340.00');

  // The overview: units sold, invoice total, on hand and discrepancies per location.
  const overview = await page.$$eval('#settlement .settle-summary tbody tr', (rows) => rows.map((r) => [r.dataset.warehouse, ...['sold', 'invoice-total', 'on-hand', 'discrepancy-count'].map((c) => r.querySelector(`.${c}`).textContent.trim())]));
  // CON-HAM sold 2 + 1 + 1 + 1 + 1 = 6, on hand 3 + 4 + 3 + 4 + 5 + 6 = 25; CON-GRZ sold 3,
  // on hand 2 + 2 + 5 + 4 + 2 + 2 + 3 = 20; CON-ZRH sold 1, on hand 7.
  assert.deepEqual(overview, [
    ['CON-HAM', '6', 'EUR 990.00', '25', '⚠ 1'],
    ['CON-GRZ', '3', 'EUR 448.00', '20', '0'],
    ['CON-ZRH', '1', 'CHF 340.00', '7', '0'],
  ]);
  await shot(page, '12-settlement');

  // October: only the deliveries. Nothing sold, nothing counted yet, nothing to invoice.
  await page.fill('#settle-period', '2026-10');
  await page.press('#settle-period', 'Enter');
  await page.waitForFunction(() => document.querySelector('#settlement .settle-intro')?.textContent.startsWith('2026-10-01 to 2026-10-31'));
  assert.deepEqual((await skuRows(page, 'CON-HAM'))['JKT-M'], '0 7 0 0 0 7 0');
  assert.equal(await page.textContent('#settlement .settle-location[data-warehouse="CON-HAM"] tr[data-sku="JKT-M"] .counted'), 'never counted');
  assert.match(await page.textContent('#settlement .settle-location[data-warehouse="CON-HAM"] .settle-invoice'), /Nothing sold in this period/);
  // December: no events, so everything stays where November left it. Zürich's consignment
  // period ends on 2026-12-31, inside this period: all its stock is due back now; Hamburg's
  // runs to 2027-06-30.
  await page.fill('#settle-period', '2026-12');
  await page.press('#settle-period', 'Enter');
  await page.waitForFunction(() => document.querySelector('#settlement .settle-intro')?.textContent.startsWith('2026-12-01 to 2026-12-31'));
  assert.deepEqual((await returns(page, 'CON-ZRH')).sort(), ['JKT-L 2 due now', 'SB-200 3 due now', 'TENT-4P 2 due now']);
  assert.match(await page.textContent('#settlement .settle-location[data-warehouse="CON-ZRH"] .settle-head'), /period ended/);
  assert.ok((await returns(page, 'CON-HAM')).every((r) => r.endsWith('not yet')));
  assert.doesNotMatch(await page.textContent('#settlement .settle-location[data-warehouse="CON-HAM"] .settle-head'), /period ended/);
  // A period the engine cannot read is explained, and the field marked invalid.
  await page.fill('#settle-period', '2026-13');
  await page.press('#settle-period', 'Enter');
  await page.waitForSelector('#settlement .settle-period-error');
  assert.match(await page.textContent('#settlement .settle-period-error'), /period must be a month YYYY-MM.*got 2026-13/);
  assert.equal(await page.getAttribute('#settle-period', 'aria-invalid'), 'true');
  // The period is kept across a reload.
  await page.fill('#settle-period', '2026-11-01..2026-11-15');
  await page.press('#settle-period', 'Enter');
  await page.waitForFunction(() => document.querySelector('#settlement .settle-intro')?.textContent.startsWith('2026-11-01 to 2026-11-15'));
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('#settle-period'), '2026-11-01..2026-11-15');
});

await test('settlement: events are edited like the other data; errors are named by line, listed and underlined', async (page) => {
  await open(page);
  await page.click('#tab-settlement');
  await page.waitForSelector('#settlement .settle-location');
  await page.click('#tab-events');
  // A second sale at Zürich: one SB-200 at 95 CHF. Invoice 340 + 95 = 435 CHF.
  let wait = settle(page);
  assert.ok(await page.evaluate(() => window.__stockroute.editData('events', '{"type": "sale", "date": "2026-11-09", "warehouse": "CON-ZRH", "lines": [{"sku": "TENT-4P", "qty": 1}]',
    '{"type": "sale", "date": "2026-11-09", "warehouse": "CON-ZRH", "lines": [{"sku": "TENT-4P", "qty": 1}, {"sku": "SB-200", "qty": 1}]')));
  await wait;
  assert.equal(await total(page, 'CON-ZRH'), 'CHF 435.00');
  // But the 27.11 count still finds 3 SB-200: one more than the events leave (3 − 1 = 2), a
  // surplus, flagged.
  assert.equal((await skuRows(page, 'CON-ZRH'))['SB-200'], '3 0 1 0 0 3 ⚠ 1 surplus');

  // Two broken events: a zero quantity on line 1 (its 5th line, JKT-M) and an unknown
  // location on line 7. The log is refused as a whole, each error named with its line.
  wait = settle(page);
  await page.evaluate(() => {
    window.__stockroute.editData('events', '{"sku": "JKT-M", "qty": 7}', '{"sku": "JKT-M", "qty": 0}');
    window.__stockroute.editData('events', '"date": "2026-11-09", "warehouse": "CON-ZRH"', '"date": "2026-11-09", "warehouse": "CON-XXX"');
  });
  await wait;
  await page.waitForSelector('#settlement .settle-events-error');
  const callout = (await page.textContent('#settlement .settle-events-error')).replace(/\s+/g, ' ');
  assert.match(callout, /The event log has 2 errors, so nothing was settled/);
  assert.match(callout, /Line 1: quantity must be greater than 0, got 0 \(at lines\[4\]\.qty\)/);
  assert.match(callout, /Line 7: unknown warehouse CON-XXX/);
  assert.equal(await page.locator('#settlement .settle-location').count(), 0, 'no figures from a log with errors');
  const listed = await page.$$eval('#problems .problem[data-source="events"] .problem-loc', (els) => els.map((e) => e.textContent));
  assert.equal(listed.length, 2);
  assert.match(listed[0], /^Events 1:\d+$/);
  assert.match(listed[1], /^Events 7:\d+$/);
  assert.equal(await page.locator('#events-editor .cm-lintRange-error').count(), 2);
  await shot(page, '13-settlement-event-errors');
  // The line links lead to the event.
  await page.click('#settlement .settle-events-error li[data-line="7"] button');
  assert.equal(await page.getAttribute('#tab-events', 'aria-selected'), 'true');

  // Restore sample puts the bundled month back (and its figures).
  page.once('dialog', (d) => d.accept());
  wait = settle(page);
  await page.click('#reset-events');
  await wait;
  await page.waitForSelector('#settlement .settle-location');
  assert.equal(await total(page, 'CON-ZRH'), 'CHF 340.00');
  assert.equal(await page.locator('#problems .problem[data-source="events"]').count(), 0);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('stockroute.editor.v1')).events), sampleEvents);
});

// ------------------------------------------------------------------ forwarding preview

/** Opens the forwarding preview of the shipment from `warehouse` and waits for its content. */
async function openForward(page, warehouse, ready) {
  const card = `#preview .shipment[data-warehouse="${warehouse}"]`;
  await page.click(`${card} .forward-preview summary`);
  await page.waitForSelector(`${card} ${ready}`);
  return card;
}

await test('forwarding preview: the email a consignment retailer receives, compact and without an invoice', async (page) => {
  await open(page);
  await pickOrder(page, 'WEB-1004');
  // WEB-1004 ships from DE-BER, AT-VIE (own, picked by the WMS) and CON-HAM (consignment,
  // email to orders@hamburg-outdoor.example): only the consignment shipment has a preview.
  assert.deepEqual(await page.$$eval('#preview .forward-preview', (els) => els.map((e) => e.dataset.warehouse)), ['CON-HAM']);
  const card = await openForward(page, 'CON-HAM', '.forward-subject');
  const headers = await page.$$eval(`${card} .forward-headers > div`, (els) => Object.fromEntries(els.map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])));
  assert.equal(headers.To, 'orders@hamburg-outdoor.example');
  // Replies go to the supplier's consignment desk (supplier.reply_to).
  assert.equal(headers['Replies to'], 'consignment@alpenwerk.example');
  // Shipment 3 of 3 of WEB-1004.
  assert.equal(headers.Subject, 'Please ship order WEB-1004 from consignment stock (shipment 3 of 3)');
  // The packing slip as HTML and PDF; never an invoice (ownership does not transfer).
  const attached = await page.$$eval(`${card} .forward-attachments .attachment`, (els) => els.map((e) => e.textContent));
  assert.deepEqual(attached, ['packing-slip-WEB-1004-3.html', 'packing-slip-WEB-1004-3.pdf']);
  const text = await page.textContent(`${card} .forward-text`);
  // The text body: the retailer, the one line it ships (1 × JKT-M), the order's ship-to.
  assert.match(text, /^Hello Hamburg Outdoor GmbH,/);
  assert.match(text, /JKT-M\s+Rain jacket, size M\s+1\b/);
  assert.match(text, /Alpine Club Berlin e\.V\.\s+Unter den Linden 5\s+10117 Berlin/);
  assert.match(text, /Do not put an invoice in the parcel/);
  // Non-ASCII text is decoded (quoted-printable in the .eml): the supplier's street.
  assert.match(text, /Invalidenstraße 44/);
  assert.match(await page.textContent(`${card} .forward-event`), /shipment of 1 × JKT-M \(reference WEB-1004\/3\)/);
  await shot(page, '14-forwarding-email');

  // It stays open while the rules are edited (a comment: the plan is the same).
  const wait = settle(page);
  await page.evaluate(() => window.__stockroute.setRules(`${window.__stockroute.rules()}\n// comment\n`));
  await wait;
  await page.waitForSelector(`${card} .forward-preview[open] .forward-subject`);

  // WEB-1005's consignment location, CON-ZRH, asks for a pro forma (`terms.pro_forma`).
  await pickOrder(page, 'WEB-1005');
  const zrh = await openForward(page, 'CON-ZRH', '.forward-subject');
  assert.equal(await page.textContent(`${zrh} .forward-headers .forward-to`), 'lager@zuerich-alpin.example.ch');
  assert.deepEqual(await page.$$eval(`${zrh} .forward-attachments .attachment`, (els) => els.map((e) => e.textContent)), ['pro-forma-WEB-1005-2.html', 'pro-forma-WEB-1005-2.pdf']);
});

await test('forwarding preview: an API retailer gets the request body, documents shortened', async (page) => {
  await open(page);
  // docs/consignment.md's order: two lanterns to Graz. Only CON-GRZ holds LANTERN; it takes
  // orders by API.
  const web1010 = '{"id": "WEB-1010", "channel": "webshop", "currency": "EUR", "customer": {"id": "C-WEB-1010", "type": "b2c", "name": "Eva Steiner"}, "ship_to": {"name": "Eva Steiner", "street": ["Sackstraße 3"], "postcode": "8010", "city": "Graz", "country": "AT", "location": {"lat": 47.072, "lon": 15.438}}, "lines": [{"id": "1", "sku": "LANTERN", "qty": 2, "unit_price": "34.9"}]}';
  const wait = settle(page);
  assert.ok(await page.evaluate((o) => {
    const first = '{"id": "WEB-1001"';
    return window.__stockroute.editData('orders', first, `${o}\n${first}`);
  }, web1010));
  await wait;
  await pickOrder(page, 'WEB-1010');
  const card = await openForward(page, 'CON-GRZ', '.forward-body');
  const headers = await page.$$eval(`${card} .forward-headers > div`, (els) => Object.fromEntries(els.map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])));
  assert.equal(headers['POST to'], 'https://graz-sport.example.at/api/consignment-orders');
  // Stable per order, shipment number and warehouse (docs/consignment.md).
  assert.equal(headers['Idempotency key'], 'stockroute:WEB-1010:1:CON-GRZ');
  const body = JSON.parse(await page.textContent(`${card} .forward-body`));
  assert.equal(body.schema, 'stockroute.forward/1');
  assert.deepEqual(body.shipment.lines, [{ line: '1', sku: 'LANTERN', description: 'LED camping lantern', qty: '2' }]);
  assert.deepEqual(body.documents.map((d) => [d.file_name, d.content]), [['packing-slip-WEB-1010-1.html', '…'], ['packing-slip-WEB-1010-1.pdf', '…']]);
  assert.deepEqual(body.documents_to_follow, ['shipping_label']);
  assert.match(body.notice, /never put an invoice in the parcel/);
});
