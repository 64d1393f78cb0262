// The two tab lists (Rules / Inventory / Orders / Events and the result views), following the ARIA
// tabs pattern: arrow keys, Home and End move between tabs, only the selected one is in the
// Tab order. Opening a result view draws it.
import { app, persisted, persist, rulesView, inventoryView, ordersView, eventsView, $ } from '../state';
import { renderAvailability } from './availability';
import { runBatch } from './batch';
import { renderSettlement } from './settlement';
import { renderReplenishment } from './replenishment';
import { renderManual } from './manual';
import { runTests } from './tests';

export function setupTabs(listId: string, onSelect: (tab: string) => void) {
  const tabs = [...$(listId).querySelectorAll<HTMLElement>('[role=tab]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => onSelect(tab.dataset.tab ?? ''));
    tab.addEventListener('keydown', (e) => {
      const k = e.key;
      const next = k === 'ArrowRight' ? i + 1 : k === 'ArrowLeft' ? i - 1 : k === 'Home' ? 0 : k === 'End' ? tabs.length - 1 : -1;
      if (next < 0 && k !== 'ArrowLeft') return;
      e.preventDefault();
      const target = tabs[(next + tabs.length) % tabs.length];
      onSelect(target.dataset.tab ?? '');
      target.focus();
    });
  });
}

function showTab(listId: string, tab: string) {
  $(listId).querySelectorAll<HTMLElement>('[role=tab]').forEach((el) => {
    const on = el.dataset.tab === tab;
    el.setAttribute('aria-selected', String(on));
    el.tabIndex = on ? 0 : -1;
    const panel = el.getAttribute('aria-controls');
    if (panel) $(panel).hidden = !on;
  });
}

export function selectLeftTab(tab: string) {
  persisted.leftTab = tab;
  persist();
  showTab('left-tabs', tab);
  const view = tab === 'rules' ? rulesView() : tab === 'inventory' ? inventoryView() : tab === 'events' ? eventsView() : ordersView();
  view.requestMeasure();
}

export function selectRightTab(tab: string) {
  app.rightTab = tab;
  persisted.rightTab = tab;
  persist();
  showTab('right-tabs', tab);
  if (tab === 'availability') renderAvailability();
  if (tab === 'batch') runBatch();
  if (tab === 'settlement') renderSettlement();
  if (tab === 'replenishment') renderReplenishment();
  if (tab === 'manual') renderManual();
  if (tab === 'tests') runTests();
}
