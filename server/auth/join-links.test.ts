import { describe, expect, it } from 'vitest';
import { openTempSqlite } from '../db/test-support/sqlite.js';
import { describeJoinLinkRepo } from './join-links-contract.js';
import { clinicDayEnd, joinUrl } from './join-links.js';

describeJoinLinkRepo('SQLite', () => openTempSqlite('join-links'));

describe('clinic day end', () => {
  const paris = { timezone: 'Europe/Paris', resetTime: '00:00' };

  it('is the next local midnight, also across a 23-hour DST day', () => {
    // 2025-03-30: clocks go 02:00 → 03:00 in Paris; the day ends at 22:00 UTC.
    expect(clinicDayEnd(Date.UTC(2025, 2, 30, 8, 0), paris)).toBe(Date.UTC(2025, 2, 30, 22, 0));
    // 2025-10-26: a 25-hour day, ends at 23:00 UTC.
    expect(clinicDayEnd(Date.UTC(2025, 9, 26, 8, 0), paris)).toBe(Date.UTC(2025, 9, 26, 23, 0));
  });

  it('is strictly after now, also one minute before the reset', () => {
    const now = Date.UTC(2025, 5, 1, 21, 59, 30); // 23:59:30 in Paris
    expect(clinicDayEnd(now, paris)).toBe(Date.UTC(2025, 5, 1, 22, 0));
  });

  it('honours a reset time inside a skipped DST hour', () => {
    const odd = { timezone: 'Europe/Paris', resetTime: '02:30' };
    const end = clinicDayEnd(Date.UTC(2025, 2, 29, 12, 0), odd);
    // 02:30 does not exist on the 30th: the day changes when clocks jump to 03:00.
    expect(end).toBe(Date.UTC(2025, 2, 30, 1, 0));
  });

  it('builds join URLs under the public URL', () => {
    expect(joinUrl('https://clinic.example/', 'abc')).toBe('https://clinic.example/join/abc');
  });
});
