/**
 * Seeded multi-replica simulator for the convergence test (test support,
 * not shipped). Replicas are Y.Docs exchanging their updates over a mesh of
 * per-link message queues: delivery order is random, links are cut by
 * random partitions and offline periods, and reconnecting replicas run a
 * state-vector sync as y-websocket does. Replica 0 plays the server: it
 * issues ticket numbers one by one from a fake database counter and pool
 * (numbers given back), grants small reserves, takes reserves back, assigns
 * device tags and archives days (SPEC.md N1–N8).
 */
import * as Y from 'yjs';
import { archiveDay, finishedDays } from '../archive.js';
import { clinicDay } from '../day.js';
import { allEntries, entriesOfDay } from '../entries.js';
import { QUEUE_ERROR_CODES, QueueError } from '../errors.js';
import {
  assignDeviceTag,
  deviceTag,
  deviceTagAt,
  grantNumberBlock,
  MAX_RESERVE,
  releaseNumbers,
  reserveNumbers,
} from '../numbering.js';
import * as calls from '../call-ops.js';
import * as ops from '../ops.js';
import { configureRoom, configureService } from '../config-ops.js';
import { localOrigin, serverOrigin } from '../origins.js';
import { parseRoomId, parseServiceId, readClinic, seedQueueDoc } from '../schema.js';
import { mulberry32, seededBytes } from './fixtures.js';
import type {
  ArchivedDay,
  Day,
  EntryId,
  EntryView,
  NumberGrant,
  PriorityClass,
  RoomId,
} from '../types.js';
import { ENTRY_SOURCES, PRIORITY_CLASSES } from '../types.js';

const REMOTE = Symbol('remote');
export const ROOMS: readonly RoomId[] = ['1', '2', 'Room 3'].map(parseRoomId);
export const LAB = parseServiceId('lab');

export interface Replica {
  readonly index: number;
  readonly doc: Y.Doc;
  readonly device: string;
  readonly skew: number;
  online: boolean;
  group: number;
}

/** Updates queued on one directed link, oldest first. */
interface Link {
  readonly from: Replica;
  readonly to: Replica;
  queue: Uint8Array[];
}

export interface IssuedEntry {
  readonly id: EntryId;
  readonly label: string;
  readonly day: Day;
  readonly issuer: string;
  readonly number: number | null;
}

export interface CallRecord {
  readonly entryId: EntryId;
  readonly room: RoomId;
  readonly round: number;
}

export class Simulation {
  readonly rand: () => number;
  readonly replicas: Replica[] = [];
  /** Every update any replica produced locally: the whole history. */
  readonly history: Uint8Array[] = [];
  readonly issued = new Map<EntryId, IssuedEntry>();
  readonly calls: CallRecord[] = [];
  readonly grants: NumberGrant[] = [];
  /** Numbers the server issued for a ticket it or a device wrote at once: `<day> <n>` → issuer. */
  readonly direct = new Map<string, string[]>();
  /** Numbers given back and issued again. */
  reissued = 0;
  /** What the server stored from archiveDay, by entry id. */
  readonly archived = new Map<EntryId, EntryView>();
  readonly opCounts = new Map<string, number>();
  private links: Link[] = [];
  private sequence = new Map<Day, number>();
  private pool = new Map<Day, number[]>();
  private tags = new Map<Day, number>();
  /** Per device and day: reserve numbers it gave back and never issues. */
  private withheld = new Map<string, Set<number>>();
  private days = new Map<number, Day>();
  now: number;
  steps = 0;

  constructor(
    readonly seed: number,
    replicaCount: number,
    start: number,
  ) {
    this.rand = mulberry32(seed);
    this.now = start;
    const server = new Y.Doc();
    server.clientID = 1000;
    seedQueueDoc(server, { name: 'Sim', timezone: 'Europe/Paris', resetTime: '03:00' }, start);
    must(
      configureService(
        server,
        { id: LAB, name: 'Lab', prefix: 'L' },
        { now: start, origin: serverOrigin },
      ),
    );
    const seedState = Y.encodeStateAsUpdate(server);
    this.history.push(seedState);
    for (let i = 0; i < replicaCount; i++) {
      const doc = i === 0 ? server : new Y.Doc();
      // Fixed, distinct client ids: tie-breaks and provisional tags replay identically.
      if (i > 0) {
        doc.clientID = 1000 + i * 7919;
        Y.applyUpdate(doc, seedState, REMOTE);
      }
      const replica: Replica = {
        index: i,
        doc,
        device: i === 0 ? 'server' : `desk-${i}`,
        skew: i === 0 ? 0 : this.int(-90_000, 90_000),
        online: true,
        group: 0,
      };
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === REMOTE) return;
        this.history.push(update);
        for (const link of this.links) if (link.from === replica) link.queue.push(update);
      });
      this.replicas.push(replica);
    }
    for (const from of this.replicas)
      for (const to of this.replicas) if (from !== to) this.links.push({ from, to, queue: [] });
  }

  /**
   * The clinic day at `now`, memoized per quarter hour (test side: the domain
   * keeps no cache). Exact here: Paris offsets are whole hours, reset 03:00.
   */
  dayAt(now: number): Day {
    const minute = Math.floor(now / 900_000);
    let day = this.days.get(minute);
    if (day === undefined) {
      day = clinicDay(now, readClinic(this.replicas[0]!.doc)!);
      this.days.set(minute, day);
    }
    return day;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T | undefined {
    return list.length === 0 ? undefined : list[Math.floor(this.rand() * list.length)];
  }

  private connected(a: Replica, b: Replica): boolean {
    return a.online && b.online && a.group === b.group;
  }

  /**
   * Deliver part of what connected links carry. Each link is FIFO, like a
   * WebSocket, but links interleave randomly, so a replica often receives an
   * update before the one it depends on (relayed by a third replica); and now
   * and then a link reorders its own batch, exercising Yjs's pending queue.
   */
  deliverSome(fraction: number): void {
    const batches: Uint8Array[][] = [];
    const targets: Replica[] = [];
    for (const link of this.links) {
      if (link.queue.length === 0 || !this.connected(link.from, link.to) || this.rand() >= fraction)
        continue;
      const n = fraction >= 1 ? link.queue.length : this.int(1, link.queue.length);
      const batch = link.queue.slice(0, n);
      link.queue = link.queue.slice(n);
      const shape = this.rand();
      // Sometimes a link reorders its own batch; often it sends it as one merged update (like sync step 2).
      if (shape < 0.02) batch.reverse();
      batches.push(shape > 0.5 && batch.length > 1 ? [Y.mergeUpdates(batch)] : batch);
      targets.push(link.to);
    }
    while (batches.length > 0) {
      const i = Math.floor(this.rand() * batches.length);
      const update = batches[i]!.shift()!;
      Y.applyUpdate(targets[i]!.doc, update, REMOTE);
      if (batches[i]!.length === 0) {
        batches.splice(i, 1);
        targets.splice(i, 1);
      }
    }
  }

  /** What a reconnecting y-websocket client does: exchange state-vector diffs. */
  syncPair(a: Replica, b: Replica): void {
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), REMOTE);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), REMOTE);
  }

  /** Heal every partition and exchange everything. */
  fullSync(): void {
    for (const r of this.replicas) {
      r.online = true;
      r.group = 0;
    }
    this.deliverSome(1);
    // Every link is drained now; a sync with the server is the belt to those braces.
    for (const r of this.replicas.slice(1)) this.syncPair(r, this.replicas[0]!);
  }

  private ctx(r: Replica) {
    return {
      now: this.now + r.skew,
      origin: localOrigin(r.device),
      device: r.device,
      randomBytes: seededBytes(this.rand),
    };
  }

  private count(name: string, result: { ok: boolean; error?: unknown }): void {
    if (!result.ok) {
      const error = result.error;
      if (!(error instanceof QueueError) || !QUEUE_ERROR_CODES.includes(error.code))
        throw new Error(`untyped failure in ${name}`);
    }
    const key = `${name}:${result.ok ? 'ok' : (result.error as QueueError).code}`;
    this.opCounts.set(key, (this.opCounts.get(key) ?? 0) + 1);
  }

  // ---- the server's database: counter, pool, tags (number-sequence.ts) ----

  private nextNumber(day: Day): number {
    const pooled = this.pool.get(day);
    if (pooled && pooled.length > 0) {
      this.reissued++;
      return pooled.shift()!;
    }
    return this.reserveFresh(day, 1);
  }
  private reserveFresh(day: Day, size: number): number {
    const start = this.sequence.get(day) ?? 1;
    this.sequence.set(day, start + size);
    return start;
  }
  private giveBack(day: Day, numbers: readonly number[]): void {
    const pooled = [...(this.pool.get(day) ?? []), ...numbers].sort((a, b) => a - b);
    if (new Set(pooled).size !== pooled.length) throw new Error(`number pooled twice: ${pooled}`);
    this.pool.set(day, pooled);
  }
  private withheldOf(r: Replica, day: Day): Set<number> {
    const key = `${r.device} ${day}`;
    let set = this.withheld.get(key);
    if (!set) this.withheld.set(key, (set = new Set()));
    return set;
  }

  /** The server grants `size` numbers to a connected device (queue-service grantBlock). */
  private grant(r: Replica, day: Day, size: number): number | null {
    const server = this.replicas[0]!;
    if (deviceTag(server.doc, r.device, day) === null) {
      const index = this.tags.get(day) ?? 0;
      this.tags.set(day, index + 1);
      const tag = deviceTagAt(index);
      if (tag !== null)
        this.count(
          'tag',
          assignDeviceTag(
            server.doc,
            { device: r.device, day, tag },
            { now: this.now, origin: serverOrigin },
          ),
        );
    }
    const start = size === 1 ? this.nextNumber(day) : this.reserveFresh(day, size);
    const res = grantNumberBlock(
      server.doc,
      { device: r.device, day, start, size },
      { now: this.now, origin: serverOrigin },
    );
    this.count('grant', res);
    if (!res.ok) {
      this.giveBack(
        day,
        Array.from({ length: size }, (_, i) => start + i),
      );
      return null;
    }
    this.grants.push(res.grant);
    return start;
  }

  /** A connected device tops its reserve up after adding a ticket (sync/numbers.ts). */
  private topUp(r: Replica, day: Day): void {
    const missing =
      MAX_RESERVE - reserveNumbers(r.doc, r.device, day, this.withheldOf(r, day)).length;
    if (missing > 0) this.grant(r, day, missing);
  }

  /** An idle, connected device gives its reserve back: withheld first, then released and pooled. */
  private giveReserveBack(r: Replica): void {
    const server = this.replicas[0]!;
    if (r === server || !this.connected(server, r)) return;
    const day = this.dayAt(this.now + r.skew);
    const withheld = this.withheldOf(r, day);
    const numbers = reserveNumbers(r.doc, r.device, day, withheld);
    for (const n of numbers) withheld.add(n);
    if (numbers.length === 0) return;
    const res = releaseNumbers(
      server.doc,
      { device: r.device, day, numbers },
      { now: this.now, origin: serverOrigin },
    );
    this.count('release', res);
    if (res.ok) this.giveBack(day, res.released);
  }

  /** Adds a ticket as the app does: the number from the server if it answers in time. */
  private add(r: Replica, ctx: ReturnType<Simulation['ctx']>): void {
    const server = this.replicas[0]!;
    const day = this.dayAt(ctx.now);
    const online = r === server || this.connected(server, r);
    let number: number | null = null;
    if (r === server) number = this.nextNumber(day);
    else if (online) {
      const answered = this.grant(r, day, 1);
      // Now and then the answer misses the budget: the grant joins the reserve later.
      if (this.rand() < 0.8) number = answered;
    }
    const res = ops.addEntry(
      r.doc,
      {
        source: this.pick(ENTRY_SOURCES)!,
        priority: this.rand() < 0.8 ? 'normal' : (this.pick(PRIORITY_CLASSES) as PriorityClass),
        ...(this.rand() < 0.25 ? { service: LAB } : {}),
      },
      {
        ...ctx,
        ...(number === null ? {} : { number }),
        withheld: this.withheldOf(r, day),
      },
    );
    this.count('add', res);
    if (!res.ok) {
      if (r === server && number !== null) this.giveBack(day, [number]);
      return;
    }
    const e = res.entry;
    if (this.issued.has(e.id)) throw new Error(`entry id ${e.id} issued twice`);
    this.issued.set(e.id, {
      id: e.id,
      label: e.label,
      day: e.day,
      issuer: e.issuer,
      number: e.number,
    });
    if (number !== null) {
      const key = `${e.day} ${number}`;
      this.direct.set(key, [...(this.direct.get(key) ?? []), e.issuer]);
    }
    if (online && r !== server) this.topUp(r, day);
  }

  /** Server side: archive days that ended more than a day ago. */
  archive(): void {
    const server = this.replicas[0]!;
    for (const day of finishedDays(server.doc, this.now, 1)) {
      const res = archiveDay(server.doc, { day }, { now: this.now, origin: serverOrigin });
      this.count('archive', res);
      if (res.ok) this.store(res.archive);
    }
  }

  private store(archive: ArchivedDay): void {
    for (const e of archive.entries) {
      if (this.archived.has(e.id)) throw new Error(`entry ${e.id} archived twice`);
      this.archived.set(e.id, e);
    }
  }

  private network(): void {
    const p = this.rand();
    if (p < 0.04) {
      const r = this.pick(this.replicas.slice(1))!;
      r.online = !r.online;
      if (r.online) this.syncPair(r, this.replicas[0]!);
    } else if (p < 0.06) {
      const groups = this.int(1, 2);
      for (const r of this.replicas) r.group = this.int(0, groups - 1);
    } else if (p < 0.07) {
      for (const r of this.replicas) r.group = 0;
    }
    this.deliverSome(this.rand() * 0.8);
  }

  private advanceClock(): void {
    // Mostly a busy clinic; sometimes a quiet spell, sometimes the night passes.
    const p = this.rand();
    this.now +=
      p < 0.98
        ? this.int(0, 90_000)
        : p < 0.997
          ? this.int(10, 90) * 60_000
          : this.int(8, 30) * 3_600_000;
  }

  /** One random operation on one random replica. */
  step(): void {
    this.steps++;
    this.advanceClock();
    this.network();
    const r = this.pick(this.replicas)!;
    const doc = r.doc;
    const ctx = this.ctx(r);
    let today: EntryView[] | null = null;
    const pickEntry = (...statuses: EntryView['status'][]) => {
      today ??= entriesOfDay(doc, this.dayAt(ctx.now));
      return this.pick(today.filter((e) => statuses.includes(e.status)));
    };
    const roomFor = (e: EntryView) => (this.rand() < 0.85 && e.room ? e.room : this.pick(ROOMS));
    const p = this.rand();
    if (r.index === 0 && p < 0.05) return this.archive();
    if (p < 0.3) return this.add(r, ctx);
    if (p < 0.32) return this.giveReserveBack(r);
    if (p < 0.45) {
      const room = this.pick(ROOMS)!;
      const res = calls.callNext(doc, { room }, ctx);
      this.count('callNext', res);
      if (res.ok) this.calls.push({ entryId: res.entry.id, room, round: res.entry.round });
      return;
    }
    const choice = this.int(0, 15);
    // Mostly today's entries in a status the op accepts, sometimes any live entry,
    // yesterday's included: errors (wrong-day, invalid-transition…) must be typed too.
    const any = this.rand() < 0.1;
    const entryIn = (...statuses: EntryView['status'][]) =>
      any ? this.pick(allEntries(doc)) : pickEntry(...statuses);
    switch (choice) {
      case 0: {
        const target = entryIn('waiting');
        if (!target) return;
        const room = this.pick(ROOMS)!;
        const res = calls.callTicket(doc, { entryId: target.id, room }, ctx);
        this.count('callTicket', res);
        if (res.ok) this.calls.push({ entryId: target.id, room, round: res.entry.round });
        return;
      }
      case 1: {
        const e = entryIn('called');
        if (e) this.count('recall', calls.recall(doc, { entryId: e.id, room: roomFor(e)! }, ctx));
        return;
      }
      case 2:
      case 3: {
        const e = entryIn('called');
        if (e)
          this.count('start', calls.startService(doc, { entryId: e.id, room: roomFor(e)! }, ctx));
        return;
      }
      case 4:
      case 5: {
        const e = entryIn('in-service', 'called');
        if (e)
          this.count('finish', calls.finishService(doc, { entryId: e.id, room: roomFor(e)! }, ctx));
        return;
      }
      case 6: {
        const e = entryIn('called');
        if (e)
          this.count('noShow', calls.markNoShow(doc, { entryId: e.id, room: roomFor(e)! }, ctx));
        return;
      }
      case 7: {
        const e = entryIn('called', 'in-service');
        if (e) this.count('sendBack', calls.sendBack(doc, { entryId: e.id }, ctx));
        return;
      }
      case 8: {
        const e = entryIn('waiting', 'called');
        if (e) this.count('cancel', ops.cancelEntry(doc, { entryId: e.id }, ctx));
        return;
      }
      case 9: {
        const e = entryIn('cancelled', 'no-show');
        if (e) this.count('reactivate', ops.reactivateEntry(doc, { entryId: e.id }, ctx));
        return;
      }
      case 10: {
        const a = entryIn('waiting');
        const b = entryIn('waiting');
        if (a && b)
          this.count(
            'reorder',
            ops.reorderEntry(
              doc,
              { entryId: a.id, [this.rand() < 0.5 ? 'before' : 'after']: b.id },
              ctx,
            ),
          );
        return;
      }
      case 11: {
        const e = entryIn('waiting', 'called', 'in-service');
        if (e)
          this.count(
            'priority',
            ops.setPriority(doc, { entryId: e.id, priority: this.pick(PRIORITY_CLASSES)! }, ctx),
          );
        return;
      }
      case 12: {
        const e = entryIn('waiting', 'called', 'in-service');
        if (!e) return;
        const args =
          this.rand() < 0.5
            ? { entryId: e.id, service: this.rand() < 0.5 ? LAB : parseServiceId('main') }
            : { entryId: e.id, room: this.pick(ROOMS)! };
        this.count('transfer', ops.transferEntry(doc, args, ctx));
        return;
      }
      case 13: {
        // Closing is brief: the queue reopens on the next config step.
        const open = readClinic(doc)?.open ?? true;
        this.count('openClose', ops.setQueueOpen(doc, { open: !open || this.rand() < 0.7 }, ctx));
        return;
      }
      case 14:
        this.count(
          'room',
          configureRoom(doc, { id: this.pick(ROOMS)!, open: this.rand() < 0.85 }, ctx),
        );
        return;
      default:
        this.count(
          'service',
          configureService(
            doc,
            { id: this.pick([LAB, parseServiceId('main')])!, open: this.rand() < 0.9 },
            ctx,
          ),
        );
    }
  }
}

function must<T extends { ok: boolean }>(r: T): T {
  if (!r.ok) throw new Error('setup failed');
  return r;
}
