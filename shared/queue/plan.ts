/**
 * The call plan (rules W1, W2, W5, W6 in SPEC.md): the order in which the
 * rooms will call today's waiting tickets, and when — by replaying "call
 * next" (rule C1) room by room, with each service's expected duration.
 * Position and estimated wait are read off this plan, so what a patient, the
 * display and reception are told follows what the rooms will really do:
 * priority classes, tickets reserved for a room, and services that only some
 * rooms serve.
 *
 * Pure: a function of today's entries, the rooms and services of the public
 * doc, and `now` (invariant 5).
 */
import type * as Y from 'yjs';
import { DEFAULT_SERVICE_MINUTES, readRooms, readServices } from './schema.js';
import type { EntryView, RoomConfig, RoomId, ServiceId } from './types.js';

/** Finished tickets of a service that count as recent samples (W6). */
export const RECENT_SERVICE_SAMPLES = 5;
/** The configured duration weighs as much as this many samples (W6). */
export const PRIOR_WEIGHT = 2;
/** A service time is never under this (W6). */
export const MIN_SERVICE_MS = 60_000;
/** Rooms that called within this window count when none is configured (W5). */
export const ROOM_ACTIVITY_WINDOW_MS = 60 * 60_000;
/** From this many tickets planned ahead, the wait is at least a minute: never "very soon" (W1). */
export const VERY_SOON_MAX_AHEAD = 3;
export const MIN_WAIT_MS = 60_000;

export interface ServiceTime {
  /** Expected duration of one ticket of the service (W6). */
  readonly ms: number;
  /** The configured duration (the prior). */
  readonly priorMs: number;
  /** How many of today's real durations were blended in. */
  readonly samples: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Rule W6: the configured minutes p, blended with the last finished tickets
 * of the service today (each clamped to [p/3, 3p]) as
 * (PRIOR_WEIGHT·p + Σ samples) / (PRIOR_WEIGHT + n), bounded to [p/2, 2p] and
 * at least MIN_SERVICE_MS. `entries` are today's entries of that service.
 */
export function serviceTime(defaultMinutes: number, entries: readonly EntryView[]): ServiceTime {
  const priorMs = Math.max(MIN_SERVICE_MS, defaultMinutes * 60_000);
  const samples = entries
    .filter(
      (e) =>
        e.status === 'done' &&
        e.startedAt !== null &&
        e.finishedAt !== null &&
        e.finishedAt >= e.startedAt,
    )
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || (a.id < b.id ? -1 : 1))
    .slice(0, RECENT_SERVICE_SAMPLES)
    .map((e) => clamp((e.finishedAt ?? 0) - (e.startedAt ?? 0), priorMs / 3, 3 * priorMs));
  const blended =
    (PRIOR_WEIGHT * priorMs + samples.reduce((a, b) => a + b, 0)) / (PRIOR_WEIGHT + samples.length);
  return {
    ms: Math.round(Math.max(MIN_SERVICE_MS, clamp(blended, priorMs / 2, 2 * priorMs))),
    priorMs,
    samples: samples.length,
  };
}

export interface WaitEstimate {
  /** Planned call time − now (W1). */
  readonly ms: number;
  /** Tickets planned to be called before this one (W2: position − 1). */
  readonly ahead: number;
  /** Rooms of the plan that may call this ticket (W5). */
  readonly rooms: number;
  /** Expected duration of this ticket's service (W6). */
  readonly serviceMs: number;
  /** Real durations blended into serviceMs. */
  readonly samples: number;
}

export interface PlannedTicket {
  readonly entry: EntryView;
  /** 1-based place in the order rooms will call (W2). */
  readonly position: number;
  readonly wait: WaitEstimate;
  /** The room the plan has calling it (null: a room nobody has named yet). A guess, never a promise to a patient. */
  readonly room: RoomId | null;
}

interface PlanRoom {
  readonly id: RoomId | null;
  readonly config: RoomConfig | undefined;
  freeAt: number;
  /** Index of the first ticket of `waiting` this room has not yet passed over. */
  cursor: number;
}

/** Can this room call this entry: rule C1's filter (`roomServes`), plus W5's fallbacks. */
type MayCall = (room: PlanRoom, entry: EntryView) => boolean;

/**
 * Can this room call this entry (rule C1): its services (`services`
 * overrides the room's configured ones; none configured = every service),
 * and a ticket reserved for a room only by that room. "Call next" and the
 * call plan both use this one filter.
 */
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
const serves = roomServes;

/**
 * Plans today's waiting tickets (W5). `waiting` must be today's waiting
 * entries in call order (priority class, then order key); `today` every
 * entry of the day. Returns one planned ticket per waiting entry, in the
 * order of `waiting`.
 */
export function planCalls(
  doc: Y.Doc,
  today: readonly EntryView[],
  waiting: readonly EntryView[],
  now: number,
): PlannedTicket[] {
  const n = waiting.length;
  if (n === 0) return [];

  const services = new Map(readServices(doc).map((s) => [s.id, s]));
  const times = new Map<ServiceId, ServiceTime>();
  const timeOf = (service: ServiceId): ServiceTime => {
    let t = times.get(service);
    if (!t) {
      t = serviceTime(
        services.get(service)?.defaultMinutes ?? DEFAULT_SERVICE_MINUTES,
        today.filter((e) => e.service === service),
      );
      times.set(service, t);
    }
    return t;
  };

  const { rooms, mayCall } = planRooms(doc, today, waiting, now);

  // A room busy with a ticket is free once that ticket's expected duration is over.
  for (const e of today) {
    if ((e.status !== 'called' && e.status !== 'in-service') || e.room === null) continue;
    const room = rooms.find((r) => r.id === e.room);
    const since = e.startedAt ?? e.calledAt;
    if (room && since !== null) room.freeAt = Math.max(room.freeAt, since + timeOf(e.service).ms);
  }

  // Replay "call next": the room free first (then by id) calls the first waiting
  // ticket it may call; it is busy for that ticket's service time.
  const callAt = new Array<number>(n);
  const by = new Array<RoomId | null>(n).fill(null);
  const order = new Array<number>(n).fill(0);
  const taken = new Array<boolean>(n).fill(false);
  const active = [...rooms];
  let planned = 0;
  while (planned < n && active.length > 0) {
    let best = 0;
    for (let i = 1; i < active.length; i++) {
      const a = active[i]!;
      const b = active[best]!;
      if (a.freeAt < b.freeAt || (a.freeAt === b.freeAt && (a.id ?? '') < (b.id ?? ''))) best = i;
    }
    const room = active[best]!;
    while (room.cursor < n && (taken[room.cursor] || !mayCall(room, waiting[room.cursor]!)))
      room.cursor++;
    if (room.cursor >= n) {
      active.splice(best, 1);
      continue;
    }
    const i = room.cursor;
    taken[i] = true;
    order[i] = ++planned;
    callAt[i] = room.freeAt;
    by[i] = room.id;
    room.freeAt += timeOf(waiting[i]!.service).ms;
  }
  // Unreachable by construction (W5 gives every ticket a room); kept total all the same.
  const last = Math.max(now, ...rooms.map((r) => r.freeAt));
  for (let i = 0; i < n; i++) {
    if (taken[i]) continue;
    order[i] = ++planned;
    callAt[i] = last;
  }

  return waiting.map((entry, i) => {
    const ahead = order[i]! - 1;
    const raw = Math.max(0, callAt[i]! - now);
    const t = timeOf(entry.service);
    return {
      entry,
      position: ahead + 1,
      wait: {
        ms: ahead >= VERY_SOON_MAX_AHEAD ? Math.max(MIN_WAIT_MS, raw) : raw,
        ahead,
        rooms: Math.max(1, rooms.filter((r) => mayCall(r, entry)).length),
        serviceMs: t.ms,
        samples: t.samples,
      },
      room: by[i]!,
    };
  });
}

/** The rooms of the plan and who may call what (W5). */
function planRooms(
  doc: Y.Doc,
  today: readonly EntryView[],
  waiting: readonly EntryView[],
  now: number,
): { rooms: PlanRoom[]; mayCall: MayCall } {
  const room = (id: RoomId | null, config?: RoomConfig): PlanRoom => ({
    id,
    config,
    freeAt: now,
    cursor: 0,
  });
  const configured = readRooms(doc);

  if (configured.length === 0) {
    // Free-form rooms: every room serves every service; reserved tickets only their room.
    const ids = new Set<RoomId>();
    for (const e of today) {
      for (const c of e.claims)
        if (c.at <= now && now - c.at <= ROOM_ACTIVITY_WINDOW_MS) ids.add(c.room);
      if ((e.status === 'called' || e.status === 'in-service') && e.room !== null) ids.add(e.room);
    }
    for (const e of waiting) if (e.targetRoom !== null) ids.add(e.targetRoom);
    const rooms = [...ids].sort().map((id) => room(id));
    // Nobody called yet: one room that calls everything (nothing is reserved, or its room would be listed).
    if (rooms.length === 0) return { rooms: [room(null)], mayCall: () => true };
    return { rooms, mayCall: (r, e) => r.id !== null && serves(r.id, undefined, e) };
  }

  // Configured rooms: what C1 lets each call. A ticket no configured room may
  // call (its service is served by none, or it is reserved for an unknown
  // room) can only be called by hand: any room may.
  const orphan = new Set<EntryView>(
    waiting.filter((e) => !configured.some((c) => serves(c.id, c, e))),
  );
  const mayCall: MayCall = (r, e) => orphan.has(e) || (r.id !== null && serves(r.id, r.config, e));
  const open = configured.filter((c) => c.open).map((c) => room(c.id, c));
  // A ticket that no open room may call waits for a closed room that may: count those too.
  const needed = configured.filter(
    (c) =>
      !c.open &&
      waiting.some(
        (e) => !open.some((o) => mayCall(o, e)) && (orphan.has(e) || serves(c.id, c, e)),
      ),
  );
  return { rooms: [...open, ...needed.map((c) => room(c.id, c))], mayCall };
}
