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
import { DurableQueue, type PendingChange } from './durable-queue.js';
import { RoomAcks } from './room-acks.js';
import { RoomAwareness } from './room-awareness.js';
import { RoomPersistence } from './room-persistence.js';

export interface RoomDeps {
  readonly store: DocStore;
  /** Durable append (group-committed); resolves with the update's seq. */
  readonly append: (doc: DocName, update: Uint8Array) => Promise<number>;
  readonly limits: RelayLimits;
  readonly now: () => number;
  readonly events: RelayEvents;
}

/** The update that changes nothing: no structs, empty delete set. */
const isEmptyUpdate = (u: Uint8Array): boolean => u.byteLength === 2 && u[0] === 0 && u[1] === 0;

export class DocRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly #connections = new Set<Connection>();
  readonly awareness: RoomAwareness;
  private readonly pending = new DurableQueue();
  /** What the current transaction changed, and the domain origin it carried (server changes). */
  private captured: Uint8Array | null = null;
  private capturedOrigin: ChangeOrigin | null = null;
  /** Seqs applied, catch-up and compaction. */
  private readonly persistence: RoomPersistence;
  private flushQueued = false;
  private readonly acks: RoomAcks;
  /** Our state vector as a sync step 1 frame, while it holds only durable changes. */
  private step1Cache: Buffer | null = null;
  /** The last such frame: what a client is told while changes are in flight. */
  private durableStep1: Buffer;
  #failed = false;
  #destroyed = false;

  constructor(
    readonly name: DocName,
    stored: StoredDoc,
    private readonly deps: RoomDeps,
  ) {
    this.awareness = new RoomAwareness(this.connections, deps.limits, deps.now);
    this.acks = new RoomAcks(this, deps.limits.ackDebounceMs, deps.now);
    this.persistence = new RoomPersistence(name, this.doc, stored, deps, {
      applyTail: (tail) => this.applyStored(tail),
      settled: () => this.pending.size === 0,
      alive: () => !this.#failed && !this.#destroyed,
    });
    this.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(this.doc, u);
    });
    // Stored updates never have missing dependencies, but a snapshot written
    // by an older version might: never keep pending structs around.
    this.dropPendingStructs();
    this.durableStep1 = syncStep1Frame(Y.encodeStateVector(this.doc));
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.captured = this.captured === null ? update : Y.mergeUpdates([this.captured, update]);
      if (isQueueOrigin(origin)) this.capturedOrigin = origin;
      this.step1Cache = null;
    });
  }

  /** Who is on this document (read-only: `join` and `leave` change it). */
  get connections(): ReadonlySet<Connection> {
    return this.#connections;
  }

  join(conn: Connection): void {
    this.#connections.add(conn);
  }

  /** False when the connection was not (or no longer) here. */
  leave(conn: Connection): boolean {
    return this.#connections.delete(conn);
  }

  get failed(): boolean {
    return this.#failed;
  }

  get idle(): boolean {
    return this.connections.size === 0 && this.pending.size === 0;
  }

  /**
   * Our state vector as a sync step 1 frame — an acknowledgement, a
   * keepalive, the first frame of a connection: it must never cover a change
   * whose append is still in flight (the client would count it saved). While
   * changes are in flight it is the last frame taken with none in flight
   * (older is safe: the client only resends what we already have).
   */
  step1Frame(): Buffer {
    if (this.pending.size > 0) return this.durableStep1;
    this.step1Cache ??= syncStep1Frame(Y.encodeStateVector(this.doc));
    this.durableStep1 = this.step1Cache;
    return this.step1Cache;
  }

  /** Runs `fn` once every change applied so far is durable (`onFail` if an append fails first). */
  afterDurable(fn: () => void, onFail?: (err: unknown) => void): void {
    this.pending.afterDurable(fn, onFail);
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
      if (!missing && !isEmptyUpdate(update)) this.acks.request(conn);
      return missing ? 'missing-deps' : 'unchanged';
    }
    this.queueCaptured(origin, change);
    return missing ? 'missing-deps' : 'changed';
  }

  /** Appends the change captured by the doc's update listener (or `change`), in order. */
  private queueCaptured(
    origin: ChangeOrigin,
    change: Uint8Array | null = this.captured,
  ): PendingChange | null {
    this.captured = null;
    if (change === null || !isStored(origin)) return null;
    const entry = this.pending.push(change, origin);
    this.deps.append(this.name, change).then(
      (seq) => {
        entry.seq = seq;
        this.persistence.appended(seq, change.byteLength);
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
    const done = this.pending.takeDurable();
    const n = done.length;
    if (n === 0) return;
    // Sync answers waiting on these changes go first: a connection becomes
    // `synced` there, and must then get the relay of everything after its answer.
    for (const p of done) if (p.waiters) for (const w of p.waiters) w();
    const origins = done.map((p) => p.origin);
    const update = n === 1 ? done[0]!.update : Y.mergeUpdates(done.map((p) => p.update));
    this.broadcast(update, sharedWriter(origins));
    for (const p of done) {
      const writer = acknowledgedTo(p.origin);
      if (writer) this.acks.request(writer);
    }
    this.deps.events.emit({
      type: 'durable',
      doc: this.name,
      update,
      origins,
      seqs: done.map((p) => p.seq),
    });
    this.persistence.maybeCompact();
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

  /** Returns true if the last apply left structs or deletes waiting for missing dependencies. */
  private dropPendingStructs(): boolean {
    const store = this.doc.store;
    if (store.pendingStructs === null && store.pendingDs === null) return false;
    store.pendingStructs = null;
    store.pendingDs = null;
    return true;
  }

  // ── other writers on the same database ────────────────────────────────

  /** Loads and relays what other processes stored past what this doc holds. */
  catchUp(): Promise<void> {
    return this.persistence.catchUp();
  }

  private applyStored(tail: StoredTail): void {
    this.captured = null;
    this.doc.transact(() => {
      if (tail.snapshot) Y.applyUpdate(this.doc, tail.snapshot, instanceOrigin);
      for (const u of tail.updates) Y.applyUpdate(this.doc, u.data, instanceOrigin);
    }, instanceOrigin);
    this.dropPendingStructs();
    const change = this.captured as Uint8Array | null;
    this.captured = null;
    this.persistence.caughtUp(tail);
    if (change === null) return;
    // Already durable; sent behind our own changes in flight, so a connection
    // whose sync answer is still waiting gets it first.
    this.afterDurable(() => this.broadcast(change, null));
  }

  // ── lifecycle ──────────────────────────────────────────────────────────

  /** Compacts what this doc holds into one snapshot (after loading others' updates). */
  compact(): Promise<void> {
    return this.persistence.compact();
  }

  private fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.pending.failAll(error);
    for (const c of this.connections) c.close(CloseCode.storeFailed);
    this.deps.events.emit({ type: 'append-failed', doc: this.name, error });
  }

  destroy(): void {
    this.#destroyed = true;
    this.acks.stop();
    this.doc.destroy();
  }
}
