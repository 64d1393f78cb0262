// The *As of* control in the top bar: the day every date-dependent engine call is made for
// (routing in the preview and the batch diff, forwarding, manual plans, replenishment).
// Unset it follows today (UTC); a day picked is kept across reloads until *Today* is pressed.
import { asOf, isDay, persisted, persist, todayUtc, $ } from '../state';

export function renderAsOf() {
  const input = $('as-of');
  const today = $('as-of-today');
  if (!(input instanceof HTMLInputElement) || !(today instanceof HTMLButtonElement)) return;
  const day = asOf();
  if (input.value !== day) input.value = day;
  const pinned = isDay(persisted.asOf) && persisted.asOf !== todayUtc();
  $('as-of-box').dataset.pinned = String(pinned);
  today.disabled = !isDay(persisted.asOf);
  input.title = pinned ? `Everything is computed as of ${day}, not today (${todayUtc()})` : 'Today (UTC)';
}

export function setupAsOf(onChanged: () => void) {
  const input = $('as-of');
  if (!(input instanceof HTMLInputElement)) return;
  renderAsOf();
  const set = (day: string | undefined) => {
    if (day === persisted.asOf) return;
    persisted.asOf = day;
    persist();
    renderAsOf();
    onChanged();
  };
  // A cleared field goes back to today, as the button does.
  input.addEventListener('change', () => set(isDay(input.value) ? input.value : undefined));
  $('as-of-today').addEventListener('click', () => set(undefined));
}
