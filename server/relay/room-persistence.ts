/**
 * A room's bookkeeping against the store: which stored seqs its doc holds,
 * how much was appended since the last snapshot, loading what other
 * processes stored (catch-up) and compacting. A snapshot only ever covers
 * the contiguous prefix of seqs applied (AppliedSeqs), so it never deletes
 * another process's update that is not in it.
 */
import * as Y from 'yjs';
import type { DocName } from '../../shared/ids.js';
import { AppliedSeqs } from '../store/applied-seqs.js';
import type { DocStore, StoredDoc, StoredTail } from '../store/types.js';
import type { RelayEvents } from './events.js';
import type { RelayLimits } from './limits.js';

export interface PersistenceHooks {
  /** Applies another process's stored tail to the doc and relays what was new. */
  applyTail(tail: StoredTail): void;
  /** Nothing of ours is in flight, so a snapshot holds only durable changes. */
  settled(): boolean;
  /** False once the room failed or was destroyed: stop touching the doc. */
  alive(): boolean;
}

export class RoomPersistence {
  private readonly applied: AppliedSeqs;
  private sinceCompact = { count: 0, bytes: 0 };
  private compacting = false;
  private catchingUp: Promise<void> | null = null;

  constructor(
    private readonly name: DocName,
    private readonly doc: Y.Doc,
    stored: StoredDoc,
    private readonly deps: { store: DocStore; limits: RelayLimits; events: RelayEvents },
    private readonly hooks: PersistenceHooks,
  ) {
    // load() reads snapshot, updates and head in one state: every seq through it is here.
    this.applied = new AppliedSeqs(stored.lastSeq);
    this.sinceCompact = {
      count: stored.updates.length,
      bytes: stored.updates.reduce((n, u) => n + u.byteLength, 0),
    };
  }

  /** One of our appends is durable with this seq. */
  appended(seq: number, bytes: number): void {
    this.applied.add(seq);
    // Someone else appended in between (another process on the database).
    if (this.applied.hasGap) {
      this.catchUp().catch((error: unknown) =>
        this.deps.events.emit({ type: 'catch-up-failed', doc: this.name, error }),
      );
    }
    this.sinceCompact.count++;
    this.sinceCompact.bytes += bytes;
  }

  /** A tail loaded from the store was applied: everything through its head is here. */
  caughtUp(tail: StoredTail): void {
    this.applied.advanceTo(tail.lastSeq);
    const count = tail.updates.length + (tail.snapshot ? 1 : 0);
    this.sinceCompact.count += count;
    this.sinceCompact.bytes += tail.updates.reduce((n, u) => n + u.data.byteLength, 0);
    this.deps.events.emit({ type: 'caught-up', doc: this.name, count });
  }

  /**
   * Loads what other processes stored past our contiguous prefix and hands
   * it to the room. Runs one at a time, and again while a gap remains that
   * the last load did not close (our own append can commit after the load
   * read the head).
   */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        for (;;) {
          const from = this.applied.through;
          const tail = await this.deps.store.loadSince(this.name, from);
          if (!this.hooks.alive()) return;
          this.hooks.applyTail(tail);
          if (!this.applied.hasGap || this.applied.through <= from) return;
        }
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  maybeCompact(): void {
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
   * that are not in our doc.
   */
  async compact(): Promise<void> {
    if (this.compacting || !this.hooks.alive()) return;
    this.compacting = true;
    try {
      await this.catchUp();
      if (!this.hooks.alive() || !this.hooks.settled()) return;
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
}
