import { describe, expect, it } from 'vitest';
import { dueState, formatDue, localDate } from './due.js';

describe('due dates on the board', () => {
  it('says overdue before today, today on the day, upcoming after, nothing without a date', () => {
    expect(dueState('2026-12-01', '2026-12-02')).toBe('overdue');
    expect(dueState('2026-12-02', '2026-12-02')).toBe('today');
    expect(dueState('2027-01-05', '2026-12-02')).toBe('upcoming');
    expect(dueState(undefined, '2026-12-02')).toBeNull();
  });

  it('reads today in the local calendar', () => {
    expect(localDate(new Date(2026, 11, 2, 23, 59).getTime())).toBe('2026-12-02');
  });

  it('shows the year only when it is not this year', () => {
    expect(formatDue('2026-03-12', '2026-12-02', 'en')).toBe('12 Mar');
    expect(formatDue('2027-03-12', '2026-12-02', 'en')).toBe('12 Mar 2027');
  });
});
