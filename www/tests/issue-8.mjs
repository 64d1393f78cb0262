// Issue 8 item 2 in the editor: which hooks run compiled and which on the interpreter, and why.
import assert from 'node:assert/strict';
import { test, open, setRules, pickOrder, shipments, shot, demoSource } from './harness.mjs';

const modes = (page) => page.$$eval('#hook-modes .hook-mode', (els) => els.map((e) => `${e.dataset.hook}:${e.dataset.mode}`));

await test('hook modes: each hook shows whether it runs compiled or on the interpreter, and why', async (page) => {
  await open(page);
  await pickOrder(page, 'WEB-1004');
  // The demo rules define rank and split, both written with what compiles (let, if/else,
  // property access, distance_km, a map literal, a constant).
  assert.deepEqual(await modes(page), ['rank:compiled', 'split:compiled']);
  assert.equal(await page.locator('#hook-modes .hook-reasons').count(), 0);
  assert.equal((await page.textContent('#state-hooks')).trim(), '2 hooks, both compiled');
  const before = await shipments(page);

  // A closure in split (`|t| …`) is outside what compiles: split moves to the interpreter.
  await setRules(page, demoSource.replace(
    'unfulfillable: if order.customer.type == "b2b" { "hold" } else { "backorder" },',
    'unfulfillable: (|t| if t == "b2b" { "hold" } else { "backorder" }).call(order.customer.type),',
  ));
  assert.deepEqual(await modes(page), ['rank:compiled', 'split:interpreted']);
  const reason = (await page.textContent('#hook-modes .hook-reasons li[data-hook="split"]')).replace(/\s+/g, ' ');
  assert.match(reason, /split\(\) runs on the interpreter/);
  assert.match(reason, /uses closures or function pointers/);
  assert.equal((await page.textContent('#state-hooks')).trim(), '1 of 2 hooks on the interpreter');
  await shot(page, '11-hook-modes');
  // Same rules, same results: WEB-1004 ships exactly as before.
  assert.deepEqual(await shipments(page), before);

  // A draft that does not compile has no hooks to describe.
  await setRules(page, demoSource.replace('const MAX_SHIPMENTS = 3;', 'const MAX_SHIPMENTS = 3 +;'));
  assert.equal(await page.locator('#hook-modes .hook-mode').count(), 0);
  assert.match(await page.textContent('#hook-modes'), /once the rules compile/);
  assert.equal(await page.locator('#state-hooks').count(), 0);

  // Rules without hooks run on the engine's defaults.
  await setRules(page, '// no hooks: engine defaults\n');
  assert.match(await page.textContent('#hook-modes'), /none defined/);
  assert.equal((await page.textContent('#state-hooks')).trim(), 'No hooks: engine defaults');
});
