/**
 * Fractional order keys. Each entry carries its own rank string; a reorder
 * rewrites only the moved entry's key, so concurrent reorders can never lose
 * or duplicate an entry (a Y.Array delete+insert "move" could do both).
 *
 * Keys are base-62 strings compared as plain strings ('0'-'9' < 'A'-'Z' <
 * 'a'-'z' in ASCII), read as fractions, never ending in '0' so there is
 * always room between two keys. New entries get a key made from their
 * creation time, so tickets issued offline on several devices interleave by
 * time once merged. Equal keys (two devices, same millisecond) are broken by
 * createdAt, then entry id: every replica sorts identically.
 */
import type { EntryId, PriorityClass } from './types.js';
import { PRIORITY_CLASSES } from './types.js';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const KEY_PATTERN = /^[0-9A-Za-z]*[1-9A-Za-z]$/;

export const isOrderKey = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 200 && KEY_PATTERN.test(value);

const digit = (c: string | undefined): number => (c === undefined ? 0 : DIGITS.indexOf(c));

/** A key strictly between a ('' = -∞) and b (null = +∞). */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = digit(a[0]);
  const db = b === null ? BASE : digit(b[0]);
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)]!;
  // Adjacent first digits: take b's first digit if b continues, else extend a.
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da]! + midpoint(a.slice(1), null);
}

/** A key strictly between `a` and `b` (null = open end). Throws if a ≥ b. */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null && !isOrderKey(a)) throw new RangeError(`bad order key ${a}`);
  if (b !== null && !isOrderKey(b)) throw new RangeError(`bad order key ${b}`);
  if (a !== null && b !== null && a >= b) throw new RangeError(`${a} >= ${b}`);
  return midpoint(a ?? '', b);
}

/**
 * A key just above `max`, which must be the greatest key in use: grows by one
 * character every few calls instead of jumping far ahead, so later
 * time-based keys still sort after it.
 */
export function keyAfterMax(max: string): string {
  return max.slice(0, -1) + midpoint(max.slice(-1), null);
}

/** Fixed-width base-62 of a millisecond time (8 digits last until year 8900) + 'V'. */
export function timeKey(now: number): string {
  let n = Math.max(0, Math.floor(now));
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = DIGITS[n % BASE]! + out;
    n = Math.floor(n / BASE);
  }
  return out + 'V';
}

/** Key for a new entry: its time key, unless an existing key already sorts after it. */
export function appendKey(now: number, max: string | null): string {
  const key = timeKey(now);
  return max === null || key > max ? key : keyAfterMax(max);
}

export const priorityRank = (p: PriorityClass): number => PRIORITY_CLASSES.indexOf(p);

export interface Orderable {
  readonly id: EntryId;
  readonly priority: PriorityClass;
  readonly orderKey: string;
  readonly createdAt: number;
}

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Within one priority class: key, then creation time, then id. */
export const compareKeys = (a: Orderable, b: Orderable): number =>
  cmp(a.orderKey, b.orderKey) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);

/** The waiting-list order: priority class first, then the fractional order. */
export const compareQueueOrder = (a: Orderable, b: Orderable): number =>
  cmp(priorityRank(a.priority), priorityRank(b.priority)) || compareKeys(a, b);

/**
 * Key that puts an entry right before (or after) `target` within `peers`
 * (the target's priority class, the moved entry excluded, sorted by
 * `compareKeys`). Peers tied on the target's key are stepped over, so the
 * result is always strictly before (after) the target on every replica.
 */
export function keyNextTo(
  peers: readonly Orderable[],
  target: Orderable,
  side: 'before' | 'after',
): string {
  if (side === 'before') {
    let lower: string | null = null;
    for (const p of peers)
      if (p.orderKey < target.orderKey && (lower === null || p.orderKey > lower))
        lower = p.orderKey;
    return keyBetween(lower, target.orderKey);
  }
  let upper: string | null = null;
  for (const p of peers)
    if (p.orderKey > target.orderKey && (upper === null || p.orderKey < upper)) upper = p.orderKey;
  return upper === null ? keyAfterMax(target.orderKey) : keyBetween(target.orderKey, upper);
}
