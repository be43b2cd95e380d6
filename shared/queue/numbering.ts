/**
 * Ticket numbering (invariant 3, rules N1–N6 in SPEC.md).
 *
 * Numbers are shared by all services of a clinic day and come in blocks the
 * server grants from a database sequence per (clinic, day): each block
 * belongs to one issuing replica ("device": a reception tab, a server
 * instance) for one day. Blocks never overlap, a device only issues from its
 * own blocks, and it sees every entry it issued, so numbered labels are
 * unique without any coordination at issue time — offline included.
 *
 * A device that runs out while offline issues provisional labels
 * `<prefix>-<tag>-<n>`: tag = its Yjs clientID in base 36 (Yjs itself relies
 * on clientIDs being unique per doc), n counts that tag's labels of the day.
 * They contain letters after the dash, so they cannot collide with numbered
 * labels, and they are flagged `provisional` for staff. No label is ever
 * renamed: what a patient saw stays true.
 */
import type * as Y from 'yjs';
import { isDay } from './day.js';
import { entriesOfDay } from './entries.js';
import { fail, ok, type Result } from './errors.js';
import type { QueueOrigin } from './origins.js';
import { archivedMap, checkSchema, grantsMap } from './schema.js';
import type { Day, EntryView, NumberGrant } from './types.js';

export const MAX_BLOCK_SIZE = 1000;
const DEVICE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const isDeviceId = (v: unknown): v is string => typeof v === 'string' && DEVICE.test(v);
export const grantKey = (day: Day, start: number): string => `${day}/${start}`;

export const formatLabel = (prefix: string, number: number): string =>
  `${prefix}-${String(number).padStart(3, '0')}`;
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

function usedNumbers(dayEntries: readonly EntryView[]): Set<number> {
  const used = new Set<number>();
  for (const e of dayEntries) if (e.number !== null) used.add(e.number);
  return used;
}

/** The next number this device may issue today, or null if its blocks are used up. */
export function nextTicketNumber(
  doc: Y.Doc,
  device: string,
  day: Day,
  dayEntries: readonly EntryView[] = entriesOfDay(doc, day),
): number | null {
  const used = usedNumbers(dayEntries);
  for (const g of readGrants(doc, day)) {
    if (g.device !== device) continue;
    for (let n = g.start; n < g.start + g.size; n++) if (!used.has(n)) return n;
  }
  return null;
}

/** Unused numbers left in this device's blocks for the day: ask for a block when low. */
export function remainingNumbers(doc: Y.Doc, device: string, day: Day): number {
  const used = usedNumbers(entriesOfDay(doc, day));
  let free = 0;
  for (const g of readGrants(doc, day)) {
    if (g.device !== device) continue;
    for (let n = g.start; n < g.start + g.size; n++) if (!used.has(n)) free++;
  }
  return free;
}

export interface IssuedLabel {
  readonly label: string;
  readonly number: number | null;
  readonly provisional: boolean;
}

/**
 * Label for a new ticket on this replica: from its block, else provisional.
 * `dayEntries` (the day's entries) may be passed when the caller has them.
 */
export function issueLabel(
  doc: Y.Doc,
  args: { device: string | null; day: Day; prefix: string },
  dayEntries: readonly EntryView[] = entriesOfDay(doc, args.day),
): IssuedLabel {
  const number =
    args.device === null ? null : nextTicketNumber(doc, args.device, args.day, dayEntries);
  if (number !== null)
    return { label: formatLabel(args.prefix, number), number, provisional: false };
  const tag = provisionalTag(doc.clientID);
  const pattern = new RegExp(`^[A-Z]-${tag}-(\\d+)$`);
  let seq = 0;
  for (const e of dayEntries) {
    const m = pattern.exec(e.label);
    if (m) seq = Math.max(seq, Number(m[1]));
  }
  return { label: provisionalLabel(args.prefix, tag, seq + 1), number: null, provisional: true };
}
