// Issue 13 in the editor: the Replenishment view (proposals per retailer from the loaded
// inventory, the consignment events and the As of day, with the engine's reasoning and the
// draft's `replenish` hook), Manual routing (a plan made by hand, checked by
// `router.validate` as it is typed, each violation next to its line and warehouse, the
// completed plan when valid), and the As of day every date-dependent call is made for.
//
// Expected values are worked out from examples/inventory.json, examples/events.jsonl,
// examples/orders.jsonl and the rule sets; the reasoning is next to each assertion.
import assert from 'node:assert/strict';
import { DEMO, demoSource, open, pickOrder, pickRuleSet, SAMPLE_DAY, setAsOf, setRules, settle, shipments, shot, test } from './harness.mjs';

// ------------------------------------------------------------------ helpers

/** Per SKU of one location: on hand | sold/day | cover | reorder at | target | at most | propose | rule. */
async function proposals(page, warehouse) {
  return page.$$eval(`#replenishment .replenish-location[data-warehouse="${warehouse}"] tbody.replenish-sku`, (els) => Object.fromEntries(els.map((el) => [
    el.dataset.sku, [...el.querySelector('tr').querySelectorAll('td')].map((td) => td.textContent.trim()).join(' | ').replace(/ \| $/, ''),
  ])));
}

/** The engine's reasoning for one proposal, line by line, and whether it is shown open. */
async function why(page, warehouse, sku) {
  const details = page.locator(`#replenishment .replenish-location[data-warehouse="${warehouse}"] tbody.replenish-sku[data-sku="${sku}"] details.replenish-why`);
  return { open: await details.evaluate((d) => d.open), lines: await details.locator('li').allTextContents() };
}

/** SKU → available | reserved on channels | channel safety | can spare | proposed, from own warehouses. */
async function own(page) {
  return page.$$eval('#replenishment .replenish-own-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [
    tr.dataset.sku, [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()).join(' | ').replace(/ \| $/, ''),
  ])));
}

async function editData(page, which, find, replaceWith) {
  const wait = settle(page);
  assert.ok(await page.evaluate(([w, f, r]) => window.__stockroute.editData(w, f, r), [which, find, replaceWith]), `${which} contains ${find}`);
  await wait;
}

// The stock row of DE-MUC's BOOT-42 exactly as examples/inventory.json writes it.
const MUC_BOOT_42 = '"warehouse": "DE-MUC",\n      "sku": "BOOT-42",\n      "on_hand": 6';

/** The violations shown in one slot of the manual routing view. */
async function violationsAt(page, selector) {
  return page.locator(`#manual ${selector} > .manual-violations li`).allTextContents();
}

async function manualResult(page) {
  return {
    valid: await page.locator('#manual-result .manual-valid').count() === 1,
    violations: await page.locator('#manual-result .manual-violation-list li').allTextContents(),
  };
}

// ------------------------------------------------------------------ As of

await test('the As of day defaults to today and decides which consignment periods have ended', async (page) => {
  // The page's clock on 15 January 2027: Zürich's consignment period ended on 2026-12-31.
  await open(page, { asOf: null });
  assert.equal(await page.inputValue('#as-of'), '2027-01-15');
  assert.equal(await page.isDisabled('#as-of-today'), true, 'following today already');
  // WEB-1005 (4 × TENT-4P to Zürich): DE-BER ships its 3; DE-FRA's unit is flagged out of
  // stock and CON-ZRH no longer ships, so the fourth is backordered (a consumer order).
  await pickOrder(page, 'WEB-1005');
  assert.deepEqual((await shipments(page)).map((s) => `${s.warehouse} ${s.lines.join(',')}`), ['DE-BER TENT-4P×3']);
  assert.equal(await page.getAttribute('#preview .plan', 'data-status'), 'partial');
  const trace = await page.locator('#preview .trace li').allTextContents();
  assert.ok(trace.some((t) => /Zürich Alpin AG/.test(t) && /consignment period ended on 2026-12-31/.test(t)), `the exclusion is explained: ${trace.join(' | ')}`);

  // Picking 15 December 2026 (inside the period): CON-ZRH ships the fourth with a pro-forma.
  await setAsOf(page, '2026-12-15');
  assert.deepEqual((await shipments(page)).map((s) => `${s.warehouse} ${s.lines.join(',')} ${[...s.documents].sort().join('+')}`),
    ['DE-BER TENT-4P×3 invoice+packing_slip+shipping_label', 'CON-ZRH TENT-4P×1 pro_forma+shipping_label']);
  assert.equal(await page.getAttribute('#as-of-box', 'data-pinned'), 'true');
  // The day is kept across a reload, until Today is pressed.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('#as-of'), '2026-12-15');
  await page.waitForSelector('#preview .shipment[data-warehouse="CON-ZRH"]');
  const wait = settle(page);
  await page.click('#as-of-today');
  await wait;
  assert.equal(await page.inputValue('#as-of'), '2027-01-15');
  assert.equal(await page.locator('#preview .shipment[data-warehouse="CON-ZRH"]').count(), 0);
}, { today: '2027-01-15' });

// ------------------------------------------------------------------ replenishment

await test('replenishment of the sample month: proposals per retailer with the reasoning, own stock to spare', async (page) => {
  await open(page);
  await page.click('#tab-replenishment');
  await page.waitForSelector('#replenishment .replenish-location');
  // The 28 days to 2026-11-30 start on 2026-11-03.
  assert.match(await page.textContent('#replenishment .replenish-intro'),
    /^As of 2026-11-30: sales from 2026-11-03 to 2026-11-30 \(28 days\), from the consignment events on the Events tab\. 2 deliveries proposed, 6 units in all\./);
  // Grouped by owner, in inventory order; Zürich has no replenishment terms.
  assert.deepEqual(await page.$$eval('#replenishment .replenish-owner', (els) => els.map((e) => e.dataset.owner)), ['Hamburg Outdoor GmbH', 'Graz Sport KG', 'Zürich Alpin AG']);
  assert.match(await page.textContent('#replenishment .replenish-skipped[data-warehouse="CON-ZRH"]'), /no proposals, no replenishment terms \(terms\.replenish\)/);

  // CON-HAM (reorder at 3, fill up to 6, 3 days lead time, period ends 2027-06-30), sales
  // in the window from the event log:
  //  BOOT-42: 3 there, 1 sold (11-12): 1/28 = 0.04 a day, 3 last 84 days. 3 ≤ 3: 3 more
  //   reach 6. In the 212 days to 2027-06-30 it sells 212/28 = 7.6 → 7, of which it holds
  //   3: at most 4; own stock can spare 4 + 6 − webshop safety 2 = 8. So 3 go.
  //  JKT-L: 3 there (3 + 1 delivered − 1 sold on 11-20), 1 sold: the same figures; own
  //   DE-MUC 8 + DE-FRA 2 − 2 = 8 to spare. 3 go.
  //  JKT-M: 4 there, 1 sold + 1 forwarded for a web order (11-14): 2/28 = 0.07, 56 days; above 3.
  //  SB-200: 5 there, 1 sold: 140 days. TENT-2P: 6 there, 2 sold: 0.07, 84 days. BOOT-44:
  //   none sold (no cover figure). All above the reorder point: nothing.
  //  At most: TENT-2P and JKT-M sell 2/28 × 212 = 15.1 → 15 before the end, less 6 / 4
  //   there = 9 / 11 → own spare 19 / 9 limits JKT-M to 9; SB-200 7 − 5 = 2; BOOT-44 0.
  assert.deepEqual(await proposals(page, 'CON-HAM'), {
    'BOOT-42': '3 | 0.04 | 84 d | 3 | 6 | 4 | 3',
    'BOOT-44': '4 | 0 | — | 3 | 6 | 0 | 0',
    'JKT-L': '3 | 0.04 | 84 d | 3 | 6 | 4 | 3',
    'JKT-M': '4 | 0.07 | 56 d | 3 | 6 | 9 | 0',
    'SB-200': '5 | 0.04 | 140 d | 3 | 6 | 2 | 0',
    'TENT-2P': '6 | 0.07 | 84 d | 3 | 6 | 9 | 0',
  });
  const boot = await why(page, 'CON-HAM', 'BOOT-42');
  assert.equal(boot.open, true, 'the reasoning of a delivery is shown');
  assert.deepEqual(boot.lines, [
    'sold 1 in the 28 days to 2026-11-30: 0.04 a day',
    '3 in stock there lasts about 84 days',
    'terms: reorder at 3, fill up to 6',
    '3 in stock is at or below the reorder point 3: 3 more to reach 6',
    'at most 4 may go: it sells about 7 in the 212 days until the period ends on 2027-06-30; own warehouses can spare 8',
    'send 3',
  ]);
  assert.equal((await why(page, 'CON-HAM', 'SB-200')).open, false, 'nothing happens for SB-200: its reasoning stays folded');
  // CON-GRZ keeps 56 days of cover after a 7-day lead time; its sales come from its counts.
  // JKT-M: 3 → 2 at the 11-30 count, 1 in 28 days: reorder at 7/28 → 1, target 63/28 → 3;
  // 2 are there, above 1: nothing. No other SKU there is at or below its reorder point.
  const grz = await proposals(page, 'CON-GRZ');
  assert.equal(grz['JKT-M'], '2 | 0.04 | 56 d | 1 | 3 | 2 | 0');
  assert.deepEqual(Object.values(grz).map((r) => r.split(' | ')[6]), Object.keys(grz).map(() => '0'));
  // Own warehouses: BOOT-42 available 4 + 6 = 10, less the webshop's safety 2 = 8, 3 proposed.
  const spare = await own(page);
  assert.equal(spare['BOOT-42'], '10 | 0 | 2 | 8 | 3');
  assert.equal(spare['JKT-L'], '10 | 0 | 2 | 8 | 3');
  await shot(page, '13-replenishment');
});

await test('replenishment caps: own stock to spare, the period end, and sales from the bundled month', async (page) => {
  await open(page);
  await page.click('#tab-replenishment');
  await page.waitForSelector('#replenishment .replenish-location');

  // DE-MUC's 6 pairs of BOOT-42 gone: own warehouses hold 4, less the safety of 2: 2 to spare.
  // CON-HAM wants 3 and may take at most 2.
  await editData(page, 'inventory', MUC_BOOT_42, MUC_BOOT_42.replace('"on_hand": 6', '"on_hand": 0'));
  assert.equal((await proposals(page, 'CON-HAM'))['BOOT-42'], '3 | 0.04 | 84 d | 3 | 6 | 2 | 2');
  const capped = await why(page, 'CON-HAM', 'BOOT-42');
  assert.ok(capped.lines.includes('own warehouses can spare 2 of BOOT-42 (available 4, less 0 reserved on channels and the channel safety 2)'), capped.lines.join(' | '));
  assert.equal((await own(page))['BOOT-42'], '4 | 0 | 2 | 2 | 2');
  await editData(page, 'inventory', MUC_BOOT_42.replace('"on_hand": 6', '"on_hand": 0'), MUC_BOOT_42);

  // On 2027-06-28 a delivery to Hamburg (3 days) would arrive on 2027-07-01, after its period
  // ends on 2027-06-30; Graz's period ended on 2027-03-31. Nothing sold in June either.
  await setAsOf(page, '2027-06-28');
  assert.match(await page.textContent('#replenishment .replenish-intro'), /^As of 2027-06-28: sales from 2027-06-01 to 2027-06-28 \(28 days\).*Nothing to send\./);
  assert.equal((await proposals(page, 'CON-HAM'))['BOOT-42'], '3 | 0 | — | 3 | 6 | 0 | 0');
  const late = await why(page, 'CON-HAM', 'BOOT-42');
  assert.equal(late.open, true, 'wanted but held back: the reasoning is shown');
  assert.ok(late.lines.includes('3 in stock is at or below the reorder point 3: 3 more to reach 6'));
  assert.ok(late.lines.includes('the consignment period ends on 2027-06-30, before a delivery sent now arrives on 2027-07-01 (lead time 3 days)'), late.lines.join(' | '));
  assert.ok((await why(page, 'CON-GRZ', 'JKT-M')).lines.includes('the consignment period ended on 2027-03-31: nothing more goes there'));
  await setAsOf(page, SAMPLE_DAY);

  // Move the BOOT-42 sale of 11-12 on the Events tab to BOOT-44: BOOT-42 sold nothing, so
  // nothing of it would sell before the period end and nothing goes. The bundled month
  // (Sales from) still has the sale: 3 go again.
  const sale = '{"sku": "SB-200", "qty": 1}, {"sku": "BOOT-42", "qty": 1}]';
  await editData(page, 'events', sale, sale.replace('BOOT-42', 'BOOT-44'));
  assert.equal((await proposals(page, 'CON-HAM'))['BOOT-42'], '3 | 0 | — | 3 | 6 | 0 | 0');
  assert.ok((await why(page, 'CON-HAM', 'BOOT-42')).lines.includes('it sells about 0 in the 212 days until the period ends on 2027-06-30, and unsold goods come back then: at most 0 more'));
  // A broken event (line 5, the sale of 11-03) measures nothing: the view names its line.
  await editData(page, 'events', '"date": "2026-11-03"', '"date": "2026-11-3"');
  const broken = page.locator('#replenishment .replenish-events-error');
  assert.match(await broken.textContent(), /^The event log has 1 error, so no sales can be measured and nothing is proposed\./);
  assert.deepEqual(await broken.locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.line)), ['5']);
  assert.equal(await page.locator('#replenishment .replenish-location').count(), 0);
  await editData(page, 'events', '"date": "2026-11-3"', '"date": "2026-11-03"');
  await page.selectOption('#replenish-source', 'sample');
  await page.waitForFunction(() => /bundled sample month/.test(document.querySelector('#replenishment .replenish-intro')?.textContent ?? ''));
  assert.equal((await proposals(page, 'CON-HAM'))['BOOT-42'], '3 | 0.04 | 84 d | 3 | 6 | 4 | 3');

  // A window the engine refuses is said next to the field, not swallowed.
  await page.fill('#replenish-window', '120');
  await page.dispatchEvent('#replenish-window', 'change');
  await page.waitForSelector('#replenishment .replenish-window-error');
  assert.match(await page.textContent('#replenishment .replenish-window-error'), /window_days must be between 1 and 91, got 120/);
  assert.equal(await page.getAttribute('#replenish-window', 'aria-invalid'), 'true');
  // 14 days (11-17 to 11-30): JKT-L's sale of 11-20 is in it: 1/14 = 0.07 a day.
  await page.fill('#replenish-window', '14');
  await page.dispatchEvent('#replenish-window', 'change');
  await page.waitForFunction(() => /\(14 days\)/.test(document.querySelector('#replenishment .replenish-intro')?.textContent ?? ''));
  assert.equal((await proposals(page, 'CON-HAM'))['JKT-L'].split(' | ')[1], '0.07');
});

await test('replenishment follows the draft: the replenish hook changes and vetoes proposals as you type', async (page) => {
  await open(page);
  await page.click('#tab-replenishment');
  await page.waitForSelector('#replenishment .replenish-location');
  // consignment-replenishment sends boots in whole cases of 2 (case_pack 2): BOOT-42's 3
  // becomes 4, which its limit of 4 allows; JKT-L has no case pack and keeps its 3.
  await pickRuleSet(page, 'consignment-replenishment');
  await page.waitForFunction(() => document.querySelector('#replenishment tbody[data-sku="BOOT-42"] .rule-decision')?.dataset.rule === 'adjusted');
  const ham = await proposals(page, 'CON-HAM');
  assert.equal(ham['BOOT-42'], '3 | 0.04 | 84 d | 3 | 6 | 4 | 4 | changed');
  assert.equal(ham['JKT-L'], '3 | 0.04 | 84 d | 3 | 6 | 4 | 3 | kept');
  const cases = (await why(page, 'CON-HAM', 'BOOT-42')).lines;
  assert.deepEqual(cases.slice(-3), ['rule: whole cases of 2', 'the rule changed 3 to 4', 'send 4']);
  assert.equal((await own(page))['BOOT-42'], '10 | 0 | 2 | 8 | 4');

  // A replenish hook typed into the demo rules' draft vetoes JKT-L: the view follows it.
  await pickRuleSet(page, DEMO);
  await setRules(page, `${demoSource}
fn replenish(warehouse, sku, proposal) {
    if sku == "JKT-L" {
        note("JKT-L is discontinued");
        return false;
    }
    true
}
`);
  const vetoed = await proposals(page, 'CON-HAM');
  assert.equal(vetoed['JKT-L'], '3 | 0.04 | 84 d | 3 | 6 | 4 | 0 | vetoed');
  assert.equal(vetoed['BOOT-42'], '3 | 0.04 | 84 d | 3 | 6 | 4 | 3 | kept');
  assert.deepEqual((await why(page, 'CON-HAM', 'JKT-L')).lines.slice(-3), ['rule: JKT-L is discontinued', 'the rule vetoed the 3 proposed', 'nothing to send']);
  assert.equal((await own(page))['JKT-L'], '10 | 0 | 2 | 8 | 0');
  assert.match(await page.textContent('#replenishment .replenish-intro'), /1 delivery proposed, 3 units in all/);

  // A hook that returns text is the rules' error: named with its hook, line and location,
  // and listed under Problems like any rule error.
  await setRules(page, `${demoSource}\nfn replenish(warehouse, sku, proposal) {\n    "lots"\n}\n`);
  const hookLine = demoSource.split('\n').length + 1;
  assert.match(await page.textContent('#replenishment .replenish-failed'),
    new RegExp(`No proposals could be made\\. Wrong return value in replenish\\(\\) at line ${hookLine}, for Hamburg Outdoor GmbH \\(consignment\\): replenish must return a quantity`));
  assert.match(await page.textContent('#problems'), new RegExp(`replenish must return a quantity, true to keep the proposal`));

  // A draft that does not compile proposes nothing and says why.
  await setRules(page, `${demoSource}\nfn replenish(warehouse, sku, proposal) {\n`);
  assert.match(await page.textContent('#replenishment'), /The rules do not compile/);
  assert.equal(await page.locator('#replenishment .replenish-location').count(), 0);
});

// ------------------------------------------------------------------ manual routing

await test('manual routing of a held order: violations next to their line and warehouse, the completed plan when valid', async (page) => {
  await open(page);
  // B2B-2002 (20 × STOVE-GAS, business, to Graz) is held by the demo rules: the preview
  // offers to route it by hand and the view opens on it.
  await pickOrder(page, 'B2B-2002');
  await page.click('#route-by-hand');
  await page.waitForSelector('#manual .manual-line[data-line="1"]');
  assert.equal(await page.getAttribute('#tab-manual', 'aria-selected'), 'true');
  assert.equal(await page.inputValue('#manual-order'), 'B2B-2002');
  assert.match(await page.textContent('#manual .manual-held'), /The rules hold this order: the order cannot ship complete within 3 shipments/);
  // Nothing assigned yet: the line is dropped.
  assert.deepEqual(await violationsAt(page, '.manual-line[data-line="1"]'),
    ['⚠ line 1 (sku STOVE-GAS) orders 20 but the plan ships 0 and backorders 0 — every line must be shipped, backordered or held in full']);
  // Each warehouse offers what the webshop may take of the line's SKU there.
  const options = await page.$$eval('#manual-l0-r0-wh option', (os) => os.map((o) => o.textContent));
  assert.ok(options.includes('AT-VIE · own · 3 available') && options.includes('CON-GRZ · consignment · 2 available') && options.includes('CON-HAM · consignment · no STOVE-GAS'), options.join(' | '));

  // Over-allocation: AT-VIE holds 3 stoves, 5 are asked for. Said at that row.
  await page.selectOption('#manual-l0-r0-wh', 'AT-VIE');
  await page.fill('#manual-l0-r0-qty', '5');
  assert.deepEqual(await violationsAt(page, '.manual-alloc[data-line="1"][data-row="0"]'),
    ['⚠ allocates 5 of sku STOVE-GAS from warehouse AT-VIE, which has only 3 available']);
  assert.equal((await manualResult(page)).valid, false);

  // 3 from AT-VIE, 6 from DE-BER, the rest (11) backordered: the plan of docs/replenishment.md.
  await page.fill('#manual-l0-r0-qty', '3');
  await page.click('#manual .manual-line[data-line="1"] .manual-add');
  await page.selectOption('#manual-l0-r1-wh', 'DE-BER');
  await page.fill('#manual-l0-r1-qty', '6');
  assert.equal(await page.textContent('#manual .manual-backorder-rest'), 'Backorder the rest (11)');
  await page.click('#manual .manual-backorder-rest');
  assert.equal(await page.inputValue('#manual-l0-bo'), '11');
  let result = await manualResult(page);
  assert.deepEqual(result, { valid: true, violations: [] });
  assert.equal(await page.getAttribute('#manual-result .plan', 'data-status'), 'partial');
  assert.deepEqual(await shipments(page, '#manual-result'), [
    { warehouse: 'AT-VIE', kind: 'own', lines: ['STOVE-GAS×3'], documents: ['invoice', 'packing_slip', 'shipping_label'] },
    { warehouse: 'DE-BER', kind: 'own', lines: ['STOVE-GAS×6'], documents: ['invoice', 'packing_slip', 'shipping_label'] },
  ]);
  assert.match(await page.textContent('#manual-result .backorders'), /STOVE-GAS\s*11/);
  assert.match(await page.textContent('#manual-result .shipment[data-warehouse="AT-VIE"] .forward'), /Picked by own WMS/);

  // Two of the eleven from consignment location CON-GRZ (the demo rules have no eligible
  // hook, the webshop includes consignment): valid, completed with Graz Sport KG as the
  // holder, its API as the forwarding, a packing slip and label and no invoice.
  await page.click('#manual .manual-line[data-line="1"] .manual-add');
  await page.selectOption('#manual-l0-r2-wh', 'CON-GRZ');
  await page.fill('#manual-l0-r2-qty', '2');
  await page.fill('#manual-l0-bo', '9');
  result = await manualResult(page);
  assert.deepEqual(result, { valid: true, violations: [] });
  const grz = page.locator('#manual-result .shipment[data-warehouse="CON-GRZ"]');
  assert.deepEqual((await shipments(page, '#manual-result')).find((s) => s.warehouse === 'CON-GRZ'),
    { warehouse: 'CON-GRZ', kind: 'consignment', lines: ['STOVE-GAS×2'], documents: ['packing_slip', 'shipping_label'] });
  assert.match(await grz.locator('.owner').textContent(), /Held at Graz Sport KG/);
  assert.match(await grz.locator('.forward').textContent(), /Sent to API https:\/\/graz-sport\.example\.at\/api\/consignment-orders/);
  assert.match(await grz.locator('.documents').textContent(), /No invoice/);
  await shot(page, '14-manual-valid');

  // Asking for an invoice with the consignment shipment is the engine's violation, shown at
  // that shipment, and no completed plan is shown.
  await page.click('#manual .manual-shipment[data-warehouse="CON-GRZ"] input[data-doc="invoice"]');
  assert.deepEqual(await violationsAt(page, '.manual-shipment[data-warehouse="CON-GRZ"]'), [
    "⚠ line 1 ships from consignment location CON-GRZ with an invoice: consignment goods stay the supplier's until the retailer sells them — a consignment shipment travels with a packing slip (or a pro forma) and the shipping label; leave documents out and the engine adds them",
  ]);
  result = await manualResult(page);
  assert.equal(result.valid, false);
  assert.equal(await page.locator('#manual-result .shipment').count(), 0);
  assert.match(result.violations.join('\n'), /^line 1 · Graz Sport KG \(consignment\): line 1 ships from consignment location CON-GRZ with an invoice/);
  // The same invoice with an own warehouse's shipment is fine.
  await page.click('#manual .manual-shipment[data-warehouse="CON-GRZ"] input[data-doc="invoice"]');
  await page.click('#manual .manual-shipment[data-warehouse="AT-VIE"] input[data-doc="invoice"]');
  assert.equal((await manualResult(page)).valid, true);

  // The plan is kept across a reload.
  await page.reload();
  await page.waitForSelector('#manual .manual-alloc[data-row="2"]');
  assert.equal(await page.inputValue('#manual-l0-r2-qty'), '2');
  assert.equal(await page.inputValue('#manual-l0-bo'), '9');
  assert.equal((await manualResult(page)).valid, true);
});

await test('manual routing: ineligible and disabled locations, a dropped line, a quantity that is not one', async (page) => {
  await open(page);
  await page.click('#tab-manual');
  await page.waitForSelector('#manual .manual-line');
  // The first held order is offered first.
  assert.equal(await page.inputValue('#manual-order'), 'B2B-2002');
  await page.selectOption('#manual-l0-r0-wh', 'CON-GRZ');
  await page.fill('#manual-l0-r0-qty', '2');
  await page.fill('#manual-l0-bo', '18');
  assert.equal((await manualResult(page)).valid, true);
  // b2b-no-consignment's eligible hook keeps business orders away from consignment stock.
  await pickRuleSet(page, 'b2b-no-consignment');
  await page.waitForFunction(() => document.querySelector('#manual .manual-alloc[data-row="0"] .manual-violations'));
  assert.deepEqual(await violationsAt(page, '.manual-alloc[data-line="1"][data-row="0"]'), ["⚠ line 1 cannot ship from CON-GRZ: the rule's eligible excludes it"]);
  await pickRuleSet(page, DEMO);

  // AT-VIE switched off in the inventory: disabled, said at its row and in its option.
  await page.selectOption('#manual-l0-r0-wh', 'AT-VIE');
  await page.fill('#manual-l0-r0-qty', '3');
  await page.fill('#manual-l0-bo', '17');
  assert.equal((await manualResult(page)).valid, true);
  await editData(page, 'inventory', '"id": "AT-VIE",', '"id": "AT-VIE",\n      "enabled": false,');
  assert.deepEqual(await violationsAt(page, '.manual-alloc[data-line="1"][data-row="0"]'), ['⚠ line 1 cannot ship from AT-VIE: disabled']);
  assert.ok((await page.$$eval('#manual-l0-r0-wh option', (os) => os.map((o) => o.textContent))).includes('AT-VIE · own · disabled'));
  await editData(page, 'inventory', '"id": "AT-VIE",\n      "enabled": false,', '"id": "AT-VIE",');

  // A quantity that is not a number is not a plan: the engine names the field, shown at it.
  await page.fill('#manual-l0-r0-qty', 'lots');
  assert.match((await violationsAt(page, '.manual-alloc[data-line="1"][data-row="0"]')).join(''), /shipments\[0\]\.lines\[0\]\.qty must be a number such as 2 or "2\.5", got "lots"/);
  assert.match(await page.textContent('#manual-result .manual-invalid'), /This is not a plan the engine can read/);

  // MKT-3002 (8 × BOOT-42 on the marketplace, which offers no consignment stock): starts
  // from the rules' plan (DE-BER 4 + DE-MUC 4); moving DE-MUC's 4 to CON-HAM is refused.
  await page.selectOption('#manual-order', 'MKT-3002');
  await page.waitForFunction(() => document.querySelector('#manual-l0-r1-wh')?.value === 'DE-MUC');
  assert.equal((await manualResult(page)).valid, true);
  assert.ok((await page.$$eval('#manual-l0-r1-wh option', (os) => os.map((o) => o.textContent))).includes('CON-HAM · consignment · consignment not offered on channel marketplace'));
  await page.selectOption('#manual-l0-r1-wh', 'CON-HAM');
  await page.fill('#manual-l0-r1-qty', '3');
  await page.fill('#manual-l0-bo', '1');
  assert.deepEqual(await violationsAt(page, '.manual-alloc[data-line="1"][data-row="1"]'), ['⚠ line 1 cannot ship from CON-HAM: consignment stock is not offered on channel marketplace']);

  // WEB-1002 (2 sleeping bags and 2 mats, both from DE-BER by the rules): removing the mats
  // drops line 2, said at line 2 only.
  await page.selectOption('#manual-order', 'WEB-1002');
  await page.waitForSelector('#manual .manual-line[data-line="2"]');
  assert.equal((await manualResult(page)).valid, true);
  await page.click('#manual .manual-alloc[data-line="2"][data-row="0"] .manual-remove');
  assert.deepEqual(await violationsAt(page, '.manual-line[data-line="2"]'),
    ['⚠ line 2 (sku MAT-AIR) orders 2 but the plan ships 0 and backorders 0 — every line must be shipped, backordered or held in full']);
  assert.deepEqual(await violationsAt(page, '.manual-line[data-line="1"]'), []);
  assert.deepEqual((await manualResult(page)).violations, ['line 2: line 2 (sku MAT-AIR) orders 2 but the plan ships 0 and backorders 0']);
  await page.click('#manual-from-rules');
  assert.equal((await manualResult(page)).valid, true);

  // WEB-1005 with one tent from CON-ZRH: fine in 2026, refused once Zürich's period has
  // ended (2026-12-31) on the As of day.
  await page.selectOption('#manual-order', 'WEB-1005');
  await page.waitForFunction(() => document.querySelector('#manual-l0-r1-wh')?.value === 'CON-ZRH');
  assert.match(await page.textContent('#manual .manual-rules'), /The rules route it: Berlin main warehouse \+ Zürich Alpin AG \(consignment\)\. It follows the rules until you change a line\./);
  // Made by hand from here on: it no longer follows the rules' plan.
  await page.fill('#manual-l0-r1-qty', '1');
  assert.equal((await manualResult(page)).valid, true);
  await setAsOf(page, '2027-01-04');
  assert.deepEqual(await violationsAt(page, '.manual-alloc[data-line="1"][data-row="1"]'),
    ['⚠ line 1 cannot ship from CON-ZRH: consignment period ended on 2026-12-31; unsold stock goes back to the supplier']);
  await shot(page, '15-manual-violations');
});
