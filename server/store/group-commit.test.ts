import { describe, expect, it } from 'vitest';
import { parseDocName } from '../../shared/ids.js';
import { createGroupCommit, DependentAppendError } from './group-commit.js';
import { createMemoryDocStore } from './memory-store.js';
import type { AppendItem, DocStore } from './types.js';

const A = parseDocName('queue:a').name;
const B = parseDocName('queue:b').name;

/** Wraps a store to record every batch and let the test hold or fail writes. */
function controlledStore() {
  const inner = createMemoryDocStore();
  const batches: AppendItem[][] = [];
  let gate: Promise<void> | null = null;
  let failNext: Error | null = null;
  const store: DocStore = {
    ...inner,
    async appendMany(items) {
      batches.push([...items]);
      if (gate) await gate;
      if (failNext) {
        const err = failNext;
        failNext = null;
        throw err;
      }
      return inner.appendMany(items);
    },
  };
  return {
    store,
    inner,
    batches,
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    failNextWith(err: Error) {
      failNext = err;
    },
  };
}

describe('createGroupCommit', () => {
  it('writes appends made in the same tick with one appendMany', async () => {
    const c = controlledStore();
    const commit = createGroupCommit(c.store);
    const seqs = await Promise.all([
      commit.append(A, Uint8Array.of(1)),
      commit.append(B, Uint8Array.of(2)),
      commit.append(A, Uint8Array.of(3)),
    ]);
    expect(seqs).toEqual([1, 1, 2]);
    expect(c.batches).toHaveLength(1);
    expect((await c.inner.load(A)).updates.map((u) => [...u])).toEqual([[1], [3]]);
  });

  it('gathers appends arriving while a batch is in flight into the next batch', async () => {
    const c = controlledStore();
    const sizes: number[] = [];
    const commit = createGroupCommit(c.store, { onBatch: (size) => sizes.push(size) });
    const release = c.hold();
    const first = commit.append(A, Uint8Array.of(1));
    await new Promise((resolve) => setImmediate(resolve)); // first batch is now in flight
    const later = [2, 3, 4].map((n) => commit.append(A, Uint8Array.of(n)));
    expect(commit.pending).toBe(4);
    release();
    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual([2, 3, 4]);
    expect(c.batches.map((b) => b.length)).toEqual([1, 3]);
    expect(sizes).toEqual([1, 3]);
    expect(commit.pending).toBe(0);
  });

  it('splits a backlog into batches of at most maxBatch, in order', async () => {
    const c = controlledStore();
    const commit = createGroupCommit(c.store, { maxBatch: 4 });
    const seqs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => commit.append(A, Uint8Array.of(i))),
    );
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(c.batches.map((b) => b.length)).toEqual([4, 4, 2]);
  });

  it('rejects every append of a failed batch with its error, and stores none of them', async () => {
    const c = controlledStore();
    const reports: unknown[] = [];
    const commit = createGroupCommit(c.store, {
      onBatch: (_size, _ms, error) => reports.push(error),
    });
    const failure = new Error('disk full');
    c.failNextWith(failure);
    const results = await Promise.allSettled([
      commit.append(A, Uint8Array.of(1)),
      commit.append(B, Uint8Array.of(2)),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    expect(reports).toEqual([failure]);
    expect(await c.inner.exists(A)).toBe(false);
    // The next batch goes through.
    expect(await commit.append(A, Uint8Array.of(3))).toBe(1);
  });

  it('rejects the batch when the store throws synchronously', async () => {
    const store: DocStore = {
      ...createMemoryDocStore(),
      appendMany() {
        throw new Error('sync failure');
      },
    };
    const commit = createGroupCommit(store);
    await expect(commit.append(A, Uint8Array.of(1))).rejects.toThrow('sync failure');
  });

  it('flush writes pending appends now and resolves when they are settled', async () => {
    const c = controlledStore();
    const commit = createGroupCommit(c.store);
    await commit.flush(); // nothing pending
    const appended = commit.append(A, Uint8Array.of(1));
    let settled = false;
    void appended.then(() => (settled = true));
    await commit.flush();
    expect(settled).toBe(true);
    expect(await c.inner.load(A)).toMatchObject({ lastSeq: 1 });
  });

  it('flush waits for the in-flight batch and the backlog behind it, even when they fail', async () => {
    const c = controlledStore();
    const commit = createGroupCommit(c.store);
    const release = c.hold();
    const first = commit.append(A, Uint8Array.of(1)).catch((e: Error) => e.message);
    await new Promise((resolve) => setImmediate(resolve));
    const second = commit.append(B, Uint8Array.of(2));
    const flushed = commit.flush();
    c.failNextWith(new Error('first batch failed'));
    release();
    await flushed;
    expect(await first).toBe('first batch failed');
    expect(await second).toBe(1);
  });

  it('fails the appends of a doc that waited behind its failed batch (they may depend on it); other docs go on', async () => {
    const c = controlledStore();
    const commit = createGroupCommit(c.store);
    const release = c.hold();
    const lost = commit.append(A, Uint8Array.of(1));
    await new Promise((resolve) => setImmediate(resolve));
    // Written while the first is in flight: the next edit of the same doc.
    const dependent = commit.append(A, Uint8Array.of(2));
    const other = commit.append(B, Uint8Array.of(3));
    const flushed = commit.flush();
    c.failNextWith(new Error('disk full'));
    release();
    const results = await Promise.allSettled([lost, dependent, other]);
    await flushed;
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: 'disk full' } });
    expect(results[1]).toMatchObject({ status: 'rejected' });
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(DependentAppendError);
    expect(results[2]).toEqual({ status: 'fulfilled', value: 1 });
    expect(await c.inner.exists(A)).toBe(false);
    expect(commit.pending).toBe(0);
    // A fresh append of the doc (its room reloaded) is stored.
    expect(await commit.append(A, Uint8Array.of(4))).toBe(1);
  });

  it('ignores an onBatch callback that throws', async () => {
    const commit = createGroupCommit(createMemoryDocStore(), {
      onBatch: () => {
        throw new Error('metrics broke');
      },
    });
    expect(await commit.append(A, Uint8Array.of(1))).toBe(1);
  });

  it('rejects a maxBatch that is not a positive integer', () => {
    expect(() => createGroupCommit(createMemoryDocStore(), { maxBatch: 0 })).toThrow(/maxBatch/);
  });
});
