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

export interface AppendItem {
  readonly doc: DocName;
  readonly update: Uint8Array;
}

export interface DocStore {
  /** Loads a doc; a doc never written loads as an empty StoredDoc. */
  load(doc: DocName): Promise<StoredDoc>;
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
   */
  compact(doc: DocName, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Total bytes and count of updates pending compaction (for thresholds and metrics). */
  pendingStats(doc: DocName): Promise<{ count: number; bytes: number }>;
  close(): Promise<void>;
}
