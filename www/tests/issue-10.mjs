// Issue 10 item 1 in the editor: the batch diff routes consuming batches (each order sees the
// stock the earlier orders' shipments left) and says so; an order that changes only because
// an earlier order took other stock is marked as a knock-on change.
// Expected values are worked out by hand from examples/ and the demo rule set.
import assert from 'node:assert/strict';
import { test, open, settle, shot, demoSource, sampleOrders } from './harness.mjs';

const web1004 = sampleOrders.split('\n').find((l) => l.includes('"WEB-1004"'));
// A second club order after WEB-1004: 4 rain jackets to the same Berlin address.
const web9004 = web1004.replace('"WEB-1004"', '"WEB-9004"').replace('"qty": 12', '"qty": 4');

await test('batch diff: a pasted batch consumes stock in order, and a knock-on change is marked as one', async (page) => {
  await open(page);
  await page.click('#tab-batch');
  await page.waitForSelector('#batch .summary');
  await page.click('.batch-source summary');
  await page.fill('#batch-text', `${web1004}\n${web9004}\n`);
  await page.click('#run-batch');
  await page.waitForFunction(() => document.querySelector('.batch-intro')?.textContent.startsWith('2 pasted'));
  // The draft allows 2 shipments instead of 3.
  await page.evaluate((src) => window.__stockroute.setRules(src.replace('const MAX_SHIPMENTS = 3;', 'const MAX_SHIPMENTS = 2;')), demoSource);
  await settle(page);
  await page.waitForSelector('#changed-orders');
  // JKT-M available: DE-BER 10 − 2 reserved = 8, AT-VIE 3, CON-HAM 4, CON-GRZ 2; own first.
  // Saved (3 shipments): WEB-1004 takes DE-BER 8 + AT-VIE 3 + CON-HAM 1 (split); WEB-9004
  // then finds no own JKT-M left: CON-HAM 3 + CON-GRZ 1 (split).
  // Draft (2 shipments): WEB-1004 takes DE-BER 8 + AT-VIE 3 and backorders 1 (partial);
  // WEB-9004 finds CON-HAM's 4 untouched: single from CON-HAM.
  // Both change. Against the full inventory both versions would ship WEB-9004 from DE-BER
  // alone (8 ≥ 4), so its change is a knock-on of WEB-1004's; WEB-1004's is the rules' own.
  const rows = await page.$$eval('#changed-orders .changed-order', (els) => els.map((e) => ({ id: e.dataset.order, knockOn: e.dataset.knockOn === 'true' })));
  assert.deepEqual(rows, [{ id: 'WEB-1004', knockOn: false }, { id: 'WEB-9004', knockOn: true }]);
  const cell = (row, col) => page.textContent(`#batch table[aria-label="Plans by status"] tr[data-status="${row}"] td.${col}`);
  assert.equal(await cell('split', 'saved'), '2');
  assert.equal(await cell('split', 'draft'), '0');
  assert.equal(await cell('partial', 'draft'), '1');
  assert.equal(await cell('single', 'draft'), '1');
  const wh = (w, col) => page.textContent(`#batch table[aria-label="Shipments per warehouse"] tr[data-warehouse="${w}"] td.${col}`);
  // CON-HAM ships for both orders when saved, for WEB-9004 only in the draft; CON-GRZ only when saved.
  assert.equal(await wh('CON-HAM', 'saved'), '2');
  assert.equal(await wh('CON-HAM', 'draft'), '1');
  assert.equal(await wh('CON-GRZ', 'saved'), '1');
  assert.equal(await wh('CON-GRZ', 'draft'), '0');

  await page.click('.changed-order[data-order="WEB-9004"]');
  await page.waitForSelector('#diff-view');
  const side = (which) => page.$$eval(`#diff-view .diff-${which} .shipment`, (els) => els.map((s) => `${s.dataset.warehouse}×${s.querySelector('tbody .num').firstChild.textContent}`));
  assert.deepEqual(await side('saved'), ['CON-HAM×3', 'CON-GRZ×1']);
  assert.deepEqual(await side('draft'), ['CON-HAM×4']);
  const note = await page.textContent('#diff-view .diff-stock');
  assert.match(note, /stock the 1 order before it left/);
  assert.match(note, /changes only because the orders before it took other stock/);
  await shot(page, '10-batch-knock-on');

  // The Order preview routes one order against the full inventory: WEB-1004 there keeps its
  // draft plan (8 + 3, 1 backordered), unaffected by the batch.
  await page.click('#tab-preview');
  await page.selectOption('#order-select', 'WEB-1004');
  await page.waitForSelector('#preview .plan[data-order="WEB-1004"][data-status="partial"]');
});
