/**
 * Entry lifecycle operations on the public doc. Each one validates against
 * the local replica, then writes in exactly one `doc.transact(…, origin)`;
 * a failure writes nothing. Results are `{ ok: true, … } | { ok: false, error }`.
 *
 *   waiting ──call──▶ called ──start──▶ in-service ──finish──▶ done
 *      ▲  │             │ │ └─recall─┘       │
 *      │  └─cancel─▶ cancelled   └─no-show─▶ no-show
 *      └── send back / transfer / reactivate (new call round)
 */
import type * as Y from 'yjs';
import { clinicDay } from './day.js';
import { roomServes, waitingAmong } from './derive.js';
import {
  entryMap,
  entriesOfDay,
  insertEntry,
  readEntry,
  stateOf,
  waitingState,
  writeClaim,
  writeState,
} from './entries.js';
import { newEntryId } from './entry-id.js';
import { fail, ok, type Failure, type Result } from './errors.js';
import { isDayArchived, issueLabel } from './numbering.js';
import { appendKey, compareKeys, keyNextTo } from './order.js';
import type { QueueOrigin } from './origins.js';
import {
  checkSchema,
  findService,
  isRoomId,
  readRooms,
  readServices,
  type EntryMap,
} from './schema.js';
import {
  ENTRY_SOURCES,
  PRIORITY_CLASSES,
  type ClinicView,
  type Day,
  type EntryId,
  type EntrySource,
  type EntryState,
  type EntryStatus,
  type EntryView,
  type PriorityClass,
  type RandomBytes,
  type RoomId,
  type ServiceId,
} from './types.js';

export interface OpContext {
  /** Milliseconds since epoch, already corrected by the server clock offset. */
  readonly now: number;
  readonly origin: QueueOrigin;
  /** Issuing replica id for ticket numbers (see numbering.ts); absent = provisional labels only. */
  readonly device?: string;
  readonly randomBytes?: RandomBytes;
}

export type EntryResult = Result<{ entry: EntryView }>;

interface Loaded {
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
function load(doc: Y.Doc, id: EntryId, ctx: OpContext, anyLiveDay = false): Loaded | Failure {
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

function expectStatus(
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

/** When a room acts on a ticket, the ticket must be that room's (rule C3). */
function expectRoom(entry: EntryView, room: RoomId | undefined): Failure | null {
  if (room === undefined || entry.room === null || entry.room === room) return null;
  return fail('conflict', `${entry.label} is with room ${entry.room ?? '—'}`, { room: entry.room });
}

/** Write a new state (and optional claim) in one transaction, return the new view. */
function commit(
  doc: Y.Doc,
  map: EntryMap,
  ctx: OpContext,
  write: (map: EntryMap) => void,
): EntryResult {
  doc.transact(() => write(map), ctx.origin);
  const entry = readEntry(map);
  return entry ? ok({ entry }) : fail('not-found', 'entry vanished');
}

const transition = (
  doc: Y.Doc,
  l: Loaded,
  ctx: OpContext,
  patch: Partial<EntryState>,
): EntryResult =>
  commit(doc, l.map, ctx, (m) => writeState(m, { ...stateOf(l.entry), ...patch, at: ctx.now }));

// ---- queue open / closed -----------------------------------------------------

/** Open or close the queue to new tickets (rule O4). */
export function setQueueOpen(
  doc: Y.Doc,
  args: { open: boolean },
  ctx: OpContext,
): Result<{ open: boolean; changed: boolean }> {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  if (schema.clinic.open === args.open) return ok({ open: args.open, changed: false });
  doc.transact(() => {
    doc.getMap('meta').set('open', args.open);
    doc.getMap('meta').set('openChangedAt', ctx.now);
  }, ctx.origin);
  return ok({ open: args.open, changed: true });
}

// ---- add -----------------------------------------------------------------------

export interface AddEntryArgs {
  /** Default: the first open service. */
  readonly service?: ServiceId;
  readonly priority?: PriorityClass;
  readonly source: EntrySource;
}

export function addEntry(doc: Y.Doc, args: AddEntryArgs, ctx: OpContext): EntryResult {
  const schema = checkSchema(doc);
  if (schema.failure) return schema.failure;
  if (!schema.clinic.open) return fail('queue-closed', 'the queue is closed');
  if (!ENTRY_SOURCES.includes(args.source))
    return fail('invalid-argument', `unknown source ${String(args.source)}`);
  const priority = args.priority ?? 'normal';
  if (!PRIORITY_CLASSES.includes(priority))
    return fail('invalid-argument', `unknown priority ${String(priority)}`);
  const services = readServices(doc);
  const service =
    args.service === undefined
      ? (services.find((s) => s.open) ?? services[0])
      : services.find((s) => s.id === args.service);
  if (!service) return fail('not-found', `no service ${String(args.service)}`);
  if (!service.open)
    return fail('service-closed', `${service.name} is closed`, { service: service.id });
  const day = clinicDay(ctx.now, schema.clinic);
  if (isDayArchived(doc, day)) return fail('day-archived', `day ${day} is archived`);

  const dayEntries = entriesOfDay(doc, day);
  const issued = issueLabel(
    doc,
    { device: ctx.device ?? null, day, prefix: service.prefix },
    dayEntries,
  );
  let maxKey: string | null = null;
  for (const e of dayEntries) if (maxKey === null || e.orderKey > maxKey) maxKey = e.orderKey;
  const id = newEntryId(ctx.randomBytes);
  doc.transact(() => {
    insertEntry(
      doc,
      {
        id,
        day,
        label: issued.label,
        number: issued.number,
        provisional: issued.provisional,
        issuer: ctx.device ?? `client-${doc.clientID}`,
        source: args.source,
        createdAt: ctx.now,
        service: service.id,
        priority,
        orderKey: appendKey(ctx.now, maxKey),
      },
      ctx.now,
    );
  }, ctx.origin);
  const map = entryMap(doc, id);
  const entry = map ? readEntry(map) : null;
  return entry ? ok({ entry }) : fail('not-found', 'entry vanished');
}

// ---- calling ---------------------------------------------------------------------

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

function roomOpen(doc: Y.Doc, room: RoomId): Failure | null {
  if (!isRoomId(room)) return fail('invalid-argument', `invalid room id ${JSON.stringify(room)}`);
  const config = readRooms(doc).find((r) => r.id === room);
  return config && !config.open
    ? fail('room-closed', `room ${config.name} is closed`, { room })
    : null;
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

export function cancelEntry(doc: Y.Doc, args: { entryId: EntryId }, ctx: OpContext): EntryResult {
  const l = load(doc, args.entryId, ctx, true);
  if ('ok' in l) return l;
  return (
    expectStatus(l.entry, ['waiting', 'called'], 'cancel') ??
    transition(doc, l, ctx, { status: 'cancelled', finishedAt: ctx.now })
  );
}

/** A cancelled or no-show ticket comes back, keeping its place and label. */
export function reactivateEntry(
  doc: Y.Doc,
  args: { entryId: EntryId },
  ctx: OpContext,
): EntryResult {
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  return (
    expectStatus(l.entry, ['cancelled', 'no-show'], 'reactivate') ??
    commit(doc, l.map, ctx, (m) =>
      writeState(m, {
        ...waitingState(ctx.now, l.entry.round + 1),
        firstCalledAt: l.entry.firstCalledAt,
      }),
    )
  );
}

// ---- order, priority, transfer ---------------------------------------------------------

export interface ReorderArgs {
  readonly entryId: EntryId;
  readonly before?: EntryId;
  readonly after?: EntryId;
}

/**
 * Move a waiting entry right before/after another waiting entry (rule O2).
 * Only the moved entry's order key changes; it takes the target's priority
 * class, as dropping it among another class's tickets asks for.
 */
export function reorderEntry(
  doc: Y.Doc,
  args: ReorderArgs,
  ctx: OpContext,
): Result<{ entry: EntryView; priorityChanged: boolean }> {
  const targetId = args.before ?? args.after;
  if (targetId === undefined || (args.before !== undefined && args.after !== undefined)) {
    return fail('invalid-argument', 'give exactly one of before / after');
  }
  if (targetId === args.entryId)
    return fail('invalid-argument', 'cannot move an entry next to itself');
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  const t = load(doc, targetId, ctx);
  if ('ok' in t) return t;
  const bad =
    expectStatus(l.entry, ['waiting'], 'reorder') ??
    expectStatus(t.entry, ['waiting'], 'reorder next to');
  if (bad) return bad;
  const peers = entriesOfDay(doc, l.today)
    .filter((e) => e.id !== l.entry.id && e.priority === t.entry.priority)
    .sort(compareKeys);
  const key = keyNextTo(peers, t.entry, args.before !== undefined ? 'before' : 'after');
  const priorityChanged = l.entry.priority !== t.entry.priority;
  const result = commit(doc, l.map, ctx, (m) => {
    m.set('orderKey', key);
    if (priorityChanged) m.set('priority', t.entry.priority);
  });
  return result.ok ? ok({ entry: result.entry, priorityChanged }) : result;
}

export function setPriority(
  doc: Y.Doc,
  args: { entryId: EntryId; priority: PriorityClass },
  ctx: OpContext,
): EntryResult {
  if (!PRIORITY_CLASSES.includes(args.priority))
    return fail('invalid-argument', `unknown priority ${String(args.priority)}`);
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  const bad = expectStatus(l.entry, ['waiting', 'called', 'in-service'], 'change the priority of');
  if (bad) return bad;
  if (l.entry.priority === args.priority) return ok({ entry: l.entry });
  return commit(doc, l.map, ctx, (m) => m.set('priority', args.priority));
}

export interface TransferArgs {
  readonly entryId: EntryId;
  readonly service?: ServiceId;
  /** Only this room's "call next" will pick the entry. */
  readonly room?: RoomId;
}

/** Send an entry to another service and/or room: it waits again, keeping label and place. */
export function transferEntry(doc: Y.Doc, args: TransferArgs, ctx: OpContext): EntryResult {
  if (args.service === undefined && args.room === undefined)
    return fail('invalid-argument', 'give a service or a room');
  const l = load(doc, args.entryId, ctx);
  if ('ok' in l) return l;
  const bad = expectStatus(l.entry, ['waiting', 'called', 'in-service'], 'transfer');
  if (bad) return bad;
  if (args.service !== undefined && !findService(doc, args.service))
    return fail('not-found', `no service ${args.service}`);
  if (args.room !== undefined) {
    const closed = roomOpen(doc, args.room);
    if (closed) return closed;
    const config = readRooms(doc).find((r) => r.id === args.room);
    const moved = { ...l.entry, service: args.service ?? l.entry.service, targetRoom: null };
    if (!roomServes(args.room, config, moved)) {
      return fail(
        'invalid-argument',
        `room ${args.room} does not call from service ${moved.service}`,
      );
    }
  }
  return commit(doc, l.map, ctx, (m) => {
    if (args.service !== undefined && args.service !== l.entry.service)
      m.set('service', args.service);
    writeState(m, {
      ...waitingState(ctx.now, l.entry.round + 1, args.room ?? null),
      firstCalledAt: l.entry.firstCalledAt,
    });
  });
}
