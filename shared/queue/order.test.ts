import { describe, expect, it } from 'vitest';
import type { EntryId } from '../ids.js';
import {
  appendKey,
  compareKeys,
  compareQueueOrder,
  isOrderKey,
  keyBetween,
  keyNextTo,
  timeKey,
  type Orderable,
} from './order.js';
import { mulberry32 } from './test-support/fixtures.js';

const item = (
  id: string,
  orderKey: string,
  createdAt = 0,
  priority: Orderable['priority'] = 'normal',
): Orderable => ({
  id: id as EntryId,
  orderKey,
  createdAt,
  priority,
});

describe('fractional order keys (rule O1)', () => {
  it('always finds a key strictly between two keys, however often it is asked', () => {
    const rand = mulberry32(7);
    const keys = [keyBetween(null, null)];
    for (let i = 0; i < 2000; i++) {
      const sorted = [...keys].sort();
      const at = Math.floor(rand() * (sorted.length + 1));
      const lo = at === 0 ? null : sorted[at - 1]!;
      const hi = at === sorted.length ? null : sorted[at]!;
      const k = keyBetween(lo, hi);
      expect(isOrderKey(k)).toBe(true);
      if (lo !== null) expect(k > lo).toBe(true);
      if (hi !== null) expect(k < hi).toBe(true);
      keys.push(k);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rejects bounds in the wrong order', () => {
    expect(() => keyBetween('b', 'a')).toThrow(RangeError);
    expect(() => keyBetween('a', 'a')).toThrow(RangeError);
  });

  it('makes time keys that sort like the times they encode', () => {
    const times = [0, 1, 61, 62, 1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000];
    const keys = times.map(timeKey);
    expect([...keys].sort()).toEqual(keys);
    expect(keys.every(isOrderKey)).toBe(true);
  });

  it('appends after an existing key even when the clock is behind it', () => {
    const max = timeKey(2_000);
    const k = appendKey(1_000, max);
    expect(k > max).toBe(true);
    expect(appendKey(3_000, max)).toBe(timeKey(3_000));
    // …and later time keys still sort after the stepped key.
    expect(timeKey(2_001) > k).toBe(true);
  });

  it('breaks equal keys by creation time, then id', () => {
    const a = item('b', 'V', 1);
    const b = item('a', 'V', 2);
    const c = item('c', 'V', 2);
    expect([c, b, a].sort(compareKeys).map((x) => x.id)).toEqual(['b', 'a', 'c']);
  });

  it('sorts by priority class before order key', () => {
    const list = [item('n', 'A'), item('u', 'z', 0, 'urgent'), item('p', 'B', 0, 'priority')];
    expect(list.sort(compareQueueOrder).map((x) => x.id)).toEqual(['u', 'p', 'n']);
  });

  it('places a key before or after a target even among tied keys', () => {
    const peers = [item('a', 'K'), item('b', 'V', 1), item('c', 'V', 2), item('d', 'f')].sort(
      compareKeys,
    );
    const target = peers[2]!; // c, tied with b
    const before = keyNextTo(peers, target, 'before');
    const after = keyNextTo(peers, target, 'after');
    const moved = (k: string) =>
      [...peers, item('x', k, 99)].sort(compareKeys).map((p) => p.id as string);
    expect(moved(before).indexOf('x')).toBeLessThan(moved(before).indexOf('c'));
    expect(moved(after).indexOf('x')).toBeGreaterThan(moved(after).indexOf('c'));
    expect(moved(after).indexOf('x')).toBeLessThan(moved(after).indexOf('d'));
    expect(keyNextTo(peers, peers[3]!, 'after') > 'f').toBe(true);
    expect(keyNextTo(peers, peers[0]!, 'before') < 'K').toBe(true);
  });
});
