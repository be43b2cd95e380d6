/**
 * Ticket numbering (invariant 3, rules N1–N8 in SPEC.md).
 *
 * Numbers are one counter per clinic day, shared by all services, kept by
 * the server in its database (`day_counters`, plus a pool of numbers given
 * back). A connected device asks the server for each ticket's number; the
 * server hands it out one by one. So that a slow or missing network never
 * blocks a receptionist, a device also holds a reserve of at most
 * `MAX_RESERVE` numbers: grants the server writes into the public doc
 * (`grantNumberBlock`), so every replica knows whose numbers are whose. The
 * reserve is given back when the device is idle: the device first stops
 * using those numbers (it keeps them `withheld`), then the server removes
 * the grants (`releaseNumbers`) and pools them for the next tickets — no
 * hole, no number issued twice.
 *
 * A device offline with an empty reserve issues a short series of its own,
 * `<prefix>-<tag><n>` (`A-K1`): the tag (one or two letters) is assigned
 * by the server to that device for the day (`assignDeviceTag`), so no other
 * device can issue it, and the label cannot collide with a number (digits
 * only). Such tickets are flagged `provisional` for staff. A device that
 * never reached the server today has no tag: it falls back to
 * `<prefix>-<clientID base 36>-<n>` (Yjs relies on clientIDs being unique
 * per doc). No label is ever renamed: what a patient saw stays true.
 */
import type * as Y from 'yjs';
import { isDay } from './day.js';
import { entriesOfDay } from './entries.js';
import { fail, ok, type Result } from './errors.js';
import type { QueueOrigin } from './origins.js';
import { archivedMap, checkSchema, grantsMap } from './schema.js';
import type { Day, EntryView, NumberGrant } from './types.js';

export const MAX_BLOCK_SIZE = 1000;
/** Numbers a device keeps in reserve for a slow or missing network (N3). */
export const MAX_RESERVE = 3;
const DEVICE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** Device tags: letters only (so `A-K12` reads tag K, ticket 12), never I or O. */
const TAG = /^[A-HJ-NP-Z]{1,2}$/;
const TAG_LETTERS = 'KMNPRSTUVWXYZABCDEFGHJLQ';

export const isDeviceId = (v: unknown): v is string => typeof v === 'string' && DEVICE.test(v);
export const isDeviceTag = (v: unknown): v is string => typeof v === 'string' && TAG.test(v);
export const grantKey = (day: Day, start: number): string => `${day}/${start}`;
const tagKey = (day: Day, device: string): string => `${day}/tag/${device}`;

/** The n-th device tag of a day (0-based): K, M, N… then KK, KM…; null past the last. */
export function deviceTagAt(index: number): string | null {
  const n = TAG_LETTERS.length;
  if (!Number.isInteger(index) || index < 0) return null;
  if (index < n) return TAG_LETTERS[index]!;
  const i = index - n;
  if (i >= n * n) return null;
  return TAG_LETTERS[Math.floor(i / n)]! + TAG_LETTERS[i % n]!;
}

export const formatLabel = (prefix: string, number: number): string =>
  `${prefix}-${String(number).padStart(3, '0')}`;
export const taggedLabel = (prefix: string, tag: string, seq: number): string =>
  `${prefix}-${tag}${seq}`;
export const provisionalTag = (clientID: number): string =>
  (clientID >>> 0).toString(36).toUpperCase();
export const provisionalLabel = (prefix: string, tag: string, seq: number): string =>
  `${prefix}-${tag}-${seq}`;

function readGrant(raw: unknown): NumberGrant | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  // Shape check only: the day was validated when the grant was written (hot path).
  if (!isDeviceId(r.device) || typeof r.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.day))
    return null;
  if (
    !Number.isInteger(r.start) ||
    !Number.isInteger(r.size) ||
    (r.start as number) < 1 ||
    (r.size as number) < 1
  )
    return null;
  return {
    device: r.device,
    day: r.day as Day,
    start: r.start as number,
    size: r.size as number,
    grantedAt: typeof r.grantedAt === 'number' ? r.grantedAt : 0,
  };
}

/** Grants of a day (all days when omitted), by start. */
export function readGrants(doc: Y.Doc, day?: Day): NumberGrant[] {
  const out: NumberGrant[] = [];
  grantsMap(doc).forEach((raw) => {
    const g = readGrant(raw);
    if (g && (day === undefined || g.day === day)) out.push(g);
  });
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.start - b.start));
}

/** Every key of the grants map that belongs to `day` (grants and device tags): archiving removes them. */
export function numberingKeys(doc: Y.Doc, day: Day): string[] {
  const keys: string[] = [];
  const prefix = `${day}/`;
  grantsMap(doc).forEach((_, key) => {
    if (key.startsWith(prefix)) keys.push(key);
  });
  return keys;
}

/** The tag the server assigned to `device` for `day`, or null. */
export function deviceTag(doc: Y.Doc, device: string, day: Day): string | null {
  const raw = grantsMap(doc).get(tagKey(day, device)) as { tag?: unknown } | undefined;
  return raw && isDeviceTag(raw.tag) ? raw.tag : null;
}

export const isDayArchived = (doc: Y.Doc, day: Day): boolean => archivedMap(doc).has(day);

export interface GrantArgs {
  readonly device: string;
  readonly day: Day;
  readonly start: number;
  readonly size: number;
}

/**
 * Server only: record a block taken from the database sequence. Idempotent
 * for the same block; refuses a block overlapping another one of the day
 * (that would mean the sequence is broken, never something to paper over).
 */
export function grantNumberBlock(
  doc: Y.Doc,
  args: GrantArgs,
  ctx: { readonly now: number; readonly origin: QueueOrigin },
): Result<{ grant: NumberGrant }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  if (!isDeviceId(args.device)) return fail('invalid-argument', 'invalid device id');
  if (!isDay(args.day)) return fail('invalid-argument', 'invalid day');
  if (!Number.isInteger(args.start) || args.start < 1)
    return fail('invalid-argument', 'block start must be an integer ≥ 1');
  if (!Number.isInteger(args.size) || args.size < 1 || args.size > MAX_BLOCK_SIZE) {
    return fail('invalid-argument', `block size must be 1–${MAX_BLOCK_SIZE}`);
  }
  if (isDayArchived(doc, args.day)) return fail('day-archived', `day ${args.day} is archived`);
  const existing = readGrant(grantsMap(doc).get(grantKey(args.day, args.start)));
  if (existing && existing.device === args.device && existing.size === args.size)
    return ok({ grant: existing });
  const end = args.start + args.size;
  for (const g of readGrants(doc, args.day)) {
    if (g.start < end && args.start < g.start + g.size) {
      return fail(
        'invalid-argument',
        `block ${args.start}+${args.size} overlaps ${g.start}+${g.size}`,
        {
          start: g.start,
        },
      );
    }
  }
  const grant: NumberGrant = { ...args, grantedAt: ctx.now };
  doc.transact(() => grantsMap(doc).set(grantKey(args.day, args.start), { ...grant }), ctx.origin);
  return ok({ grant });
}

/**
 * Server only: a device gives back numbers of its reserve (it has already
 * stopped using them). Removes them from the device's grants — splitting a
 * block around them — and answers which ones were really released: granted
 * to that device, and used by no ticket this replica knows of. Only those
 * may go back to the pool. Idempotent: a second call releases nothing.
 */
export function releaseNumbers(
  doc: Y.Doc,
  args: { readonly device: string; readonly day: Day; readonly numbers: readonly number[] },
  ctx: { readonly now: number; readonly origin: QueueOrigin },
): Result<{ released: number[] }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  if (!isDeviceId(args.device)) return fail('invalid-argument', 'invalid device id');
  if (!isDay(args.day)) return fail('invalid-argument', 'invalid day');
  if (isDayArchived(doc, args.day)) return ok({ released: [] });
  const used = usedNumbers(entriesOfDay(doc, args.day));
  const wanted = new Set(args.numbers.filter((n) => Number.isInteger(n) && !used.has(n)));
  const released: number[] = [];
  const rewrites: { drop: NumberGrant; keep: GrantArgs[] }[] = [];
  for (const g of readGrants(doc, args.day)) {
    if (g.device !== args.device) continue;
    const keep: GrantArgs[] = [];
    let from = g.start;
    let hit = false;
    for (let n = g.start; n < g.start + g.size; n++) {
      if (!wanted.has(n)) continue;
      hit = true;
      released.push(n);
      if (n > from) keep.push({ device: g.device, day: g.day, start: from, size: n - from });
      from = n + 1;
    }
    if (!hit) continue;
    if (from < g.start + g.size)
      keep.push({ device: g.device, day: g.day, start: from, size: g.start + g.size - from });
    rewrites.push({ drop: g, keep });
  }
  if (rewrites.length > 0) {
    doc.transact(() => {
      const map = grantsMap(doc);
      for (const { drop, keep } of rewrites) {
        map.delete(grantKey(drop.day, drop.start));
        for (const k of keep)
          map.set(grantKey(k.day, k.start), { ...k, grantedAt: drop.grantedAt });
      }
    }, ctx.origin);
  }
  return ok({ released: released.sort((a, b) => a - b) });
}

/**
 * Server only: the device's tag for the day's offline series. The tag comes
 * from a per-day database counter, so no two devices share one; assigning
 * again keeps the first.
 */
export function assignDeviceTag(
  doc: Y.Doc,
  args: { readonly device: string; readonly day: Day; readonly tag: string },
  ctx: { readonly now: number; readonly origin: QueueOrigin },
): Result<{ tag: string }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  if (!isDeviceId(args.device)) return fail('invalid-argument', 'invalid device id');
  if (!isDay(args.day)) return fail('invalid-argument', 'invalid day');
  if (!isDeviceTag(args.tag)) return fail('invalid-argument', `invalid device tag ${args.tag}`);
  if (isDayArchived(doc, args.day)) return fail('day-archived', `day ${args.day} is archived`);
  const existing = deviceTag(doc, args.device, args.day);
  if (existing !== null) return ok({ tag: existing });
  doc.transact(
    () =>
      grantsMap(doc).set(tagKey(args.day, args.device), {
        device: args.device,
        day: args.day,
        tag: args.tag,
        assignedAt: ctx.now,
      }),
    ctx.origin,
  );
  return ok({ tag: args.tag });
}

function usedNumbers(dayEntries: readonly EntryView[]): Set<number> {
  const used = new Set<number>();
  for (const e of dayEntries) if (e.number !== null) used.add(e.number);
  return used;
}

/** Numbers a device may not issue: the ones it is giving back (see `releaseNumbers`). */
export type Withheld = ReadonlySet<number>;
const NONE: Withheld = new Set();

/** This device's reserve for the day: granted, unused, not withheld; lowest first. */
export function reserveNumbers(
  doc: Y.Doc,
  device: string,
  day: Day,
  withheld: Withheld = NONE,
  dayEntries: readonly EntryView[] = entriesOfDay(doc, day),
): number[] {
  const used = usedNumbers(dayEntries);
  const out: number[] = [];
  for (const g of readGrants(doc, day)) {
    if (g.device !== device) continue;
    for (let n = g.start; n < g.start + g.size; n++)
      if (!used.has(n) && !withheld.has(n)) out.push(n);
  }
  return out;
}

/** The next number this device may issue today from its reserve, or null. */
export function nextTicketNumber(
  doc: Y.Doc,
  device: string,
  day: Day,
  dayEntries: readonly EntryView[] = entriesOfDay(doc, day),
  withheld: Withheld = NONE,
): number | null {
  return reserveNumbers(doc, device, day, withheld, dayEntries)[0] ?? null;
}

/** Numbers left in this device's reserve for the day. */
export function remainingNumbers(
  doc: Y.Doc,
  device: string,
  day: Day,
  withheld: Withheld = NONE,
): number {
  return reserveNumbers(doc, device, day, withheld).length;
}

export interface IssuedLabel {
  readonly label: string;
  readonly number: number | null;
  readonly provisional: boolean;
}

export interface IssueArgs {
  readonly device: string | null;
  readonly day: Day;
  readonly prefix: string;
  /** A number the server just issued for this ticket (N2). */
  readonly number?: number;
  readonly withheld?: Withheld;
}

/**
 * Label for a new ticket on this replica: the number the server issued, else
 * the device's reserve, else its tagged series, else the clientID series.
 * Null when `number` is not a number this replica may write (malformed, or
 * already on another ticket of the day).
 */
export function issueLabel(
  doc: Y.Doc,
  args: IssueArgs,
  dayEntries: readonly EntryView[] = entriesOfDay(doc, args.day),
): IssuedLabel | null {
  if (args.number !== undefined) {
    if (!Number.isSafeInteger(args.number) || args.number < 1) return null;
    if (dayEntries.some((e) => e.number === args.number)) return null;
    return {
      label: formatLabel(args.prefix, args.number),
      number: args.number,
      provisional: false,
    };
  }
  const number =
    args.device === null
      ? null
      : nextTicketNumber(doc, args.device, args.day, dayEntries, args.withheld);
  if (number !== null)
    return { label: formatLabel(args.prefix, number), number, provisional: false };
  const tag = args.device === null ? null : deviceTag(doc, args.device, args.day);
  const pattern =
    tag !== null
      ? new RegExp(`^[A-Z]-${tag}(\\d+)$`)
      : new RegExp(`^[A-Z]-${provisionalTag(doc.clientID)}-(\\d+)$`);
  let seq = 0;
  for (const e of dayEntries) {
    const m = pattern.exec(e.label);
    if (m) seq = Math.max(seq, Number(m[1]));
  }
  return {
    label:
      tag !== null
        ? taggedLabel(args.prefix, tag, seq + 1)
        : provisionalLabel(args.prefix, provisionalTag(doc.clientID), seq + 1),
    number: null,
    provisional: true,
  };
}
