/**
 * The queue as the HTTP API changes it: tickets the server issues itself
 * (QR joins, the integration API) and number blocks granted to staff
 * devices. Every change is a shared domain operation run through the
 * relay's write path (`relay.change`), so it is stored before the API
 * answers and every connected screen sees it live.
 *
 * Numbers: the server issues from its own blocks, as any device does. A
 * block is reserved from the database sequence first, then written into the
 * public doc (grantNumberBlock) so every replica knows whose numbers are
 * whose. Issuing is serialized per clinic, so a burst of joins shares one
 * block instead of each reserving its own.
 */
import { randomBytes } from 'node:crypto';
import type * as Y from 'yjs';
import { queueDocName, staffDocName, type ClinicId } from '../../shared/ids.js';
import {
  addEntry,
  addPatientEntry,
  currentDay,
  estimatedWait,
  fail,
  grantNumberBlock,
  ok,
  position,
  remainingNumbers,
  type AddEntryArgs,
  type Day,
  type EntryView,
  type NumberGrant,
  type OpContext,
  type QueueOrigin,
  type Result,
} from '../../shared/queue/index.js';
import type { Relay } from '../relay/relay.js';
import type { NumberSequence } from './number-sequence.js';

/** Numbers the server reserves for itself at a time. */
export const SERVER_BLOCK_SIZE = 50;
/** Default block for a staff device. */
export const DEVICE_BLOCK_SIZE = 100;

export interface IssuedTicket {
  readonly entry: EntryView;
  /** 1-based place in its service's waiting line. */
  readonly position: number;
  readonly estimatedWaitMinutes: number;
}

export interface NewTicket extends AddEntryArgs {
  /** Personal data: goes to the staff doc only, never the public one. */
  readonly name?: string;
  readonly phone?: string;
}

export interface QueueService {
  /** This instance's device id for ticket numbers. */
  readonly device: string;
  /** Issues a ticket (stored durably before resolving). */
  issueTicket(
    clinicId: ClinicId,
    ticket: NewTicket,
    origin: QueueOrigin,
  ): Promise<Result<IssuedTicket>>;
  /** Reserves a block for a staff device and writes the grant into the public doc. */
  grantBlock(
    clinicId: ClinicId,
    args: { device: string; day?: Day; size?: number },
  ): Promise<Result<{ grant: NumberGrant }>>;
}

export interface QueueServiceDeps {
  readonly relay: Pick<Relay, 'change' | 'changeMany' | 'read'>;
  readonly sequence: NumberSequence;
  readonly now: () => number;
  /** Default: `server-` + 8 random hex characters (one per process). */
  readonly device?: string;
}

export function createQueueService(deps: QueueServiceDeps): QueueService {
  const device = deps.device ?? `server-${randomBytes(4).toString('hex')}`;
  const tails = new Map<ClinicId, Promise<unknown>>();

  /** Runs `fn` after every earlier call for the same clinic has settled. */
  function serialized<T>(clinicId: ClinicId, fn: () => Promise<T>): Promise<T> {
    const prev = tails.get(clinicId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    tails.set(clinicId, tail);
    void tail.then(() => {
      if (tails.get(clinicId) === tail) tails.delete(clinicId);
    });
    return run;
  }

  async function today(clinicId: ClinicId, now: number): Promise<Result<{ day: Day }>> {
    const day = await deps.relay.read(queueDocName(clinicId), (doc) => currentDay(doc, now));
    return day === null ? fail('not-seeded', `clinic ${clinicId} has no queue`) : ok({ day });
  }

  async function reserveAndGrant(
    clinicId: ClinicId,
    forDevice: string,
    day: Day,
    size: number,
  ): Promise<Result<{ grant: NumberGrant }>> {
    const start = await deps.sequence.reserve(clinicId, day, size);
    const now = deps.now();
    return deps.relay.change(queueDocName(clinicId), (doc) =>
      grantNumberBlock(
        doc,
        { device: forDevice, day, start, size },
        { now, origin: { kind: 'server' } },
      ),
    );
  }

  return {
    device,

    issueTicket(clinicId, ticket, origin) {
      return serialized(clinicId, async () => {
        const day = await today(clinicId, deps.now());
        if (!day.ok) return day;
        const left = await deps.relay.read(queueDocName(clinicId), (doc) =>
          remainingNumbers(doc, device, day.day),
        );
        if (left < 1) {
          const granted = await reserveAndGrant(clinicId, device, day.day, SERVER_BLOCK_SIZE);
          if (!granted.ok) return granted;
        }
        const ctx: OpContext = { now: deps.now(), origin, device };
        const { name, phone, ...args } = ticket;
        const personal = (name ?? '') !== '' || (phone ?? '') !== '';
        const added = personal
          ? await deps.relay.changeMany(
              [queueDocName(clinicId), staffDocName(clinicId)],
              ([queue, staff]) =>
                addPatientEntry(
                  queue!,
                  staff!,
                  { ...args, patient: { name: name || '—', ...(phone ? { phone } : {}) } },
                  ctx,
                ),
            )
          : await deps.relay.change(queueDocName(clinicId), (doc) => addEntry(doc, args, ctx));
        if (!added.ok) return added;
        const { entry } = added;
        return ok(
          await deps.relay.read(queueDocName(clinicId), (doc) => describe(doc, entry, ctx.now)),
        );
      });
    },

    grantBlock(clinicId, args) {
      return serialized(clinicId, async () => {
        let day = args.day;
        if (day === undefined) {
          const d = await today(clinicId, deps.now());
          if (!d.ok) return d;
          day = d.day;
        }
        return reserveAndGrant(clinicId, args.device, day, args.size ?? DEVICE_BLOCK_SIZE);
      });
    },
  };
}

function describe(doc: Y.Doc, entry: EntryView, now: number): IssuedTicket {
  const wait = estimatedWait(doc, entry.id, now);
  return {
    entry,
    position: position(doc, entry.id, now) ?? 1,
    estimatedWaitMinutes: wait === null ? 0 : Math.round(wait.ms / 60_000),
  };
}
