/**
 * The behaviour every DocStore must have. Each implementation's test file
 * calls `describeDocStoreContract` with a factory for a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName, type DocName } from '../../shared/ids.js';
import { AppliedSeqs } from './applied-seqs.js';
import type { DocStore, StoredTail } from './types.js';
import { CompactionRangeError, StoreClosedError } from './errors.js';

export interface DocStoreHarness {
  /** A store on fresh, empty storage. */
  readonly store: DocStore;
  /**
   * Opens another DocStore on the same storage, as a second process or a
   * restart would (a separate connection). Enables the persistence and
   * multi-instance tests. The harness closes what it opened in `cleanup`.
   */
  readonly openAnother?: () => Promise<DocStore>;
  /** Closes everything and deletes the storage. */
  readonly cleanup: () => Promise<void>;
}

const doc = (id: string): DocName => parseDocName(`queue:${id}`).name;
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (u: Uint8Array): string => new TextDecoder().decode(u);
const same = (a: Uint8Array | null, b: Uint8Array): boolean =>
  a !== null && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

export function describeDocStoreContract(
  name: string,
  makeStore: () => Promise<DocStoreHarness>,
): void {
  describe(`DocStore contract: ${name}`, () => {
    let h: DocStoreHarness;
    let store: DocStore;

    beforeEach(async () => {
      h = await makeStore();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const A = doc('a');
    const B = doc('b');

    it('loads a never-written doc as empty', async () => {
      expect(await store.load(A)).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
      expect(await store.exists(A)).toBe(false);
      expect(await store.pendingStats(A)).toEqual({ count: 0, bytes: 0 });
    });

    it('returns appended updates in append order, per doc', async () => {
      await store.appendMany([{ doc: A, update: text('a1') }]);
      await store.appendMany([
        { doc: B, update: text('b1') },
        { doc: A, update: text('a2') },
        { doc: A, update: text('a3') },
      ]);
      await store.appendMany([{ doc: A, update: text('a4') }]);

      const a = await store.load(A);
      expect(a.snapshot).toBeNull();
      expect(a.updates.map(decode)).toEqual(['a1', 'a2', 'a3', 'a4']);
      expect(a.lastSeq).toBe(4);
      expect((await store.load(B)).updates.map(decode)).toEqual(['b1']);
    });

    it('numbers updates with increasing seqs per doc, consecutive within a batch', async () => {
      const first = await store.appendMany([
        { doc: A, update: bytes(1) },
        { doc: B, update: bytes(2) },
        { doc: A, update: bytes(3) },
      ]);
      const second = await store.appendMany([
        { doc: B, update: bytes(4) },
        { doc: A, update: bytes(5) },
      ]);
      expect(first).toEqual([1, 1, 2]);
      expect(second).toEqual([2, 3]);
      expect((await store.load(A)).lastSeq).toBe(3);
      expect((await store.load(B)).lastSeq).toBe(2);
    });

    it('appends an empty batch as a no-op', async () => {
      expect(await store.appendMany([])).toEqual([]);
      expect(await store.exists(A)).toBe(false);
    });

    it('stores nothing from a batch that is rejected', async () => {
      await store.appendMany([{ doc: A, update: text('kept') }]);
      await expect(
        store.appendMany([
          { doc: A, update: text('lost') },
          { doc: B, update: 'not bytes' as unknown as Uint8Array },
        ]),
      ).rejects.toThrow(TypeError);
      expect(await store.load(A)).toMatchObject({ lastSeq: 1 });
      expect((await store.load(A)).updates.map(decode)).toEqual(['kept']);
      expect(await store.exists(B)).toBe(false);
      expect(await store.appendMany([{ doc: A, update: text('next') }])).toEqual([2]);
    });

    it('keeps its own copy of appended bytes', async () => {
      const update = bytes(1, 2, 3);
      await store.appendMany([{ doc: A, update }]);
      update[0] = 99;
      expect([...(await store.load(A)).updates[0]!]).toEqual([1, 2, 3]);
    });

    it('compacts: replaces the snapshot and keeps only updates after throughSeq', async () => {
      await store.appendMany(['1', '2', '3', '4'].map((s) => ({ doc: A, update: text(s) })));
      await store.compact(A, text('S<=2'), 2);

      let loaded = await store.load(A);
      expect(decode(loaded.snapshot!)).toBe('S<=2');
      expect(loaded.updates.map(decode)).toEqual(['3', '4']);
      expect(loaded.lastSeq).toBe(4);
      expect(await store.pendingStats(A)).toEqual({ count: 2, bytes: 2 });

      await store.compact(A, text('S<=4'), 4);
      loaded = await store.load(A);
      expect(decode(loaded.snapshot!)).toBe('S<=4');
      expect(loaded.updates).toEqual([]);
      expect(loaded.lastSeq).toBe(4);
    });

    it('keeps numbering after the last seq once updates are compacted away', async () => {
      await store.appendMany([
        { doc: A, update: bytes(1) },
        { doc: A, update: bytes(2) },
      ]);
      await store.compact(A, bytes(0), 2);
      expect(await store.appendMany([{ doc: A, update: bytes(3) }])).toEqual([3]);
      const loaded = await store.load(A);
      expect(loaded.lastSeq).toBe(3);
      expect(loaded.updates.map((u) => [...u])).toEqual([[3]]);
    });

    it('rejects a compaction beyond the last appended seq, changing nothing', async () => {
      await store.appendMany([{ doc: A, update: bytes(1) }]);
      await expect(store.compact(A, bytes(9), 2)).rejects.toBeInstanceOf(CompactionRangeError);
      await expect(store.compact(A, bytes(9), -1)).rejects.toBeInstanceOf(CompactionRangeError);
      await expect(store.compact(A, bytes(9), 1.5)).rejects.toBeInstanceOf(CompactionRangeError);
      await expect(store.compact(B, bytes(9), 1)).rejects.toBeInstanceOf(CompactionRangeError);
      expect(await store.load(A)).toMatchObject({ snapshot: null, lastSeq: 1 });
      expect(await store.exists(B)).toBe(false);
    });

    it('ignores a compaction that covers less than the stored snapshot', async () => {
      await store.appendMany([1, 2, 3, 4].map((n) => ({ doc: A, update: bytes(n) })));
      await store.compact(A, text('newer'), 3);
      await store.compact(A, text('older'), 2);
      const loaded = await store.load(A);
      expect(decode(loaded.snapshot!)).toBe('newer');
      expect(loaded.updates.map((u) => [...u])).toEqual([[4]]);
    });

    it('keeps every update appended while a compaction runs', async () => {
      const before = await store.appendMany(
        [1, 2, 3, 4, 5].map((n) => ({ doc: A, update: bytes(n) })),
      );
      const throughSeq = before.at(-1)!;
      const appends = Array.from({ length: 30 }, (_, i) =>
        store.appendMany([{ doc: A, update: bytes(10 + i) }]),
      );
      const [, ...results] = await Promise.all([
        store.compact(A, text('snap'), throughSeq),
        ...appends,
      ]);

      const seqs = results.map((r) => r[0]!);
      expect(new Set(seqs).size).toBe(30);
      expect(Math.min(...seqs)).toBeGreaterThan(throughSeq);
      const loaded = await store.load(A);
      expect(decode(loaded.snapshot!)).toBe('snap');
      expect(loaded.lastSeq).toBe(35);
      // Every concurrent append is there, in seq order.
      const bySeq = results
        .map((r, i) => ({ seq: r[0]!, value: 10 + i }))
        .sort((x, y) => x.seq - y.seq)
        .map((x) => x.value);
      expect(loaded.updates.map((u) => u[0])).toEqual(bySeq);
    });

    it('reports whether anything was stored', async () => {
      await store.appendMany([{ doc: A, update: bytes(1) }]);
      expect(await store.exists(A)).toBe(true);
      await store.compact(A, bytes(0), 1);
      expect(await store.exists(A)).toBe(true);
      // A doc that only ever got a snapshot (e.g. imported) exists too.
      await store.compact(B, bytes(0), 0);
      expect(await store.exists(B)).toBe(true);
      expect(await store.load(B)).toMatchObject({ lastSeq: 0, updates: [] });
      expect(await store.exists(doc('c'))).toBe(false);
    });

    it('counts the updates and bytes pending compaction', async () => {
      await store.appendMany([
        { doc: A, update: new Uint8Array(10) },
        { doc: A, update: new Uint8Array(20) },
        { doc: B, update: new Uint8Array(5) },
      ]);
      expect(await store.pendingStats(A)).toEqual({ count: 2, bytes: 30 });
      await store.compact(A, new Uint8Array(1), 1);
      expect(await store.pendingStats(A)).toEqual({ count: 1, bytes: 20 });
      expect(await store.pendingStats(B)).toEqual({ count: 1, bytes: 5 });
    });

    it('round-trips 5 MiB updates and snapshots byte for byte', async () => {
      const big = new Uint8Array(5 * 1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 13)) & 0xff;
      const [seq] = await store.appendMany([{ doc: A, update: big }]);
      let loaded = await store.load(A);
      expect(same(loaded.updates[0]!, big)).toBe(true);
      expect(await store.pendingStats(A)).toEqual({ count: 1, bytes: big.length });

      await store.compact(A, big, seq!);
      loaded = await store.load(A);
      expect(same(loaded.snapshot, big)).toBe(true);
      expect(loaded.updates).toEqual([]);
    });

    it('rejects calls after close with StoreClosedError', async () => {
      await store.close();
      await expect(store.load(A)).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.appendMany([{ doc: A, update: bytes(1) }])).rejects.toBeInstanceOf(
        StoreClosedError,
      );
      await store.close(); // idempotent
    });

    it('keeps everything across close and reopen', async (ctx) => {
      if (!h.openAnother) return ctx.skip();
      await store.appendMany([1, 2, 3].map((n) => ({ doc: A, update: bytes(n) })));
      await store.compact(A, text('snap'), 2);
      await store.appendMany([{ doc: A, update: bytes(4) }]);
      await store.close();

      const reopened = await h.openAnother();
      const loaded = await reopened.load(A);
      expect(decode(loaded.snapshot!)).toBe('snap');
      expect(loaded.updates.map((u) => [...u])).toEqual([[3], [4]]);
      expect(loaded.lastSeq).toBe(4);
      expect(await reopened.appendMany([{ doc: A, update: bytes(5) }])).toEqual([5]);
    });

    it("sees another instance's appends on the same storage, with seqs that never collide", async (ctx) => {
      if (!h.openAnother) return ctx.skip();
      const other = await h.openAnother();
      await store.appendMany([{ doc: A, update: bytes(1) }]);
      expect((await other.load(A)).updates.map((u) => [...u])).toEqual([[1]]);
      expect(await other.appendMany([{ doc: A, update: bytes(2) }])).toEqual([2]);
      expect((await store.load(A)).lastSeq).toBe(2);

      // Concurrent appends from both instances, some in multi-doc batches.
      const writes = Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? store : other).appendMany([
          { doc: A, update: bytes(i) },
          ...(i % 3 === 0 ? [{ doc: B, update: bytes(i) }] : []),
        ]),
      );
      const seqs = (await Promise.all(writes)).map((r) => r[0]!);
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 3));
      const [fromStore, fromOther] = await Promise.all([store.load(A), other.load(A)]);
      expect(fromStore.lastSeq).toBe(42);
      expect(fromStore.updates.length).toBe(42);
      expect(fromOther.updates.map((u) => [...u])).toEqual(fromStore.updates.map((u) => [...u]));
      expect((await store.load(B)).updates.length).toBe(14);
    });
    describe('several writers on one doc (two server processes)', () => {
      it('lists what was stored after a seq, consistently, and nothing for an unknown doc', async () => {
        expect(await store.loadSince(A, 0)).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
        await store.appendMany([1, 2, 3].map((n) => ({ doc: A, update: bytes(n) })));
        const tail = await store.loadSince(A, 1);
        expect(tail.snapshot).toBeNull();
        expect(tail.updates.map((u) => [u.seq, [...u.data]])).toEqual([
          [2, [2]],
          [3, [3]],
        ]);
        expect(tail.lastSeq).toBe(3);
        expect(await store.loadSince(A, 3)).toEqual({ snapshot: null, updates: [], lastSeq: 3 });
        await expect(store.loadSince(A, -1)).rejects.toThrow(RangeError);
        await expect(store.loadSince(A, 0.5)).rejects.toThrow(RangeError);
      });

      it('hands over the snapshot when the seqs after the caller were compacted away', async () => {
        await store.appendMany([1, 2, 3, 4].map((n) => ({ doc: A, update: bytes(n) })));
        await store.compact(A, text('S<=3'), 3);
        const behind = await store.loadSince(A, 1);
        expect(decode(behind.snapshot!)).toBe('S<=3');
        expect(behind.updates.map((u) => u.seq)).toEqual([4]);
        // A caller already past the snapshot does not get it again.
        const ahead = await store.loadSince(A, 3);
        expect(ahead.snapshot).toBeNull();
        expect(ahead.updates.map((u) => u.seq)).toEqual([4]);
      });

      it("keeps the other process's update 11 when one holding 10 and 12 compacts; a fresh load has it", async (ctx) => {
        if (!h.openAnother) return ctx.skip();
        const one = await Writer.open(store, A);
        for (let i = 1; i <= 10; i++) await one.write(`one-${i}`);
        const two = await Writer.open(await h.openAnother(), A);
        expect(await two.write('two-11')).toBe(11);
        expect(await one.write('one-12')).toBe(12);
        expect(one.applied.through).toBe(10);
        expect(one.applied.hasGap).toBe(true);

        await one.compact();
        expect(await store.pendingStats(A)).toMatchObject({ count: 2 });
        expect(keysOf(await loadDoc(store, A))).toEqual(keysOf(merged(one, two)));
        expect(keysOf(await loadDoc(store, A))).toContain('two-11');

        // Once it has loaded the tail, it compacts through everything.
        await one.catchUp();
        expect(one.applied.through).toBe(12);
        expect(one.doc.getMap('m').get('two-11')).toBe(11);
        await one.compact();
        expect(await store.pendingStats(A)).toEqual({ count: 0, bytes: 0 });
        expect(keysOf(await loadDoc(store, A))).toEqual(keysOf(merged(one, two)));
      });

      it('keeps every update when two processes with different gaps compact at once', async (ctx) => {
        if (!h.openAnother) return ctx.skip();
        const one = await Writer.open(store, A);
        const two = await Writer.open(await h.openAnother(), A);
        for (let round = 0; round < 5; round++) {
          await Promise.all(
            Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? two : one).write(`r${round}-${i}`)),
          );
          // A process that noticed a gap loads the tail first (as the relay
          // does before compacting); the other compacts only its prefix.
          if (round % 2 === 0) await one.catchUp();
          await Promise.all([one.compact(), two.compact()]);
          const stored = keysOf(await loadDoc(store, A));
          expect(stored).toEqual(keysOf(merged(one, two)));
        }
      });
    });
  });
}

/**
 * A server process's view of one doc: its own Y.Doc, appending what it
 * changes and tracking which seqs it has applied — what the relay's DocRoom
 * does, reduced to what the store contract needs.
 */
class Writer {
  readonly doc = new Y.Doc();
  private constructor(
    private readonly store: DocStore,
    private readonly name: DocName,
    readonly applied: AppliedSeqs,
  ) {}

  static async open(store: DocStore, name: DocName): Promise<Writer> {
    const stored = await store.load(name);
    const w = new Writer(store, name, new AppliedSeqs(stored.lastSeq));
    if (stored.snapshot) Y.applyUpdate(w.doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(w.doc, u);
    return w;
  }

  /** Sets key → its seq's expected value and appends the change; resolves with the seq. */
  async write(key: string): Promise<number> {
    const before = Y.encodeStateVector(this.doc);
    this.doc.getMap('m').set(key, Number(/\d+$/.exec(key)?.[0] ?? 0));
    const [seq] = await this.store.appendMany([
      { doc: this.name, update: Y.encodeStateAsUpdate(this.doc, before) },
    ]);
    this.applied.add(seq!);
    return seq!;
  }

  async catchUp(): Promise<StoredTail> {
    const tail = await this.store.loadSince(this.name, this.applied.through);
    if (tail.snapshot) Y.applyUpdate(this.doc, tail.snapshot);
    for (const u of tail.updates) Y.applyUpdate(this.doc, u.data);
    this.applied.advanceTo(tail.lastSeq);
    return tail;
  }

  /** Compacts through the contiguous prefix it has applied: what its snapshot really contains. */
  compact(): Promise<void> {
    return this.store.compact(this.name, Y.encodeStateAsUpdate(this.doc), this.applied.through);
  }
}

async function loadDoc(store: DocStore, name: DocName): Promise<Y.Doc> {
  const stored = await store.load(name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

/** Everything both writers wrote. */
function merged(...writers: Writer[]): Y.Doc {
  const doc = new Y.Doc();
  for (const w of writers) Y.applyUpdate(doc, Y.encodeStateAsUpdate(w.doc));
  return doc;
}

const keysOf = (doc: Y.Doc): string[] => [...doc.getMap('m').keys()].sort();
