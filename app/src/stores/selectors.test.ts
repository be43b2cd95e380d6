import { describe, expect, it } from 'vitest';
import { createSelector, selectorFamily } from './selectors.js';

interface S {
  readonly items: readonly number[];
  readonly limit: number;
  readonly other: string;
}

describe('createSelector', () => {
  it('computes once per distinct inputs, whatever else changed in the state', () => {
    let runs = 0;
    const select = createSelector([(s: S) => s.items, (s: S) => s.limit], (items, limit) => {
      runs++;
      return items.filter((n) => n <= limit);
    });
    const items = [1, 5, 9];
    const a = select({ items, limit: 5, other: 'a' });
    expect(a).toEqual([1, 5]);
    expect(select({ items, limit: 5, other: 'b' })).toBe(a);
    expect(runs).toBe(1);
    const b = select({ items, limit: 9, other: 'b' });
    expect(b).toEqual([1, 5, 9]);
    // Earlier inputs keep their result (two stores read alternately do not churn).
    expect(select({ items, limit: 5, other: 'c' })).toBe(a);
    expect(select({ items: [...items], limit: 5, other: 'c' })).not.toBe(a);
    expect(runs).toBe(3);
  });

  it('memoizes on primitive inputs as well', () => {
    const select = createSelector([(s: { n: number }) => s.n], (n) => ({ double: n * 2 }));
    expect(select({ n: 2 })).toBe(select({ n: 2 }));
    expect(select({ n: 3 }).double).toBe(6);
  });
});

describe('selectorFamily', () => {
  it('hands out one selector per key', () => {
    const byLimit = selectorFamily((limit: number) =>
      createSelector([(s: S) => s.items], (items) => items.filter((n) => n <= limit)),
    );
    expect(byLimit(3)).toBe(byLimit(3));
    expect(byLimit(3)).not.toBe(byLimit(4));
    const items = [1, 3, 5];
    expect(byLimit(3)({ items, limit: 0, other: '' })).toEqual([1, 3]);
    expect(byLimit(3)({ items, limit: 0, other: '' })).toBe(
      byLimit(3)({ items, limit: 0, other: 'x' }),
    );
  });
});
