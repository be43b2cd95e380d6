/**
 * Reception operations on the public doc: open/close, add, cancel,
 * reactivate, reorder, priority, transfer (room operations: call-ops.ts).
 * Each validates against the local replica, then writes in exactly one
 * `doc.transact(…, origin)`; a failure writes nothing (rule O0).
 *
 *   waiting ──cancel──▶ cancelled ──reactivate──▶ waiting (new call round)
 *   no-show ──reactivate──▶ waiting;  waiting|called|in-service ──transfer──▶ waiting
 */
import type * as Y from 'yjs';
import { clinicDay } from './day.js';
import { roomServes } from './derive.js';
import {
  entriesOfDay,
  entryMap,
  insertEntry,
  readEntry,
  waitingState,
  writeState,
} from './entries.js';
import { newEntryId } from './entry-id.js';
import { fail, ok, type Result } from './errors.js';
import { isDayArchived, isDeviceId, issueLabel } from './numbering.js';
import {
  commit,
  expectStatus,
  load,
  roomOpen,
  transition,
  type EntryResult,
  type OpContext,
} from './op-context.js';
import { appendKey, compareKeys, keyNextTo } from './order.js';
import { checkSchema, findService, metaMap, readRooms, readServices } from './schema.js';
import {
  ENTRY_SOURCES,
  PRIORITY_CLASSES,
  type EntryId,
  type EntrySource,
  type EntryView,
  type PriorityClass,
  type RoomId,
  type ServiceId,
} from './types.js';

export type { EntryResult, OpContext } from './op-context.js';

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
    metaMap(doc).set('open', args.open);
    metaMap(doc).set('openChangedAt', ctx.now);
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
  if (ctx.device !== undefined && !isDeviceId(ctx.device))
    return fail('invalid-argument', `invalid device id ${JSON.stringify(ctx.device)}`);
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
    {
      device: ctx.device ?? null,
      day,
      prefix: service.prefix,
      ...(ctx.number === undefined ? {} : { number: ctx.number }),
      ...(ctx.withheld === undefined ? {} : { withheld: ctx.withheld }),
    },
    dayEntries,
  );
  if (issued === null)
    return fail('invalid-argument', `number ${String(ctx.number)} is not free today`);
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
