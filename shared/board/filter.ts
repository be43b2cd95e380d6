/**
 * Card filters of the board screen (rule B15): mine, assignee, label, due
 * date and a text search that ignores case and accents ("écho" finds
 * "Echographe"). Pure: `today` is the viewer's local date, YYYY-MM-DD.
 */
import type { CardView } from './derive.js';

export const DUE_FILTERS = ['overdue', 'today', 'week', 'none'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export interface CardFilter {
  /** Assigned to or created by the viewer. */
  readonly mine?: boolean;
  readonly assignee?: string;
  readonly label?: string;
  readonly due?: DueFilter;
  readonly text?: string;
}

/** Lower case, accents and surrounding space removed. */
export const foldText = (text: string): string =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** `day` + n days, both YYYY-MM-DD. */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function dueMatches(due: string | undefined, filter: DueFilter, today: string): boolean {
  switch (filter) {
    case 'none':
      return due === undefined;
    case 'overdue':
      return due !== undefined && due < today;
    case 'today':
      return due === today;
    case 'week':
      // Today and the six days after it.
      return due !== undefined && due >= today && due <= addDays(today, 6);
  }
}

export const isFilterEmpty = (filter: CardFilter): boolean =>
  !filter.mine &&
  filter.assignee === undefined &&
  filter.label === undefined &&
  filter.due === undefined &&
  (filter.text === undefined || foldText(filter.text) === '');

/** The cards matching every criterion of `filter`, in their given order. */
export function filterCards(
  cards: readonly CardView[],
  filter: CardFilter,
  viewer: string,
  today: string,
): readonly CardView[] {
  if (isFilterEmpty(filter)) return cards;
  const words = filter.text === undefined ? [] : foldText(filter.text).split(/\s+/).filter(Boolean);
  return cards.filter((card) => {
    if (filter.mine && card.createdBy !== viewer && !card.assignees.includes(viewer)) return false;
    if (filter.assignee !== undefined && !card.assignees.includes(filter.assignee)) return false;
    if (filter.label !== undefined && !card.labels.includes(filter.label)) return false;
    if (filter.due !== undefined && !dueMatches(card.due, filter.due, today)) return false;
    if (words.length > 0) {
      const haystack = foldText(`${card.title}\n${card.body}`);
      if (!words.every((w) => haystack.includes(w))) return false;
    }
    return true;
  });
}
