import { describe, expect, it } from 'vitest';
import { AppliedSeqs } from './applied-seqs.js';

describe('AppliedSeqs', () => {
  it('advances through consecutive seqs of its own appends', () => {
    const a = new AppliedSeqs(3);
    a.add(4);
    a.add(5);
    expect(a.through).toBe(5);
    expect(a.hasGap).toBe(false);
  });

  it('stops at a seq another process owns and reports the gap', () => {
    const a = new AppliedSeqs(10);
    a.add(12);
    expect(a.through).toBe(10);
    expect(a.hasGap).toBe(true);
    expect(a.highest).toBe(12);
  });

  it('closes the gap when the tail is loaded, absorbing later own seqs', () => {
    const a = new AppliedSeqs(10);
    a.add(12);
    a.add(14);
    a.advanceTo(11);
    expect(a.through).toBe(12);
    expect(a.hasGap).toBe(true);
    a.advanceTo(13);
    expect(a.through).toBe(14);
    expect(a.hasGap).toBe(false);
  });

  it('ignores seqs already covered, in any order', () => {
    const a = new AppliedSeqs(5);
    a.add(3);
    a.advanceTo(4);
    a.add(7);
    a.add(6);
    expect(a.through).toBe(7);
    expect(a.hasGap).toBe(false);
  });

  it('refuses a negative or fractional start', () => {
    expect(() => new AppliedSeqs(-1)).toThrow(RangeError);
    expect(() => new AppliedSeqs(1.5)).toThrow(RangeError);
  });
});
