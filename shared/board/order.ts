/**
 * Order of columns, cards and checklist items (rule B5): a fractional key per
 * item (base 62, `shared/queue/order.ts`), sorted by (order, id). A move
 * rewrites only the moved item's key. Keys are jittered: a few random digits
 * follow the midpoint, so two offline devices inserting at the same place
 * almost never write the same key; when they do, the id breaks the tie on
 * every replica alike.
 */
import { isOrderKey, keyBetween } from '../queue/order.js';

export { isOrderKey };

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const JITTER_DIGITS = 2;

export interface Ordered {
  readonly id: string;
  readonly order: string;
}

/** Sort key of a stored value: a malformed order sorts first, never crashes (B5). */
export const orderOf = (value: unknown): string => (isOrderKey(value) ? value : '');

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const compareOrdered = (a: Ordered, b: Ordered): number =>
  cmp(a.order, b.order) || cmp(a.id, b.id);

function jitter(random: () => number): string {
  let out = '';
  for (let i = 0; i < JITTER_DIGITS - 1; i++) out += DIGITS[Math.floor(random() * 62) % 62];
  return out + DIGITS[1 + (Math.floor(random() * 61) % 61)];
}

const digit = (c: string): number => DIGITS.indexOf(c);

/** A short key just above `a`: bumps the first digit that can grow ('V' → 'W', 'zz' → 'zzV'). */
export function keyAfter(a: string): string {
  for (let i = 0; i < a.length; i++) {
    const d = digit(a[i]!);
    if (d < DIGITS.length - 1) return a.slice(0, i) + DIGITS[d + 1];
  }
  return a + 'V';
}

/** A short key just below `b` (a valid key: never ends in '0'). */
export function keyBefore(b: string): string {
  const d = digit(b[0]!);
  if (d >= 2) return DIGITS[d - 1]!;
  if (d === 1) return b.length > 1 ? '1' : '0V';
  return '0' + keyBefore(b.slice(1));
}

/**
 * A random key strictly between `lower` and `upper` (null = open end).
 * Appending or prepending steps one digit (keys stay short over thousands
 * of additions at an end); a key between two others is their midpoint.
 */
export function jitteredKeyBetween(
  lower: string | null,
  upper: string | null,
  random: () => number,
): string {
  let mid =
    lower !== null && upper === null
      ? keyAfter(lower)
      : lower === null && upper !== null
        ? keyBefore(upper)
        : keyBetween(lower, upper);
  for (let attempt = 0; attempt < 8; attempt++) {
    const key = mid + jitter(random);
    // mid + digits > mid > lower always; it can pass upper when mid is a prefix of upper.
    if ((upper === null || key < upper) && isOrderKey(key)) return key;
    mid = keyBetween(mid, upper);
  }
  return keyBetween(lower, upper);
}

/** Whether `self` already sits at `index` among `peers` (itself excluded): a move there is a no-op. */
export function isAt(peers: readonly Ordered[], self: Ordered, index: number | undefined): boolean {
  const at = index === undefined ? peers.length : Math.max(0, Math.min(index, peers.length));
  return peers.filter((p) => compareOrdered(p, self) < 0).length === at;
}

/**
 * Key that puts an item at `index` among `peers` (sorted by compareOrdered,
 * the moved item excluded); an index past the end appends. Peers tied on a
 * key, or with a malformed one, are stepped over so the call never fails.
 */
export function keyAt(
  peers: readonly Ordered[],
  index: number | undefined,
  random: () => number,
): string {
  const at = index === undefined ? peers.length : Math.max(0, Math.min(index, peers.length));
  // A malformed key reads as '' and sorts first: nothing valid sorts before it.
  const lower: string | null = at > 0 ? peers[at - 1]!.order || null : null;
  let upper: string | null =
    at < peers.length ? peers[at]!.order || (peers.find((p) => p.order)?.order ?? null) : null;
  if (lower !== null && upper !== null && lower >= upper) {
    // A tie (or a malformed neighbour): go just after `lower`, before the next greater key.
    const l = lower;
    upper = peers.map((p) => p.order).find((o) => o > l) ?? null;
  }
  try {
    return jitteredKeyBetween(lower, upper, random);
  } catch {
    // Unreachable with valid keys; a corrupt neighbour must not stop the user.
    const max = peers.reduce<string | null>(
      (m, p) => (p.order && (m === null || p.order > m) ? p.order : m),
      null,
    );
    return jitteredKeyBetween(max, null, random);
  }
}
