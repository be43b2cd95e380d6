import type { DocName } from '../../shared/ids.js';
import type { AppendItem, DocStore, StoredDoc, StoredTail } from './types.js';
import { CompactionRangeError, StoreClosedError } from './errors.js';
import { checkAfterSeq, checkAppendItems, checkCompaction } from './validate.js';

/** One doc as the memory store keeps it. */
export interface MemoryDoc {
  snapshot: Uint8Array | null;
  throughSeq: number;
  lastSeq: number;
  /** Ascending by seq. */
  updates: Array<{ readonly seq: number; readonly data: Uint8Array }>;
}

/**
 * The "database" behind memory stores. Pass the same one to several
 * `createMemoryDocStore` calls to simulate several processes (or a restart)
 * sharing storage.
 */
export interface MemoryDocData {
  readonly docs: Map<string, MemoryDoc>;
}

export const createMemoryDocData = (): MemoryDocData => ({ docs: new Map() });

export interface MemoryDocStoreOptions {
  /** Shared storage; default: a fresh, private one. */
  readonly data?: MemoryDocData;
}

/**
 * In-memory DocStore for tests. Bytes are copied in and out, so callers see
 * the same aliasing behaviour as with a real database.
 */
export function createMemoryDocStore(options: MemoryDocStoreOptions = {}): DocStore {
  const { docs } = options.data ?? createMemoryDocData();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new StoreClosedError();
  };

  return {
    async load(doc: DocName): Promise<StoredDoc> {
      assertOpen();
      const d = docs.get(doc);
      if (!d) return { snapshot: null, updates: [], lastSeq: 0 };
      return {
        snapshot: d.snapshot && d.snapshot.slice(),
        updates: d.updates.map((u) => u.data.slice()),
        lastSeq: d.lastSeq,
      };
    },

    async loadSince(doc: DocName, afterSeq: number): Promise<StoredTail> {
      assertOpen();
      checkAfterSeq(doc, afterSeq);
      const d = docs.get(doc);
      if (!d) return { snapshot: null, updates: [], lastSeq: 0 };
      const withSnapshot = d.snapshot !== null && d.throughSeq > afterSeq;
      const from = withSnapshot ? d.throughSeq : afterSeq;
      return {
        snapshot: withSnapshot ? d.snapshot!.slice() : null,
        updates: d.updates
          .filter((u) => u.seq > from)
          .map((u) => ({ seq: u.seq, data: u.data.slice() })),
        lastSeq: d.lastSeq,
      };
    },

    async exists(doc: DocName): Promise<boolean> {
      assertOpen();
      return docs.has(doc);
    },

    async appendMany(items: readonly AppendItem[]): Promise<number[]> {
      assertOpen();
      checkAppendItems(items); // before any mutation: all or none
      const seqs = new Array<number>(items.length);
      for (let i = 0; i < items.length; i++) {
        const { doc, update } = items[i]!;
        let d = docs.get(doc);
        if (!d) {
          d = { snapshot: null, throughSeq: 0, lastSeq: 0, updates: [] };
          docs.set(doc, d);
        }
        const seq = ++d.lastSeq;
        d.updates.push({ seq, data: update.slice() });
        seqs[i] = seq;
      }
      return seqs;
    },

    async compact(doc: DocName, snapshot: Uint8Array, throughSeq: number): Promise<void> {
      assertOpen();
      checkCompaction(doc, snapshot, throughSeq);
      let d = docs.get(doc);
      const lastSeq = d?.lastSeq ?? 0;
      if (throughSeq > lastSeq) throw new CompactionRangeError(doc, throughSeq, lastSeq);
      if (!d) {
        d = { snapshot: null, throughSeq: 0, lastSeq: 0, updates: [] };
        docs.set(doc, d);
      }
      // A snapshot covering more is already stored (a concurrent compaction won).
      if (d.snapshot !== null && d.throughSeq > throughSeq) return;
      d.snapshot = snapshot.slice();
      d.throughSeq = throughSeq;
      d.updates = d.updates.filter((u) => u.seq > throughSeq);
    },

    async pendingStats(doc: DocName): Promise<{ count: number; bytes: number }> {
      assertOpen();
      const updates = docs.get(doc)?.updates ?? [];
      let bytes = 0;
      for (const u of updates) bytes += u.data.byteLength;
      return { count: updates.length, bytes };
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}
