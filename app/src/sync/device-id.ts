/**
 * The issuing replica id for ticket numbers: one per tab (sessionStorage
 * survives a reload of the same tab), so two tabs of one browser never
 * draw from the same number block.
 */
const KEY = 'queuemed.device';

export function deviceId(): string {
  try {
    const existing = sessionStorage.getItem(KEY);
    if (existing) return existing;
  } catch {
    // storage disabled: a fresh id per page load still issues unique numbers
  }
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const id = `tab-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  try {
    sessionStorage.setItem(KEY, id);
  } catch {
    // see above
  }
  return id;
}
