/**
 * The integration API under /api/clinics/:clinicId/queue (routes fixed by
 * issue 4), for systems like an EHR holding an API key, and for staff
 * tokens from the CLI (a staff session with CSRF works too).
 *
 * Every write is one shared domain operation run through the relay's write
 * path (`relay.change`, or `queue.issueTicket` for new tickets), so it is
 * stored durably before the answer and every connected screen sees it live.
 * A fresh clinic needs no configuration: the default service takes the
 * tickets, and rooms are free-form ids (an unconfigured room calls from
 * every service).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type * as Y from 'yjs';
import {
  CallNextRequest,
  EntryPatch,
  NewEntryRequest,
  type CallNextResponse,
  type NewEntryResponse,
  type QueueView,
} from '../../shared/api.js';
import { queueDocName, type ClinicId } from '../../shared/ids.js';
import {
  callNext,
  callTicket,
  cancelEntry,
  entriesOfDay,
  fail,
  finishService,
  getEntry,
  httpApiOrigin,
  isEntryId,
  isRoomId,
  markNoShow,
  ok,
  parseServiceId,
  queueSnapshot,
  reactivateEntry,
  readClinic,
  recall,
  sendBack,
  setQueueOpen,
  startService,
  type EntryResult,
  type EntryStatus,
  type EntryView,
  type OpContext,
  type RoomId,
} from '../../shared/queue/index.js';
import { actorOf, requireClinicRole, STAFF } from './access.js';
import { createRateLimiter, type RateLimiterOptions } from './rate-limit.js';
import type { ApiDeps } from './deps.js';
import { HttpError, parseWith, queueHttpError } from './errors.js';

/** Largest request body on these routes (a ticket is a few hundred bytes). */
export const QUEUE_API_BODY_LIMIT = 64 * 1024;
/** Per credential: a burst of 60 calls, then 20 per second. */
export const QUEUE_API_RATE: RateLimiterOptions = {
  capacity: 60,
  refillPerSec: 20,
  maxKeys: 10_000,
};

export function registerQueueApiRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  opts: { rate?: RateLimiterOptions } = {},
): void {
  const limiter = createRateLimiter(opts.rate ?? QUEUE_API_RATE);
  const base = '/api/clinics/:clinicId/queue';
  const routeOpts = { bodyLimit: QUEUE_API_BODY_LIMIT };

  /** Auth (401/403), then the caller's rate budget (429), then the body's type (415). */
  function guard(req: FastifyRequest): ClinicId {
    const clinicId = requireClinicRole(req, (req.params as { clinicId: string }).clinicId, STAFF);
    const decision = limiter.take(actorOf(req), deps.now());
    if (!decision.ok) {
      throw new HttpError(
        429,
        'rate-limited',
        `too many requests, retry in ${decision.retryAfterSec} s`,
        decision.retryAfterSec,
      );
    }
    requireJsonBody(req);
    return clinicId;
  }

  const context = (req: FastifyRequest): OpContext => ({
    now: deps.now(),
    origin: httpApiOrigin(req.id),
  });

  app.get(base, routeOpts, async (req): Promise<QueueView> => {
    const clinicId = guard(req);
    const view = await deps.relay.read(queueDocName(clinicId), (doc) => queueView(doc, deps.now()));
    if (!view) throw queueHttpError(fail('not-seeded', `clinic ${clinicId} has no queue`).error);
    return view;
  });

  for (const [action, open] of [
    ['open', true],
    ['close', false],
  ] as const) {
    app.post(`${base}/${action}`, routeOpts, async (req) => {
      const clinicId = guard(req);
      const ctx = context(req);
      const result = await deps.relay.change(queueDocName(clinicId), (doc) =>
        setQueueOpen(doc, { open }, ctx),
      );
      if (!result.ok) throw queueHttpError(result.error);
      return { open: result.open };
    });
  }

  app.post(`${base}/entries`, routeOpts, async (req, reply): Promise<NewEntryResponse> => {
    const clinicId = guard(req);
    const body = parseWith(NewEntryRequest, req.body);
    const issued = await deps.queue.issueTicket(
      clinicId,
      {
        source: 'api',
        ...(body.service !== undefined ? { service: parseServiceId(body.service) } : {}),
        ...(body.priority !== undefined ? { priority: body.priority } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.phone ? { phone: body.phone } : {}),
      },
      httpApiOrigin(req.id),
    );
    if (!issued.ok) {
      // The only thing addEntry cannot find is the service named in the body.
      if (issued.error.code === 'not-found') {
        throw new HttpError(400, 'unknown-service', issued.error.message);
      }
      throw queueHttpError(issued.error);
    }
    void reply.status(201);
    return { entryId: issued.entry.id, ticket: issued.entry.label, position: issued.position };
  });

  app.post(`${base}/call-next`, routeOpts, async (req): Promise<CallNextResponse> => {
    const clinicId = guard(req);
    const room = roomOf(parseWith(CallNextRequest, req.body).room);
    const ctx = context(req);
    const called = await deps.relay.change(queueDocName(clinicId), (doc) =>
      callNext(doc, { room }, ctx),
    );
    if (!called.ok) {
      // Nobody waiting is a conflict with the queue's state, not a missing resource.
      throw queueHttpError(called.error, called.error.code === 'nobody-waiting' ? 409 : undefined);
    }
    return { entryId: called.entry.id, ticket: called.entry.label, room };
  });

  app.patch(`${base}/entries/:entryId`, routeOpts, async (req) => {
    const clinicId = guard(req);
    const { entryId } = req.params as { entryId: string };
    const body = parseWith(EntryPatch, req.body);
    const room = body.room === undefined ? undefined : roomOf(body.room);
    if (!isEntryId(entryId)) throw new HttpError(404, 'not-found', `no entry ${entryId}`);
    const ctx = context(req);
    const result = await deps.relay.change(queueDocName(clinicId), (doc): EntryResult => {
      const entry = getEntry(doc, entryId);
      if (!entry) return fail('not-found', `no entry ${entryId}`);
      return transitionTo(doc, entry, body.status, room, ctx);
    });
    if (!result.ok) throw queueHttpError(result.error);
    return { entryId: result.entry.id, status: result.entry.status };
  });
}

/**
 * The domain operation that takes an entry to `target`. Asking for the
 * status an entry already has is a no-op (a retried PATCH succeeds), except
 * `called` on a called ticket, which recalls it (the display announces it
 * again). Anything the domain refuses comes back as its failure (409).
 */
function transitionTo(
  doc: Y.Doc,
  entry: EntryView,
  target: EntryStatus,
  room: RoomId | undefined,
  ctx: OpContext,
): EntryResult {
  const args = { entryId: entry.id, ...(room !== undefined ? { room } : {}) };
  if (entry.status === target && target !== 'called') return ok({ entry });
  switch (target) {
    case 'called':
      if (entry.status === 'called') return recall(doc, args, ctx);
      if (entry.status === 'waiting') {
        return room === undefined
          ? fail(
              'invalid-transition',
              `calling ${entry.label} needs a room: send { "status": "called", "room": "…" } or use call-next`,
            )
          : callTicket(doc, { entryId: entry.id, room }, ctx);
      }
      return fail('invalid-transition', `cannot call ${entry.label}: it is ${entry.status}`, {
        status: entry.status,
      });
    case 'in-service':
      return startService(doc, args, ctx);
    case 'done':
      return finishService(doc, args, ctx);
    case 'no-show':
      return markNoShow(doc, args, ctx);
    case 'cancelled':
      return cancelEntry(doc, { entryId: entry.id }, ctx);
    case 'waiting':
      return entry.status === 'cancelled' || entry.status === 'no-show'
        ? reactivateEntry(doc, { entryId: entry.id }, ctx)
        : sendBack(doc, args, ctx);
  }
}

/** Today's entries: the waiting ones in call order (with their position), then the rest in issue order. */
export function queueView(doc: Y.Doc, now: number): QueueView | null {
  const clinic = readClinic(doc);
  if (!clinic) return null;
  const snapshot = queueSnapshot(doc, now);
  const waiting = snapshot.waiting.map((w) => toItem(w.entry, w.position));
  const rest =
    snapshot.day === null
      ? []
      : entriesOfDay(doc, snapshot.day)
          .filter((e) => e.status !== 'waiting')
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
          .map((e) => toItem(e, null));
  return { open: clinic.open, entries: [...waiting, ...rest] };
}

function toItem(e: EntryView, position: number | null): QueueView['entries'][number] {
  return {
    entryId: e.id,
    ticket: e.label,
    status: e.status,
    service: e.service,
    position,
    ...(e.room !== null ? { room: e.room } : {}),
  };
}

function roomOf(value: string): RoomId {
  if (!isRoomId(value)) throw new HttpError(400, 'bad-request', `room: invalid room id`);
  return value;
}

/** A body must be JSON: Fastify would otherwise hand a text/plain body over as a string. */
function requireJsonBody(req: FastifyRequest): void {
  if (req.body === undefined || req.body === null) return;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported-media-type', 'send the body as application/json');
  }
}
