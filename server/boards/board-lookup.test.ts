import { describe, expect, it } from 'vitest';
import { parseClinicId, type BoardId } from '../../shared/ids.js';
import { createBoardLookup } from './board-lookup.js';
import type { Board } from './boards.js';

function fakeRepo() {
  const rows = new Map<string, Board>();
  let reads = 0;
  let gate: Promise<void> | null = null;
  return {
    rows,
    get reads() {
      return reads;
    },
    hold(p: Promise<void>) {
      gate = p;
    },
    async get(id: string) {
      reads++;
      // Read now, answered when the gate opens: an answer that is stale by then.
      const row = rows.get(id) ?? null;
      if (gate) await gate;
      return row;
    },
    put(id: string, archivedAt: number | null = null) {
      rows.set(id, {
        id: id as BoardId,
        clinicId: parseClinicId('c1'),
        title: 'T',
        template: 'blank',
        createdBy: 'u1',
        createdAt: 0,
        archivedAt,
      });
    },
  };
}

describe('board lookup cache', () => {
  it('answers clinic and archived flag, and serves repeats from the cache until the TTL', async () => {
    const repo = fakeRepo();
    let now = 0;
    const cache = createBoardLookup(repo, { now: () => now, ttlMs: 1000 });
    repo.put('b1');
    expect(await cache.lookup('b1')).toEqual({ clinicId: 'c1', archived: false });
    expect(await cache.lookup('b1')).toEqual({ clinicId: 'c1', archived: false });
    expect(repo.reads).toBe(1);
    repo.put('b1', 5);
    now = 1001;
    expect(await cache.lookup('b1')).toEqual({ clinicId: 'c1', archived: true });
    expect(repo.reads).toBe(2);
  });

  it('sees an archive at once after invalidate', async () => {
    const repo = fakeRepo();
    const cache = createBoardLookup(repo, { now: () => 0 });
    repo.put('b1');
    await cache.lookup('b1');
    repo.put('b1', 5);
    cache.invalidate('b1');
    expect((await cache.lookup('b1'))?.archived).toBe(true);
  });

  it('keeps an unknown id only for the short miss TTL', async () => {
    const repo = fakeRepo();
    let now = 0;
    const cache = createBoardLookup(repo, { now: () => now, missTtlMs: 100 });
    expect(await cache.lookup('later')).toBeNull();
    repo.put('later');
    expect(await cache.lookup('later')).toBeNull();
    now = 101;
    expect(await cache.lookup('later')).not.toBeNull();
  });

  it('does not cache an answer read before an invalidate that happened while it was in flight', async () => {
    const repo = fakeRepo();
    const cache = createBoardLookup(repo, { now: () => 0 });
    repo.put('b1');
    let release!: () => void;
    repo.hold(new Promise<void>((r) => (release = r)));
    const stale = cache.lookup('b1');
    // The read above has not returned yet; meanwhile the board is archived.
    repo.put('b1', 5);
    cache.invalidate('b1');
    release();
    expect((await stale)?.archived).toBe(false);
    repo.hold(Promise.resolve());
    expect((await cache.lookup('b1'))?.archived).toBe(true);
  });
});
