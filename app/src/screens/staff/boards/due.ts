/**
 * Due dates as the board shows them: a card's `due` (YYYY-MM-DD) against
 * today in the clinic's local calendar, read from the server-corrected clock.
 */

export type DueState = 'overdue' | 'today' | 'upcoming';

/** `YYYY-MM-DD` of `ms` in the browser's local calendar. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Overdue before today, today, upcoming after; null without a due date. */
export function dueState(due: string | null | undefined, today: string): DueState | null {
  if (!due) return null;
  if (due < today) return 'overdue';
  return due === today ? 'today' : 'upcoming';
}

/** "12 mars", "12 Mar" (with the year when it is not this year's). */
export function formatDue(due: string, today: string, locale: 'fr' | 'en'): string {
  const [y, m, d] = due.split('-').map(Number);
  if (!y || !m || !d) return due;
  const date = new Date(y, m - 1, d);
  return date.toLocaleDateString(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    ...(due.slice(0, 4) === today.slice(0, 4) ? {} : { year: 'numeric' }),
  });
}
