import type { DocName } from '../../shared/ids.js';

/**
 * Byte-level document persistence: per doc, one compacted snapshot plus the
 * updates appended since. Every implementation passes the contract suite in
 * `store-contract.ts`.
 */
export interface StoredDoc {
  /** The compacted snapshot (a Yjs update), or null if never compacted. */
  readonly snapshot: Uint8Array | null;
  /** Updates appended after the snapshot, in append order. */
  readonly updates: readonly Uint8Array[];
  /** Sequence number of the last update in `updates` (or the snapshot's), 0 for an empty doc. */
  readonly lastSeq: number;
}

/** One stored update and the seq the store gave it. */
export interface StoredUpdate {
  readonly seq: number;
  readonly data: Uint8Array;
}

/**
 * What a store holds past a seq the caller has already applied (see
 * `DocStore.loadSince`). Applying `snapshot` (if any) then `updates`, on top
 * of everything through `afterSeq`, gives everything through `lastSeq`.
 */
export interface StoredTail {
  /**
   * The compacted snapshot, only when it covers seqs after `afterSeq`: the
   * updates it replaced are gone, so the snapshot is the only copy of them.
   */
  readonly snapshot: Uint8Array | null;
  /** Updates after `afterSeq` and after the snapshot, ascending by seq. */
  readonly updates: readonly StoredUpdate[];
  /** The doc's head: the highest seq ever handed out (0 for an empty doc). */
  readonly lastSeq: number;
}

export interface AppendItem {
  readonly doc: DocName;
  readonly update: Uint8Array;
}

export interface DocStore {
  /** Loads a doc; a doc never written loads as an empty StoredDoc. */
  load(doc: DocName): Promise<StoredDoc>;
  /**
   * What was stored after `afterSeq`, read in one consistent state: a
   * process that has applied every seq through `afterSeq` applies the tail
   * and has then applied every seq through `lastSeq`. How a server picks up
   * what another process sharing the database wrote.
   */
  loadSince(doc: DocName, afterSeq: number): Promise<StoredTail>;
  /** Whether anything was ever stored for the doc. */
  exists(doc: DocName): Promise<boolean>;
  /**
   * Appends updates atomically (all or none), durable when the promise
   * resolves; returns each item's sequence number (increasing per doc).
   */
  appendMany(items: readonly AppendItem[]): Promise<number[]>;
  /**
   * Replaces the snapshot with `snapshot` and deletes updates with
   * seq <= throughSeq, atomically. Updates appended later are kept.
   *
   * The caller must pass a snapshot that really contains every update
   * through `throughSeq`: with several writers, that is the contiguous
   * prefix of seqs it has applied (`AppliedSeqs.through`), never simply the
   * highest seq it appended — another process may own the seqs in between.
   * Compactions of one doc run one at a time (a lock per doc), and one
   * covering less than the stored snapshot changes nothing.
   */
  compact(doc: DocName, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Total bytes and count of updates pending compaction (for thresholds and metrics). */
  pendingStats(doc: DocName): Promise<{ count: number; bytes: number }>;
  close(): Promise<void>;
}
