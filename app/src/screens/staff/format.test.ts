import { describe, expect, it } from 'vitest';
import { clock, duration } from './format.js';

describe('staff time formats', () => {
  it('shows durations in whole minutes, then hours and minutes, and a dash for none', () => {
    expect(duration(59_999)).toBe('0 min');
    expect(duration(12 * 60_000 + 59_000)).toBe('12 min');
    expect(duration(65 * 60_000)).toBe('1 h 05');
    expect(duration(-5_000)).toBe('0 min');
    expect(duration(null)).toBe('—');
    expect(duration(undefined)).toBe('—');
    expect(duration(Number.NaN)).toBe('—');
  });

  it('shows a running timer as mm:ss, with hours once past one', () => {
    expect(clock(65_000)).toBe('01:05');
    expect(clock(3_725_000)).toBe('1:02:05');
    expect(clock(-1)).toBe('00:00');
  });
});
