/**
 * Plumbing shared by the operations: the context every operation takes, how
 * an entry is loaded and checked, and how a change is committed in exactly
 * one `doc.transact(…, origin)`.
 */
import type * as Y from 'yjs';
import { clinicDay } from './day.js';
import { entryMap, readEntry, stateOf, writeState } from './entries.js';
import { fail, ok, type Failure, type Result } from './errors.js';
import { isDayArchived } from './numbering.js';
import type { QueueOrigin } from './origins.js';
import { checkSchema, isRoomId, readRooms, type EntryMap } from './schema.js';
import type {
  ClinicView,
  Day,
  EntryId,
  EntryState,
  EntryStatus,
  EntryView,
  RandomBytes,
  RoomId,
} from './types.js';

export interface OpContext {
  /** Milliseconds since epoch, already corrected by the server clock offset. */
  readonly now: number;
  readonly origin: QueueOrigin;
  /** Issuing replica id for ticket numbers (see numbering.ts); absent = provisional labels only. */
  readonly device?: string;
  /** Adding a ticket: the number the server just issued for it (numbering.ts, rule N2). */
  readonly number?: number;
  /** Adding a ticket: reserve numbers this device is giving back and must not issue (N4). */
  readonly withheld?: ReadonlySet<number>;
  readonly randomBytes?: RandomBytes;
}

export type EntryResult = Result<{ entry: EntryView }>;

export interface Loaded {
  readonly clinic: ClinicView;
  readonly today: Day;
  readonly map: EntryMap;
  readonly entry: EntryView;
}

/**
 * Find an entry and check it may change today. Closing transitions (finish,
 * no-show, cancel) may still land on an earlier, unarchived day — late edits
 * stay in the day they belong to; anything that would put an entry back in
 * front of a room (rule D3) must be today's.
 */
export function load(
  doc: Y.Doc,
  id: EntryId,
  ctx: OpContext,
  anyLiveDay = false,
): Loaded | Failure {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  const map = entryMap(doc, id);
  const entry = map ? readEntry(map) : null;
  if (!map || !entry) return fail('not-found', `no entry ${id}`);
  const today = clinicDay(ctx.now, schema.clinic);
  if (isDayArchived(doc, entry.day)) return fail('day-archived', `day ${entry.day} is archived`);
  if (entry.day !== today && !(anyLiveDay && entry.day < today)) {
    return fail('wrong-day', `entry ${entry.label} belongs to ${entry.day}, today is ${today}`, {
      day: entry.day,
    });
  }
  return { clinic: schema.clinic, today, map, entry };
}

export function expectStatus(
  entry: EntryView,
  allowed: readonly EntryStatus[],
  op: string,
): Failure | null {
  return allowed.includes(entry.status)
    ? null
    : fail('invalid-transition', `cannot ${op} ${entry.label}: it is ${entry.status}`, {
        status: entry.status,
      });
}

/** When a room acts on a ticket, the ticket must be that room's (rule C4). */
export function expectRoom(entry: EntryView, room: RoomId | undefined): Failure | null {
  if (room === undefined || entry.room === null || entry.room === room) return null;
  return fail('conflict', `${entry.label} is with room ${entry.room ?? '—'}`, { room: entry.room });
}

/** Write a new state (and optional claim) in one transaction, return the new view. */
export function commit(
  doc: Y.Doc,
  map: EntryMap,
  ctx: OpContext,
  write: (map: EntryMap) => void,
): EntryResult {
  doc.transact(() => write(map), ctx.origin);
  const entry = readEntry(map);
  return entry ? ok({ entry }) : fail('not-found', 'entry vanished');
}

export const transition = (
  doc: Y.Doc,
  l: Loaded,
  ctx: OpContext,
  patch: Partial<EntryState>,
): EntryResult =>
  commit(doc, l.map, ctx, (m) => writeState(m, { ...stateOf(l.entry), ...patch, at: ctx.now }));

/** A configured room that is closed cannot call (rule C1). */
export function roomOpen(doc: Y.Doc, room: RoomId): Failure | null {
  if (!isRoomId(room)) return fail('invalid-argument', `invalid room id ${JSON.stringify(room)}`);
  const rooms = readRooms(doc);
  const config = rooms.find((r) => r.id === room);
  // S7: once rooms are configured, a mistyped one never becomes a phantom room on the display.
  if (!config && rooms.length > 0)
    return fail('invalid-argument', `room ${JSON.stringify(room)} is not configured`, { room });
  return config && !config.open
    ? fail('room-closed', `room ${config.name} is closed`, { room })
    : null;
}
