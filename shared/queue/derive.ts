/**
 * Derived views (invariant 5): pure functions of the public doc and a clock,
 * so the patient page, the display and reception compute the same numbers.
 *
 * Estimated wait (rule W1 in SPEC.md):
 *   ahead   = entries before this one in its service's waiting list
 *   rooms   = open configured rooms that call from this service; if no room
 *             is configured, the distinct rooms that called a ticket of the
 *             day in the last hour; at least 1
 *   service = mean (finishedAt − startedAt) of the last 5 finished tickets
 *             of this service today, else of any service today, else the
 *             service's configured default minutes
 *   wait    = round(ahead × service / rooms)
 */
import type * as Y from 'yjs';
import { clinicDay } from './day.js';
import { entriesOfDay, getEntry, winningClaim } from './entries.js';
import { compareQueueOrder } from './order.js';
import { DEFAULT_SERVICE_MINUTES, findService, readClinic, readRooms } from './schema.js';
import type { CallClaim, Day, EntryId, EntryView, RoomConfig, RoomId, ServiceId } from './types.js';

export const RECENT_SERVICE_SAMPLES = 5;
export const ROOM_ACTIVITY_WINDOW_MS = 60 * 60_000;

/** Today's clinic day, or null before the doc is seeded. */
export function currentDay(doc: Y.Doc, now: number): Day | null {
  const clinic = readClinic(doc);
  return clinic ? clinicDay(now, clinic) : null;
}

/** Can this room call this entry (its services, a transfer's target room)? */
export function roomServes(
  room: RoomId,
  config: RoomConfig | undefined,
  entry: EntryView,
  services?: readonly ServiceId[],
): boolean {
  if (entry.targetRoom !== null && entry.targetRoom !== room) return false;
  const allowed = services ?? config?.services ?? null;
  return allowed === null || allowed.includes(entry.service);
}

export interface WaitingFilter {
  readonly service?: ServiceId;
  /** Only what this room may call: its configured services and transfers to it. */
  readonly room?: RoomId;
  /** Overrides the room's configured services. */
  readonly services?: readonly ServiceId[];
}

/** Today's waiting entries, priority class first, then order key. */
export function waitingList(doc: Y.Doc, now: number, filter: WaitingFilter = {}): EntryView[] {
  const day = currentDay(doc, now);
  return day === null ? [] : waitingAmong(doc, entriesOfDay(doc, day), filter);
}

/** The waiting list among given entries of one day (ops reuse it with entries they already read). */
export function waitingAmong(
  doc: Y.Doc,
  dayEntries: readonly EntryView[],
  filter: WaitingFilter,
): EntryView[] {
  const roomConfig =
    filter.room === undefined ? undefined : readRooms(doc).find((r) => r.id === filter.room);
  return dayEntries
    .filter(
      (e) =>
        e.status === 'waiting' &&
        (filter.service === undefined || e.service === filter.service) &&
        (filter.room === undefined || roomServes(filter.room, roomConfig, e, filter.services)),
    )
    .sort(compareQueueOrder);
}

/** 1-based place in its service's waiting list; null unless waiting today. */
export function position(doc: Y.Doc, entryId: EntryId, now: number): number | null {
  const entry = getEntry(doc, entryId);
  if (!entry || entry.status !== 'waiting') return null;
  const index = waitingList(doc, now, { service: entry.service }).findIndex(
    (e) => e.id === entryId,
  );
  return index < 0 ? null : index + 1;
}

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

function recentServiceDurations(entries: readonly EntryView[]): number[] {
  return entries
    .filter(
      (e) =>
        e.status === 'done' &&
        e.startedAt !== null &&
        e.finishedAt !== null &&
        e.finishedAt >= e.startedAt,
    )
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || (a.id < b.id ? -1 : 1))
    .slice(0, RECENT_SERVICE_SAMPLES)
    .map((e) => (e.finishedAt ?? 0) - (e.startedAt ?? 0));
}

export interface WaitEstimate {
  readonly ms: number;
  readonly ahead: number;
  readonly rooms: number;
  readonly serviceMs: number;
  /** Where serviceMs came from. */
  readonly basis: 'service' | 'clinic' | 'default';
}

/** Estimated wait of a waiting entry (rule W1); null unless waiting today. */
export function estimatedWait(doc: Y.Doc, entryId: EntryId, now: number): WaitEstimate | null {
  const entry = getEntry(doc, entryId);
  const day = currentDay(doc, now);
  if (!entry || day === null || entry.day !== day || entry.status !== 'waiting') return null;
  const today = entriesOfDay(doc, day);
  const index = waitingAmong(doc, today, { service: entry.service }).findIndex(
    (e) => e.id === entryId,
  );
  return index < 0 ? null : estimate(index, waitBasis(doc, entry.service, today, now));
}

type WaitBasis = Omit<WaitEstimate, 'ms' | 'ahead'>;

/** Rooms and service time for one service today: the part of W1 that does not depend on the entry. */
function waitBasis(
  doc: Y.Doc,
  service: ServiceId,
  today: readonly EntryView[],
  now: number,
): WaitBasis {
  const rooms = readRooms(doc);
  let serving = rooms.filter(
    (r) => r.open && (r.services === null || r.services.includes(service)),
  ).length;
  if (rooms.length === 0) {
    const active = new Set<string>();
    for (const e of today) {
      for (const c of e.claims) {
        if (c.at <= now && now - c.at <= ROOM_ACTIVITY_WINDOW_MS) active.add(c.room);
      }
    }
    serving = active.size;
  }

  let basis: WaitEstimate['basis'] = 'service';
  let serviceMs = mean(recentServiceDurations(today.filter((e) => e.service === service)));
  if (serviceMs === null) {
    basis = 'clinic';
    serviceMs = mean(recentServiceDurations(today));
  }
  if (serviceMs === null) {
    basis = 'default';
    serviceMs = (findService(doc, service)?.defaultMinutes ?? DEFAULT_SERVICE_MINUTES) * 60_000;
  }
  return { rooms: Math.max(1, serving), serviceMs, basis };
}

const estimate = (ahead: number, b: WaitBasis): WaitEstimate => ({
  ms: Math.round((ahead * b.serviceMs) / b.rooms),
  ahead,
  ...b,
});

export interface WaitingItem {
  readonly entry: EntryView;
  /** 1-based place in its service's waiting list. */
  readonly position: number;
  readonly wait: WaitEstimate;
}

export interface QueueSnapshot {
  readonly day: Day | null;
  /** Every waiting ticket in call order, with its position and estimated wait. */
  readonly waiting: readonly WaitingItem[];
  readonly called: readonly EntryView[];
  readonly stats: QueueStats;
}

/**
 * Everything a screen derives, in one pass over the doc (what the app's
 * stores call on each doc change): equal, item by item, to `waitingList`,
 * `position`, `estimatedWait`, `calledList` and `queueStats`.
 */
export function queueSnapshot(doc: Y.Doc, now: number): QueueSnapshot {
  const day = currentDay(doc, now);
  const today = day === null ? [] : entriesOfDay(doc, day);
  const seen = new Map<ServiceId, number>();
  const bases = new Map<ServiceId, WaitBasis>();
  const waiting = waitingAmong(doc, today, {}).map((entry) => {
    const ahead = seen.get(entry.service) ?? 0;
    seen.set(entry.service, ahead + 1);
    let basis = bases.get(entry.service);
    if (!basis) bases.set(entry.service, (basis = waitBasis(doc, entry.service, today, now)));
    return { entry, position: ahead + 1, wait: estimate(ahead, basis) };
  });
  return { day, waiting, called: calledAmong(today), stats: statsOf(day, today, now) };
}

/** Today's called tickets, most recent call first: what the display shows. */
export function calledList(doc: Y.Doc, now: number): EntryView[] {
  const day = currentDay(doc, now);
  return day === null ? [] : calledAmong(entriesOfDay(doc, day));
}

function calledAmong(today: readonly EntryView[]): EntryView[] {
  return today
    .filter((e) => e.status === 'called')
    .sort((a, b) => (b.calledAt ?? 0) - (a.calledAt ?? 0) || (a.id < b.id ? -1 : 1));
}

export interface QueueStats {
  readonly day: Day | null;
  readonly waiting: number;
  readonly called: number;
  readonly inService: number;
  readonly served: number;
  readonly noShows: number;
  readonly cancelled: number;
  /** Mean of (first call − arrival) over today's called tickets. */
  readonly averageWaitMs: number | null;
  /** Longest current wait among tickets still waiting. */
  readonly longestWaitMs: number | null;
  /** Mean of (finish − start) over today's finished tickets. */
  readonly averageServiceMs: number | null;
}

export function queueStats(doc: Y.Doc, now: number): QueueStats {
  const day = currentDay(doc, now);
  return statsOf(day, day === null ? [] : entriesOfDay(doc, day), now);
}

function statsOf(day: Day | null, entries: readonly EntryView[], now: number): QueueStats {
  const count = (s: EntryView['status']) => entries.filter((e) => e.status === s).length;
  const waits = entries
    .filter((e) => e.firstCalledAt !== null)
    .map((e) => (e.firstCalledAt ?? 0) - e.createdAt);
  const current = entries
    .filter((e) => e.status === 'waiting')
    .map((e) => Math.max(0, now - e.createdAt));
  const services = entries
    .filter((e) => e.status === 'done' && e.startedAt !== null && e.finishedAt !== null)
    .map((e) => (e.finishedAt ?? 0) - (e.startedAt ?? 0));
  const avg = (xs: number[]) => {
    const m = mean(xs);
    return m === null ? null : Math.round(m);
  };
  return {
    day,
    waiting: current.length,
    called: count('called'),
    inService: count('in-service'),
    served: count('done'),
    noShows: count('no-show'),
    cancelled: count('cancelled'),
    averageWaitMs: avg(waits),
    longestWaitMs: current.length === 0 ? null : Math.max(...current),
    averageServiceMs: avg(services),
  };
}

export type CallOutcome =
  | { readonly outcome: 'won' }
  | { readonly outcome: 'lost'; readonly to: RoomId }
  /** Never called by this room, or this room won and the ticket moved on since (sent back, cancelled). */
  | { readonly outcome: 'none' };

/**
 * How this room's latest call of the entry ended — what the room screen
 * shows after "call next" (rule C3). Reactive: a local win turns into a loss
 * when another room's earlier call arrives.
 *   won   the entry is with this room
 *   lost  this room's claim is of the current round (or a later one, overridden
 *         by a concurrent older call) and the entry is with another room; or
 *         its round went to another room
 *   none  otherwise
 */
export function callOutcome(doc: Y.Doc, entryId: EntryId, room: RoomId): CallOutcome {
  const entry = getEntry(doc, entryId);
  if (!entry) return { outcome: 'none' };
  let mine: CallClaim | null = null;
  for (const c of entry.claims)
    if (c.room === room && (mine === null || c.round > mine.round)) mine = c;
  if (mine === null) return { outcome: 'none' };
  if (entry.room === room) return { outcome: 'won' };
  if (mine.round >= entry.round)
    return entry.room === null ? { outcome: 'none' } : { outcome: 'lost', to: entry.room };
  const winner = winningClaim(entry.claims, mine.round);
  return winner && winner.room !== room
    ? { outcome: 'lost', to: winner.room }
    : { outcome: 'none' };
}
