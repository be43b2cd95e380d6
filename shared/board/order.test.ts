import { describe, expect, it } from 'vitest';
import { compareOrdered, isOrderKey, jitteredKeyBetween, keyAt, type Ordered } from './order.js';
import { mulberry32 } from './test-support/fixtures.js';

const rand = mulberry32(42);
const peers = (...orders: string[]): Ordered[] =>
  orders.map((order, i) => ({ id: `p${i}`, order })).sort(compareOrdered);

describe('B5: jittered fractional keys', () => {
  it('B5: a key lands strictly between its neighbours, valid', () => {
    for (const [a, b] of [
      [null, null],
      [null, 'V'],
      ['V', null],
      ['A', 'B'],
      ['A', 'B5'],
      ['B', 'B1'],
      ['Vz', 'W'],
    ] as const) {
      for (let i = 0; i < 200; i++) {
        const key = jitteredKeyBetween(a, b, rand);
        expect(isOrderKey(key), key).toBe(true);
        if (a !== null) expect(key > a, `${key} > ${a}`).toBe(true);
        if (b !== null) expect(key < b, `${key} < ${b}`).toBe(true);
      }
    }
  });

  it('B5: two devices inserting at the same place almost never pick the same key', () => {
    const keys = new Set<string>();
    for (let seed = 0; seed < 500; seed++) keys.add(jitteredKeyBetween('A', 'B', mulberry32(seed)));
    expect(keys.size).toBeGreaterThan(450);
  });

  it('B5: keyAt places at an index, appends past the end, and steps over ties', () => {
    const list = peers('A', 'C', 'E');
    expect(keyAt(list, 0, rand) < 'A').toBe(true);
    const mid = keyAt(list, 1, rand);
    expect(mid > 'A' && mid < 'C').toBe(true);
    expect(keyAt(list, 99, rand) > 'E').toBe(true);
    expect(keyAt(list, undefined, rand) > 'E').toBe(true);
    const tied = peers('A', 'C', 'C', 'E');
    const k = keyAt(tied, 2, rand);
    expect(k > 'C' && k < 'E').toBe(true);
    const broken = peers('', '', 'C');
    const k2 = keyAt(broken, 1, rand);
    expect(isOrderKey(k2) && k2 < 'C').toBe(true);
  });

  it('B5: keys stay short over a thousand inserts at the end and at the front', () => {
    let list: Ordered[] = [];
    for (let i = 0; i < 1000; i++) {
      const order = keyAt(list, i % 2 === 0 ? list.length : 0, rand);
      list = [...list, { id: `c${i}`, order }].sort(compareOrdered);
    }
    expect(Math.max(...list.map((p) => p.order.length))).toBeLessThan(40);
  });

  it('B5: keys stay valid over many inserts into one gap', () => {
    let list = peers('A', 'B');
    for (let i = 0; i < 300; i++) {
      const order = keyAt(list, 1, rand);
      expect(isOrderKey(order)).toBe(true);
      list = [...list, { id: `c${i}`, order }].sort(compareOrdered);
    }
    expect(new Set(list.map((p) => p.order)).size).toBe(list.length);
  });
});
