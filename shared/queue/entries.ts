/**
 * One entry of the public doc: a Y.Map under `entries`, created in the same
 * transaction that inserts it (so no replica ever creates it twice).
 *
 * Keys:
 *   id, day, label, number, provisional, issuer, source, createdAt   written once
 *   service, priority, orderKey     independent, last writer wins per key
 *   state                           EntryState as one plain value (atomic)
 *   call:<round>:<room>             CallClaim, one per room calling in a round
 *
 * Invariant 4 lives here: the room an entry is called to is the earliest
 * claim of its current round — ordered by (at, room, client) — which every
 * replica computes identically from the merged doc, whatever the order in
 * which the claims arrived and whichever `state` value won the merge.
 */
import * as Y from 'yjs';
import { isEntryId } from './entry-id.js';
import { isOrderKey, timeKey } from './order.js';
import { entriesMap, isRoomId, isServiceId, type EntryMap } from './schema.js';
import {
  ENTRY_SOURCES,
  ENTRY_STATUSES,
  PRIORITY_CLASSES,
  type CallClaim,
  type Day,
  type EntryId,
  type EntryIdentity,
  type EntryState,
  type EntryStatus,
  type EntryView,
  type RoomId,
  type ServiceId,
} from './types.js';

const CLAIM_PREFIX = 'call:';
const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** Statuses in which the entry is attached to a room. */
const ROOM_STATUSES: ReadonlySet<EntryStatus> = new Set([
  'called',
  'in-service',
  'done',
  'no-show',
]);

/** A ticket as issued: written once, with its first waiting state. */
export type NewEntry = EntryIdentity;

export const waitingState = (
  now: number,
  round: number,
  targetRoom: RoomId | null = null,
): EntryState => ({
  status: 'waiting',
  round,
  room: null,
  targetRoom,
  firstCalledAt: null,
  calledAt: null,
  recalls: 0,
  startedAt: null,
  finishedAt: null,
  at: now,
});

/** Must run inside a transaction; the map and its fields integrate together. */
export function insertEntry(doc: Y.Doc, entry: NewEntry, now: number): void {
  const fields: [string, unknown][] = Object.entries(entry);
  fields.push(['state', { ...waitingState(now, 0) }]);
  entriesMap(doc).set(entry.id, new Y.Map<unknown>(fields));
}

export const entryMap = (doc: Y.Doc, id: EntryId): EntryMap | undefined => entriesMap(doc).get(id);

export function writeState(map: EntryMap, state: EntryState): void {
  map.set('state', { ...state });
}

export function writeClaim(map: EntryMap, claim: CallClaim): void {
  map.set(`${CLAIM_PREFIX}${claim.round}:${claim.room}`, { ...claim });
}

// ---- reading ----------------------------------------------------------------

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  (list as readonly unknown[]).includes(v);
const numOrNull = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
const roomOrNull = (v: unknown): RoomId | null => (isRoomId(v) ? v : null);

export function readState(raw: unknown, createdAt: number): EntryState {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    status: isOneOf(ENTRY_STATUSES, r.status) ? r.status : 'waiting',
    round: typeof r.round === 'number' && Number.isInteger(r.round) && r.round >= 0 ? r.round : 0,
    room: roomOrNull(r.room),
    targetRoom: roomOrNull(r.targetRoom),
    firstCalledAt: numOrNull(r.firstCalledAt),
    calledAt: numOrNull(r.calledAt),
    recalls: typeof r.recalls === 'number' && r.recalls >= 0 ? r.recalls : 0,
    startedAt: numOrNull(r.startedAt),
    finishedAt: numOrNull(r.finishedAt),
    at: numOrNull(r.at) ?? createdAt,
  };
}

export function readClaims(map: EntryMap): CallClaim[] {
  const out: CallClaim[] = [];
  for (const key of map.keys()) {
    if (!key.startsWith(CLAIM_PREFIX)) continue;
    const raw = map.get(key);
    if (typeof raw !== 'object' || raw === null) continue;
    const r = raw as Record<string, unknown>;
    if (
      !isRoomId(r.room) ||
      typeof r.round !== 'number' ||
      typeof r.at !== 'number' ||
      typeof r.client !== 'number'
    )
      continue;
    out.push({ room: r.room, round: r.round, at: r.at, client: r.client });
  }
  return out.sort(compareClaims);
}

/** Earliest call wins; same millisecond: room id, then Yjs client id. */
export function compareClaims(a: CallClaim, b: CallClaim): number {
  return a.at - b.at || (a.room < b.room ? -1 : a.room > b.room ? 1 : 0) || a.client - b.client;
}

export function winningClaim(claims: readonly CallClaim[], round: number): CallClaim | null {
  let best: CallClaim | null = null;
  for (const c of claims)
    if (c.round === round && (best === null || compareClaims(c, best) < 0)) best = c;
  return best;
}

/** Plain view of an entry map, or null if it is not a well-formed entry. */
export function readEntry(map: EntryMap): EntryView | null {
  const id = map.get('id');
  const day = map.get('day');
  const createdAt = map.get('createdAt');
  // The day was a valid calendar date when written; a shape check is enough here (hot path).
  if (
    !isEntryId(id) ||
    typeof day !== 'string' ||
    !DAY_SHAPE.test(day) ||
    typeof createdAt !== 'number'
  )
    return null;
  const state = readState(map.get('state'), createdAt);
  const claims = readClaims(map);
  const orderKey = map.get('orderKey');
  const service = map.get('service');
  const priority = map.get('priority');
  const source = map.get('source');
  const number = map.get('number');
  const room = ROOM_STATUSES.has(state.status)
    ? (winningClaim(claims, state.round)?.room ?? state.room)
    : null;
  return {
    id,
    day: day as Day,
    label: typeof map.get('label') === 'string' ? (map.get('label') as string) : '?',
    number: typeof number === 'number' ? number : null,
    provisional: map.get('provisional') === true,
    issuer: typeof map.get('issuer') === 'string' ? (map.get('issuer') as string) : '',
    source: isOneOf(ENTRY_SOURCES, source) ? source : 'walk-in',
    createdAt,
    service: isServiceId(service) ? service : ('main' as ServiceId),
    priority: isOneOf(PRIORITY_CLASSES, priority) ? priority : 'normal',
    // A malformed key still sorts the same way everywhere: by creation time.
    orderKey: isOrderKey(orderKey) ? orderKey : timeKey(createdAt),
    status: state.status,
    round: state.round,
    room,
    targetRoom: state.targetRoom,
    firstCalledAt: state.firstCalledAt,
    calledAt: state.calledAt,
    recalls: state.recalls,
    startedAt: state.startedAt,
    finishedAt: state.finishedAt,
    updatedAt: state.at,
    claims,
  };
}

export function getEntry(doc: Y.Doc, id: EntryId): EntryView | null {
  const map = entryMap(doc, id);
  return map ? readEntry(map) : null;
}

const byCreation = (a: EntryView, b: EntryView): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Entries of one day (all statuses), by creation time then id: a canonical
 * order, since Y.Map iteration order differs between replicas.
 */
export function entriesOfDay(doc: Y.Doc, day: Day): EntryView[] {
  const out: EntryView[] = [];
  entriesMap(doc).forEach((map) => {
    // Cheap check first: the live doc may still hold yesterday's entries.
    if (map instanceof Y.Map && map.get('day') === day) {
      const view = readEntry(map);
      if (view) out.push(view);
    }
  });
  return out.sort(byCreation);
}

/** Every live entry, by creation time then id. */
export function allEntries(doc: Y.Doc): EntryView[] {
  const out: EntryView[] = [];
  entriesMap(doc).forEach((map) => {
    const view = map instanceof Y.Map ? readEntry(map) : null;
    if (view) out.push(view);
  });
  return out.sort(byCreation);
}

export const stateOf = (view: EntryView): EntryState => ({
  status: view.status,
  round: view.round,
  room: view.room,
  targetRoom: view.targetRoom,
  firstCalledAt: view.firstCalledAt,
  calledAt: view.calledAt,
  recalls: view.recalls,
  startedAt: view.startedAt,
  finishedAt: view.finishedAt,
  at: view.updatedAt,
});
