/**
 * Derived views (invariant 5): pure functions of the public doc and a clock,
 * so the patient page, the display and reception compute the same numbers.
 *
 * Position and estimated wait come from the call plan (plan.ts, rules W1,
 * W2, W5, W6 in SPEC.md): the order in which the rooms will call today's
 * waiting tickets by the rule of "call next" (C1) — priority class, then
 * order; only the rooms that serve a ticket's service; a ticket reserved for
 * a room only by that room — and when, from each service's expected duration.
 */
import type * as Y from 'yjs';
import { clinicDay } from './day.js';
import { entriesOfDay, getEntry, winningClaim } from './entries.js';
import { compareQueueOrder } from './order.js';
import { planCalls, roomServes, type PlannedTicket, type WaitEstimate } from './plan.js';
import { readClinic, readRooms } from './schema.js';
import type { CallClaim, Day, EntryId, EntryView, RoomId, ServiceId } from './types.js';

export {
  MIN_SERVICE_MS,
  MIN_WAIT_MS,
  PRIOR_WEIGHT,
  RECENT_SERVICE_SAMPLES,
  ROOM_ACTIVITY_WINDOW_MS,
  VERY_SOON_MAX_AHEAD,
  roomServes,
  serviceTime,
  type PlannedTicket,
  type ServiceTime,
  type WaitEstimate,
} from './plan.js';

/** Today's clinic day, or null before the doc is seeded. */
export function currentDay(doc: Y.Doc, now: number): Day | null {
  const clinic = readClinic(doc);
  return clinic ? clinicDay(now, clinic) : null;
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

/** Today's call plan (W5), one item per waiting entry in waiting-list order. */
function planOfDay(doc: Y.Doc, day: Day, now: number): PlannedTicket[] {
  const today = entriesOfDay(doc, day);
  return planCalls(doc, today, waitingAmong(doc, today, {}), now);
}

/** Today's call plan (W5): every waiting ticket with its position, wait and the room expected to call it. */
export function callPlan(doc: Y.Doc, now: number): PlannedTicket[] {
  const day = currentDay(doc, now);
  return day === null ? [] : planOfDay(doc, day, now);
}

function plannedOf(doc: Y.Doc, entryId: EntryId, now: number): PlannedTicket | null {
  const entry = getEntry(doc, entryId);
  const day = currentDay(doc, now);
  if (!entry || day === null || entry.day !== day || entry.status !== 'waiting') return null;
  return planOfDay(doc, day, now).find((p) => p.entry.id === entryId) ?? null;
}

/** 1-based place in the order the rooms will call (rule W2); null unless waiting today. */
export function position(doc: Y.Doc, entryId: EntryId, now: number): number | null {
  return plannedOf(doc, entryId, now)?.position ?? null;
}

/** Estimated wait of a waiting entry (rule W1); null unless waiting today. */
export function estimatedWait(doc: Y.Doc, entryId: EntryId, now: number): WaitEstimate | null {
  return plannedOf(doc, entryId, now)?.wait ?? null;
}

/** Whole minutes a patient is told (W1): 0 means "very soon". */
export const waitMinutes = (wait: WaitEstimate): number => Math.round(wait.ms / 60_000);

export interface WaitingItem {
  readonly entry: EntryView;
  /** 1-based place in the order the rooms will call (W2). */
  readonly position: number;
  readonly wait: WaitEstimate;
}

export interface QueueSnapshot {
  readonly day: Day | null;
  /** Every waiting ticket in waiting-list order (C1), with its position and estimated wait. */
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
  const waiting = planCalls(doc, today, waitingAmong(doc, today, {}), now).map(
    ({ entry, position, wait }) => ({ entry, position, wait }),
  );
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

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

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
