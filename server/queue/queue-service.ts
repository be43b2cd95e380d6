/**
 * The queue as the HTTP API changes it: tickets the server issues itself
 * (QR joins, the integration API) and ticket numbers for staff devices.
 * Every change is a shared domain operation run through the relay's write
 * path (`relay.change`), so it is stored before the API answers and every
 * connected screen sees it live.
 *
 * Numbers (SPEC.md N1–N8): one counter per clinic day in the database, handed
 * out one by one on every instance — a ticket the server issues takes the
 * next number (a number given back first) just before it is written. A staff
 * device asks for the number of each ticket it adds (a grant of one number,
 * written into the public doc so a late answer still lands in its reserve),
 * tops up a reserve of at most MAX_RESERVE, and gives the reserve back when
 * idle; the server pools what it got back for the next tickets. A number
 * taken for a write that then fails goes back to the pool (the failed
 * operation wrote nothing), so the counter has no holes.
 */
import { randomBytes } from 'node:crypto';
import type * as Y from 'yjs';
import { queueDocName, staffDocName, type ClinicId } from '../../shared/ids.js';
import {
  addEntry,
  addPatientEntry,
  assignDeviceTag,
  currentDay,
  deviceTag,
  deviceTagAt,
  estimatedWait,
  fail,
  grantNumberBlock,
  MAX_RESERVE,
  ok,
  position,
  releaseNumbers,
  serverOrigin,
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

/** Numbers granted to a device per request when it does not say: one, whoever asks. */
export const DEFAULT_GRANT_SIZE = 1;
/** The most a device gets per request: its whole reserve. */
export const MAX_GRANT_SIZE = MAX_RESERVE;

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
  /** This instance's issuer id on the tickets it writes. */
  readonly device: string;
  /** Issues a ticket (stored durably before resolving). */
  issueTicket(
    clinicId: ClinicId,
    ticket: NewTicket,
    origin: QueueOrigin,
  ): Promise<Result<IssuedTicket>>;
  /**
   * Grants a staff device numbers (default one, at most MAX_GRANT_SIZE) and
   * writes the grant into the public doc; assigns the device its tag for
   * the day if it has none.
   */
  grantBlock(
    clinicId: ClinicId,
    args: { device: string; day?: Day; size?: number },
  ): Promise<Result<{ grant: NumberGrant; tag: string | null }>>;
  /** A device gives back numbers of its reserve: removed from its grants, pooled. */
  returnNumbers(
    clinicId: ClinicId,
    args: { device: string; day?: Day; numbers: readonly number[] },
  ): Promise<Result<{ day: Day; returned: number[] }>>;
  /** The device's tag for today's offline series (assigned once per device and day). */
  deviceTag(
    clinicId: ClinicId,
    args: { device: string; day?: Day },
  ): Promise<Result<{ day: Day; tag: string | null }>>;
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

  async function dayOf(clinicId: ClinicId, day?: Day): Promise<Result<{ day: Day }>> {
    if (day !== undefined) return ok({ day });
    const now = deps.now();
    const today = await deps.relay.read(queueDocName(clinicId), (doc) => currentDay(doc, now));
    return today === null
      ? fail('not-seeded', `clinic ${clinicId} has no queue`)
      : ok({ day: today });
  }

  async function ensureTag(
    clinicId: ClinicId,
    forDevice: string,
    day: Day,
  ): Promise<Result<{ tag: string | null }>> {
    const known = await deps.relay.read(queueDocName(clinicId), (doc) =>
      deviceTag(doc, forDevice, day),
    );
    if (known !== null) return ok({ tag: known });
    const tag = deviceTagAt(await deps.sequence.nextTag(clinicId, day));
    // Past the last tag of the day the device keeps its long fallback series.
    if (tag === null) return ok({ tag: null });
    const now = deps.now();
    return deps.relay.change(queueDocName(clinicId), (doc) =>
      assignDeviceTag(doc, { device: forDevice, day, tag }, { now, origin: serverOrigin }),
    );
  }

  return {
    device,

    issueTicket(clinicId, ticket, origin) {
      return serialized(clinicId, async () => {
        const day = await dayOf(clinicId);
        if (!day.ok) return day;
        const number = await deps.sequence.next(clinicId, day.day);
        const ctx: OpContext = { now: deps.now(), origin, device, number };
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
        if (!added.ok) {
          // The queue is closed, say: nothing was written, the number is still free.
          await deps.sequence.giveBack(clinicId, day.day, [number]);
          return added;
        }
        const { entry } = added;
        return ok(
          await deps.relay.read(queueDocName(clinicId), (doc) => describe(doc, entry, ctx.now)),
        );
      });
    },

    grantBlock(clinicId, args) {
      return serialized(clinicId, async () => {
        const day = await dayOf(clinicId, args.day);
        if (!day.ok) return day;
        const tag = await ensureTag(clinicId, args.device, day.day);
        if (!tag.ok) return tag;
        const size = Math.min(Math.max(args.size ?? DEFAULT_GRANT_SIZE, 1), MAX_GRANT_SIZE);
        const start =
          size === 1
            ? await deps.sequence.next(clinicId, day.day)
            : await deps.sequence.reserve(clinicId, day.day, size);
        const now = deps.now();
        const granted = await deps.relay.change(queueDocName(clinicId), (doc) =>
          grantNumberBlock(
            doc,
            { device: args.device, day: day.day, start, size },
            { now, origin: serverOrigin },
          ),
        );
        if (!granted.ok) {
          const numbers = Array.from({ length: size }, (_, i) => start + i);
          await deps.sequence.giveBack(clinicId, day.day, numbers);
          return granted;
        }
        return ok({ grant: granted.grant, tag: tag.tag });
      });
    },

    returnNumbers(clinicId, args) {
      return serialized(clinicId, async () => {
        const day = await dayOf(clinicId, args.day);
        if (!day.ok) return day;
        const now = deps.now();
        // The grants leave the doc (durably) before the numbers reach the pool.
        const released = await deps.relay.change(queueDocName(clinicId), (doc) =>
          releaseNumbers(
            doc,
            { device: args.device, day: day.day, numbers: args.numbers },
            { now, origin: serverOrigin },
          ),
        );
        if (!released.ok) return released;
        await deps.sequence.giveBack(clinicId, day.day, released.released);
        return ok({ day: day.day, returned: released.released });
      });
    },

    deviceTag(clinicId, args) {
      return serialized(clinicId, async () => {
        const day = await dayOf(clinicId, args.day);
        if (!day.ok) return day;
        const tag = await ensureTag(clinicId, args.device, day.day);
        return tag.ok ? ok({ day: day.day, tag: tag.tag }) : tag;
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
