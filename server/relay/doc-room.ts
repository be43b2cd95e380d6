/**
 * One loaded document and its connections: the write path.
 *
 * Per incoming update: validate (by the caller) → apply inside one
 * transaction and capture what it actually changed (Yjs emits only the
 * integrated structs and new deletions, so a replay changes nothing) →
 * append that change to the store (group commit) → relay it and acknowledge.
 * Nobody observes a change before its append is durable: relays, sync
 * answers and acknowledgements wait behind the appends in flight. What to
 * append, relay and acknowledge is decided by the change's origin
 * (`origin.ts`). If an append fails, the in-memory doc may hold a change the
 * store lacks: the room announces 'append-failed' and is dropped by its
 * registry (its writers still hold their edits and resend them on
 * reconnect) — a failed append applies nothing.
 */
import * as Y from 'yjs';
import type { DocName } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import { isQueueOrigin, serverOrigin } from '../../shared/queue/origins.js';
import { AppliedSeqs } from '../store/applied-seqs.js';
import type { DocStore, StoredDoc, StoredTail } from '../store/types.js';
import type { Connection } from './connection.js';
import type { RelayEvents } from './events.js';
import { syncStep1Frame, syncStep2Frame, updateFrame } from './frames.js';
import type { RelayLimits } from './limits.js';
import {
  acknowledgedTo,
  connectionOrigin,
  instanceOrigin,
  isStored,
  sharedWriter,
  type ChangeOrigin,
} from './origin.js';
import { RoomAwareness } from './room-awareness.js';

export interface RoomDeps {
  readonly store: DocStore;
  /** Durable append (group-committed); resolves with the update's seq. */
  readonly append: (doc: DocName, update: Uint8Array) => Promise<number>;
  readonly limits: RelayLimits;
  readonly now: () => number;
  readonly events: RelayEvents;
}

interface Pending {
  readonly update: Uint8Array;
  readonly origin: ChangeOrigin;
  seq: number;
  durable: boolean;
  waiters: (() => void)[] | null;
  /** Told when the append fails (server-side changes answer their caller with an error). */
  failers: ((err: unknown) => void)[] | null;
}

/** The update that changes nothing: no structs, empty delete set. */
const isEmptyUpdate = (u: Uint8Array): boolean => u.byteLength === 2 && u[0] === 0 && u[1] === 0;

export class DocRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly connections = new Set<Connection>();
  readonly awareness: RoomAwareness;
  private readonly pending: Pending[] = [];
  /** What the current transaction changed, and the domain origin it carried (server changes). */
  private captured: Uint8Array | null = null;
  private capturedOrigin: ChangeOrigin | null = null;
  /** Which stored seqs this doc holds: compaction covers only their contiguous prefix. */
  private readonly applied: AppliedSeqs;
  private catchingUp: Promise<void> | null = null;
  private sinceCompact = { count: 0, bytes: 0 };
  private compacting = false;
  private flushQueued = false;
  private ackTimer: NodeJS.Timeout | null = null;
  private step1Cache: Buffer | null = null;
  #failed = false;
  #destroyed = false;

  constructor(
    readonly name: DocName,
    stored: StoredDoc,
    private readonly deps: RoomDeps,
  ) {
    this.awareness = new RoomAwareness(this.connections, deps.limits.maxOwnedClients, deps.now);
    // load() reads snapshot, updates and head in one state: every seq through it is here.
    this.applied = new AppliedSeqs(stored.lastSeq);
    this.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(this.doc, u);
    });
    this.sinceCompact = {
      count: stored.updates.length,
      bytes: stored.updates.reduce((n, u) => n + u.byteLength, 0),
    };
    // Stored updates never have missing dependencies, but a snapshot written
    // by an older version might: never keep pending structs around.
    this.dropPendingStructs();
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.captured = this.captured === null ? update : Y.mergeUpdates([this.captured, update]);
      if (isQueueOrigin(origin)) this.capturedOrigin = origin;
      this.step1Cache = null;
    });
  }

  get failed(): boolean {
    return this.#failed;
  }

  get idle(): boolean {
    return this.connections.size === 0 && this.pending.length === 0;
  }

  /** Our state vector as a sync step 1 frame (cached until the doc changes). */
  step1Frame(): Buffer {
    this.step1Cache ??= syncStep1Frame(Y.encodeStateVector(this.doc));
    return this.step1Cache;
  }

  /** Runs `fn` once every change applied so far is durable (`onFail` if an append fails first). */
  afterDurable(fn: () => void, onFail?: (err: unknown) => void): void {
    const last = this.pending[this.pending.length - 1];
    if (last === undefined) fn();
    else {
      (last.waiters ??= []).push(fn);
      if (onFail) (last.failers ??= []).push(onFail);
    }
  }

  whenDurable(): Promise<void> {
    return new Promise((resolve, reject) => this.afterDurable(resolve, reject));
  }

  /**
   * A change the server makes itself (joins, integration API calls, number
   * grants), in two steps around a synchronous edit of `doc` — a shared
   * domain operation: `beginLocal()`, edit, `commitLocal()`. The change then
   * takes the same path as a client's write: appended, relayed to every
   * connection, and the promise resolves once it is durable. Its origin is
   * the domain operation's transaction origin (a `QueueOrigin`). It rejects
   * when the append fails (the room then reloads from the store, so the
   * change is gone everywhere and the caller reports an error).
   */
  beginLocal(): void {
    if (this.#failed) throw new Error('document reloading');
    this.captured = null;
    this.capturedOrigin = null;
  }

  commitLocal(): Promise<void> {
    const entry = this.queueCaptured(this.capturedOrigin ?? serverOrigin);
    this.capturedOrigin = null;
    return new Promise<void>((resolve, reject) => {
      if (entry === null) this.afterDurable(resolve, reject);
      else {
        entry.waiters = [resolve];
        entry.failers = [reject];
      }
    });
  }

  /** Answers a sync step 1: what the client lacks, sent once it is durable. */
  answerStep1(conn: Connection, stateVector: Uint8Array): void {
    const frame = syncStep2Frame(Y.encodeStateAsUpdate(this.doc, stateVector));
    this.afterDurable(() => {
      conn.send(frame, this.deps.now());
      if (conn.markSynced() && conn.canWrite && this.awareness.size > 0) {
        conn.send(this.awareness.snapshotFrame(), this.deps.now());
      }
    });
  }

  /**
   * Applies a validated update from a writer. Returns 'missing-deps' when
   * part of it depends on structs we lack (that part is not kept; the caller
   * asks the client to resync).
   */
  applyClientUpdate(
    conn: Connection,
    update: Uint8Array,
  ): 'changed' | 'unchanged' | 'missing-deps' {
    this.captured = null;
    const origin = connectionOrigin(conn);
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (err) {
      // Validation decodes fully first, so this is unexpected: the doc may be
      // half-applied, which only a reload from the store can undo.
      this.fail(err);
      throw err;
    }
    const missing = this.dropPendingStructs();
    // Set by the doc's 'update' listener during applyUpdate (TS cannot see that).
    const change = this.captured as Uint8Array | null;
    this.captured = null;
    if (change === null) {
      // An empty update is the stock client's answer to our acknowledgement:
      // acknowledging it again would ping-pong forever.
      if (!missing && !isEmptyUpdate(update)) this.requestAck(conn);
      return missing ? 'missing-deps' : 'unchanged';
    }
    this.queueCaptured(origin, change);
    return missing ? 'missing-deps' : 'changed';
  }

  /** Appends the change captured by the doc's update listener (or `change`), in order. */
  private queueCaptured(
    origin: ChangeOrigin,
    change: Uint8Array | null = this.captured,
  ): Pending | null {
    this.captured = null;
    if (change === null || !isStored(origin)) return null;
    const entry: Pending = {
      update: change,
      origin,
      seq: 0,
      durable: false,
      waiters: null,
      failers: null,
    };
    this.pending.push(entry);
    this.deps.append(this.name, change).then(
      (seq) => {
        entry.seq = seq;
        this.applied.add(seq);
        // Someone else appended in between (another process on the database).
        if (this.applied.hasGap) this.catchUpInBackground();
        this.sinceCompact.count++;
        this.sinceCompact.bytes += change.byteLength;
        entry.durable = true;
        // Group commit resolves a batch's appends one by one: flush once after
        // all of them, so the batch goes out as one merged frame per reader.
        if (!this.flushQueued) {
          this.flushQueued = true;
          queueMicrotask(() => {
            this.flushQueued = false;
            this.flushDurable();
          });
        }
      },
      (err: unknown) => this.fail(err),
    );
    return entry;
  }

  /** Relays, in order, every change whose append completed; merges a run into one frame. */
  private flushDurable(): void {
    if (this.#failed) return;
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.durable) n++;
    if (n === 0) return;
    const done = this.pending.splice(0, n);
    // Sync answers waiting on these changes go first: a connection becomes
    // `synced` there, and must then get the relay of everything after its answer.
    for (const p of done) if (p.waiters) for (const w of p.waiters) w();
    const origins = done.map((p) => p.origin);
    const update = n === 1 ? done[0]!.update : Y.mergeUpdates(done.map((p) => p.update));
    this.broadcast(update, sharedWriter(origins));
    for (const p of done) {
      const writer = acknowledgedTo(p.origin);
      if (writer) this.requestAck(writer);
    }
    this.deps.events.emit({
      type: 'durable',
      doc: this.name,
      update,
      origins,
      seqs: done.map((p) => p.seq),
    });
    this.maybeCompact();
  }

  /** Sends an update to every synced connection but its writer. */
  private broadcast(update: Uint8Array, writer: Connection | null): void {
    const frame = updateFrame(update);
    const now = this.deps.now();
    for (const c of this.connections) {
      if (c === writer || !c.synced) continue;
      c.sendUpdate(update, frame, now);
    }
  }

  /** Writers learn (debounced) which state reached the server: our sync step 1. */
  private requestAck(conn: Connection): void {
    conn.requestAck();
    if (this.ackTimer !== null) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      this.afterDurable(() => this.sendAcks());
    }, this.deps.limits.ackDebounceMs);
    this.ackTimer.unref();
  }

  private sendAcks(): void {
    const now = this.deps.now();
    for (const c of this.connections) if (c.takeAck()) c.send(this.step1Frame(), now);
  }

  /** Returns true if the last apply left structs or deletes waiting for missing dependencies. */
  private dropPendingStructs(): boolean {
    const store = this.doc.store;
    if (store.pendingStructs === null && store.pendingDs === null) return false;
    store.pendingStructs = null;
    store.pendingDs = null;
    return true;
  }

  // ── other writers on the same database ────────────────────────────────

  /**
   * Loads what other processes stored past our contiguous prefix, applies
   * it and relays what was new to our connections. Runs one at a time, and
   * again while a gap remains that the last load did not close (our own
   * append can commit after the load read the head).
   */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        for (;;) {
          const from = this.applied.through;
          const tail = await this.deps.store.loadSince(this.name, from);
          if (this.#failed || this.#destroyed) return;
          this.applyStored(tail);
          if (!this.applied.hasGap || this.applied.through <= from) return;
        }
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  private catchUpInBackground(): void {
    this.catchUp().catch((error: unknown) =>
      this.deps.events.emit({ type: 'catch-up-failed', doc: this.name, error }),
    );
  }

  private applyStored(tail: StoredTail): void {
    const count = tail.updates.length + (tail.snapshot ? 1 : 0);
    this.captured = null;
    this.doc.transact(() => {
      if (tail.snapshot) Y.applyUpdate(this.doc, tail.snapshot, instanceOrigin);
      for (const u of tail.updates) Y.applyUpdate(this.doc, u.data, instanceOrigin);
    }, instanceOrigin);
    this.dropPendingStructs();
    const change = this.captured as Uint8Array | null;
    this.captured = null;
    this.applied.advanceTo(tail.lastSeq);
    this.deps.events.emit({ type: 'caught-up', doc: this.name, count });
    if (change === null) return;
    this.sinceCompact.count += count;
    this.sinceCompact.bytes += tail.updates.reduce((n, u) => n + u.data.byteLength, 0);
    // Already durable; sent behind our own changes in flight, so a connection
    // whose sync answer is still waiting gets it first.
    this.afterDurable(() => this.broadcast(change, null));
  }

  // ── lifecycle ──────────────────────────────────────────────────────────

  private maybeCompact(): void {
    const { compactAfterUpdates, compactAfterBytes } = this.deps.limits;
    if (
      this.sinceCompact.count >= compactAfterUpdates ||
      this.sinceCompact.bytes >= compactAfterBytes
    ) {
      void this.compact();
    }
  }

  /**
   * Writes one snapshot replacing the stored updates it really contains:
   * first loads what other processes stored past our prefix, then compacts
   * through the contiguous prefix of seqs applied — never through the
   * highest seq we appended, which would delete another process's updates
   * that are not in our doc. Only runs when nothing of ours is in flight, so
   * the snapshot holds nothing that is not durable.
   */
  async compact(): Promise<void> {
    if (this.compacting || this.#failed) return;
    this.compacting = true;
    try {
      await this.catchUp();
      if (this.#failed || this.#destroyed || this.pending.length > 0) return;
      if (this.sinceCompact.count === 0) return;
      const snapshot = Y.encodeStateAsUpdate(this.doc);
      const throughSeq = this.applied.through;
      const counted = { ...this.sinceCompact };
      await this.deps.store.compact(this.name, snapshot, throughSeq);
      this.sinceCompact.count -= counted.count;
      this.sinceCompact.bytes -= counted.bytes;
    } catch (error) {
      // The updates are still stored; keep the doc and try again next time.
      this.deps.events.emit({ type: 'compact-failed', doc: this.name, error });
    } finally {
      this.compacting = false;
    }
  }

  private fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    for (const p of this.pending) if (p.failers) for (const f of p.failers) f(error);
    this.pending.length = 0;
    for (const c of this.connections) c.close(CloseCode.storeFailed);
    this.deps.events.emit({ type: 'append-failed', doc: this.name, error });
  }

  destroy(): void {
    this.#destroyed = true;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.doc.destroy();
  }
}
