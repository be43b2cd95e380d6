/**
 * Room operations: call next, call a ticket, recall, start, finish, no-show,
 * send back. A call writes a claim next to the new state (rule C2), so a race
 * between rooms resolves identically on every replica.
 *
 *   waiting ──call──▶ called ──start──▶ in-service ──finish──▶ done
 *                      │ └─recall─┘  └────────── send back ──▶ waiting
 *                      └─no-show─▶ no-show
 */
import type * as Y from 'yjs';
import { clinicDay } from './day.js';
import { waitingAmong } from './derive.js';
import {
  entriesOfDay,
  entryMap,
  stateOf,
  waitingState,
  writeClaim,
  writeState,
} from './entries.js';
import { fail } from './errors.js';
import {
  commit,
  expectRoom,
  expectStatus,
  load,
  roomOpen,
  transition,
  type EntryResult,
  type Loaded,
  type OpContext,
} from './op-context.js';
import { checkSchema } from './schema.js';
import type { EntryId, RoomId, ServiceId } from './types.js';

export interface CallArgs {
  readonly room: RoomId;
  /** Restrict to these services (default: the room's configured services, else all). */
  readonly services?: readonly ServiceId[];
}

function callEntry(doc: Y.Doc, l: Loaded, room: RoomId, ctx: OpContext): EntryResult {
  const prev = l.entry;
  return commit(doc, l.map, ctx, (m) => {
    writeClaim(m, { room, round: prev.round, at: ctx.now, client: doc.clientID });
    writeState(m, {
      ...stateOf(prev),
      status: 'called',
      room,
      targetRoom: null,
      firstCalledAt: prev.firstCalledAt ?? ctx.now,
      calledAt: ctx.now,
      recalls: 0,
      at: ctx.now,
    });
  });
}

/** Call the first waiting entry this room may serve (rule C1: priority class, then order). */
export function callNext(doc: Y.Doc, args: CallArgs, ctx: OpContext): EntryResult {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  const closed = roomOpen(doc, args.room);
  if (closed) return closed;
  const today = clinicDay(ctx.now, schema.clinic);
  const filter = args.services ? { room: args.room, services: args.services } : { room: args.room };
  const next = waitingAmong(doc, entriesOfDay(doc, today), filter)[0];
  const map = next && entryMap(doc, next.id);
  if (!next || !map)
    return fail('nobody-waiting', 'nobody is waiting for this room', { room: args.room });
  return callEntry(doc, { clinic: schema.clinic, today, map, entry: next }, args.room, ctx);
}

/** Call one specific waiting ticket to a room. */
export function callTicket(
  doc: Y.Doc,
  args: { entryId: EntryId; room: RoomId },
  ctx: OpContext,
): EntryResult {
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  const closed = roomOpen(doc, args.room);
  if (closed) return closed;
  if (
    l.entry.room !== null &&
    l.entry.room !== args.room &&
    (l.entry.status === 'called' || l.entry.status === 'in-service')
  ) {
    return fail('conflict', `${l.entry.label} is already with room ${l.entry.room}`, {
      room: l.entry.room,
    });
  }
  return expectStatus(l.entry, ['waiting'], 'call') ?? callEntry(doc, l, args.room, ctx);
}

/** Call again (display re-announces): the ticket stays with its room. */
export function recall(
  doc: Y.Doc,
  args: { entryId: EntryId; room?: RoomId },
  ctx: OpContext,
): EntryResult {
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  return (
    expectRoom(l.entry, args.room) ??
    expectStatus(l.entry, ['called'], 'recall') ??
    transition(doc, l, ctx, { calledAt: ctx.now, recalls: l.entry.recalls + 1 })
  );
}

export function startService(
  doc: Y.Doc,
  args: { entryId: EntryId; room?: RoomId },
  ctx: OpContext,
): EntryResult {
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  return (
    expectRoom(l.entry, args.room) ??
    expectStatus(l.entry, ['called'], 'start') ??
    transition(doc, l, ctx, { status: 'in-service', startedAt: ctx.now })
  );
}

/** Finish; from "called" too, for a doctor who skipped "start" (served from the call). */
export function finishService(
  doc: Y.Doc,
  args: { entryId: EntryId; room?: RoomId },
  ctx: OpContext,
): EntryResult {
  const l = load(doc, args.entryId, ctx, true);
  if ('ok' in l) return l;
  return (
    expectRoom(l.entry, args.room) ??
    expectStatus(l.entry, ['called', 'in-service'], 'finish') ??
    transition(doc, l, ctx, {
      status: 'done',
      startedAt: l.entry.startedAt ?? l.entry.calledAt,
      finishedAt: ctx.now,
    })
  );
}

export function markNoShow(
  doc: Y.Doc,
  args: { entryId: EntryId; room?: RoomId },
  ctx: OpContext,
): EntryResult {
  const l = load(doc, args.entryId, ctx, true);
  if ('ok' in l) return l;
  return (
    expectRoom(l.entry, args.room) ??
    expectStatus(l.entry, ['called'], 'mark as no-show') ??
    transition(doc, l, ctx, { status: 'no-show', finishedAt: ctx.now })
  );
}

/** Back to the waiting list, keeping its place (its order key): a new call round starts. */
export function sendBack(
  doc: Y.Doc,
  args: { entryId: EntryId; room?: RoomId },
  ctx: OpContext,
): EntryResult {
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  return (
    expectRoom(l.entry, args.room) ??
    expectStatus(l.entry, ['called', 'in-service'], 'send back') ??
    commit(doc, l.map, ctx, (m) =>
      writeState(m, {
        ...waitingState(ctx.now, l.entry.round + 1),
        firstCalledAt: l.entry.firstCalledAt,
      }),
    )
  );
}
