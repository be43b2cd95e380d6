import { describe, expect, it } from 'vitest';
import {
  addDays,
  clinicDay,
  clockOffset,
  correctedNow,
  isDay,
  isValidTimezone,
  parseResetTime,
} from './day.js';

const paris = { timezone: 'Europe/Paris', resetTime: '00:00' };

describe('clinic day (rule D1)', () => {
  it('uses the local date in the clinic timezone, not UTC', () => {
    // 23:30 UTC on 9 March is 00:30 on 10 March in Paris.
    expect(clinicDay(Date.UTC(2025, 2, 9, 23, 30), paris)).toBe('2025-03-10');
    expect(clinicDay(Date.UTC(2025, 2, 9, 22, 59), paris)).toBe('2025-03-09');
    expect(
      clinicDay(Date.UTC(2025, 2, 10, 3, 0), { timezone: 'America/New_York', resetTime: '00:00' }),
    ).toBe('2025-03-09');
  });

  it('counts time before the reset time as the previous day', () => {
    const at0300 = Date.UTC(2025, 2, 10, 2, 0); // 03:00 Paris
    const at0430 = Date.UTC(2025, 2, 10, 3, 30); // 04:30 Paris
    expect(clinicDay(at0300, { timezone: 'Europe/Paris', resetTime: '04:00' })).toBe('2025-03-09');
    expect(clinicDay(at0430, { timezone: 'Europe/Paris', resetTime: '04:00' })).toBe('2025-03-10');
  });

  it('handles month and year boundaries with a reset time', () => {
    expect(
      clinicDay(Date.UTC(2025, 0, 1, 0, 30), { timezone: 'Europe/Paris', resetTime: '03:00' }),
    ).toBe('2024-12-31');
    expect(
      clinicDay(Date.UTC(2025, 2, 1, 0, 30), { timezone: 'Europe/Paris', resetTime: '03:00' }),
    ).toBe('2025-02-28');
  });

  it('is not shifted by a daylight saving change', () => {
    // Paris springs forward on 30 March 2025 at 02:00 → 03:00.
    expect(clinicDay(Date.UTC(2025, 2, 29, 23, 30), paris)).toBe('2025-03-30');
    expect(clinicDay(Date.UTC(2025, 2, 30, 21, 59), paris)).toBe('2025-03-30'); // 23:59 CEST
    expect(clinicDay(Date.UTC(2025, 2, 30, 22, 0), paris)).toBe('2025-03-31');
  });

  it('adds days across months and validates day strings', () => {
    expect(addDays('2025-02-28' as never, 1)).toBe('2025-03-01');
    expect(addDays('2024-03-01' as never, -1)).toBe('2024-02-29');
    expect(isDay('2025-02-29')).toBe(false);
    expect(isDay('2025-2-01')).toBe(false);
    expect(isDay('2024-02-29')).toBe(true);
  });

  it('parses reset times and timezones strictly', () => {
    expect(parseResetTime('04:30')).toBe(270);
    expect(parseResetTime('24:00')).toBeNull();
    expect(parseResetTime('4:30')).toBeNull();
    expect(isValidTimezone('Europe/Paris')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });

  it('corrects a client clock by the server offset measured from one round trip', () => {
    const offset = clockOffset({ sentAt: 1_000, serverTime: 61_100, receivedAt: 1_200 });
    expect(offset).toBe(60_000);
    expect(correctedNow(5_000, offset)).toBe(65_000);
  });
});
