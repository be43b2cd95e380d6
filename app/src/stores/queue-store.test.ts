import { describe, expect, it } from 'vitest';
import {
  grantNumberBlock,
  parseRoomId,
  serverOrigin,
  type Day,
} from '../../../shared/queue/index.js';
import { T0, fork, must, seededClinic, sync } from '../../../shared/queue/test-support/fixtures.js';
import { createQueueStore } from './queue-store.js';

const flush = () => new Promise<void>((r) => queueMicrotask(r));

function twoReceptions() {
  const { doc, staff } = seededClinic();
  const now = { t: T0 };
  const a = createQueueStore({
    queueDoc: doc,
    staffDoc: staff,
    clock: { now: () => now.t },
    device: 'dev-a',
    tickMs: 0,
  });
  const doc2 = fork(doc, 2);
  const staff2 = fork(staff, 2);
  const b = createQueueStore({
    queueDoc: doc2,
    staffDoc: staff2,
    clock: { now: () => now.t },
    device: 'dev-b',
    tickMs: 0,
  });
  return { a, b, docs: [doc, doc2], staffs: [staff, staff2], now };
}

describe('queue store', () => {
  it('derives the waiting list with names from both docs and follows remote changes', async () => {
    const { a, b, docs, staffs } = twoReceptions();
    expect(a.getState().ready).toBe(true);
    must(a.getState().addWalkIn({ name: 'Claire', phone: '0600' }));
    must(a.getState().addWalkIn({ name: 'David' }));
    await flush();
    expect(a.getState().waiting.map((w) => a.getState().patients[w.entry.id]?.name)).toEqual([
      'Claire',
      'David',
    ]);
    expect(b.getState().waiting).toHaveLength(0);
    sync(...docs);
    sync(...staffs);
    await flush();
    expect(b.getState().waiting.map((w) => b.getState().patients[w.entry.id]?.name)).toEqual([
      'Claire',
      'David',
    ]);
    expect(b.getState().stats?.waiting).toBe(2);
  });

  it('derives once per burst of changes and keeps unchanged patient records identical', async () => {
    const { a } = twoReceptions();
    must(a.getState().addWalkIn({ name: 'Claire' }));
    await flush();
    const before = a.getState();
    let renders = 0;
    const off = a.subscribe(() => renders++);
    must(a.getState().addWalkIn({ name: 'David' }));
    must(a.getState().addWalkIn({ name: 'Emma' }));
    await flush();
    off();
    expect(renders).toBe(1);
    const claire = before.waiting[0]!.entry.id;
    expect(a.getState().patients[claire]).toBe(before.patients[claire]);
  });

  it('moves an entry by one place with the keyboard action', async () => {
    const { a } = twoReceptions();
    must(a.getState().addWalkIn({ name: 'Un' }));
    must(a.getState().addWalkIn({ name: 'Deux' }));
    must(a.getState().addWalkIn({ name: 'Trois' }));
    await flush();
    const names = () => a.getState().waiting.map((w) => a.getState().patients[w.entry.id]?.name);
    const trois = a.getState().waiting[2]!.entry.id;
    must(a.getState().moveBy(trois, -1));
    await flush();
    expect(names()).toEqual(['Un', 'Trois', 'Deux']);
    must(a.getState().moveBy(trois, -1));
    await flush();
    expect(names()).toEqual(['Trois', 'Un', 'Deux']);
    must(a.getState().moveBy(trois, -1)); // already first: nothing to do
    await flush();
    expect(names()).toEqual(['Trois', 'Un', 'Deux']);
  });

  it('issues numbers from the device block and counts what is left', async () => {
    const { a, docs } = twoReceptions();
    const day = a.getState().stats!.day as Day;
    must(
      grantNumberBlock(
        docs[0]!,
        { device: 'dev-a', day, start: 1, size: 3 },
        { now: T0, origin: serverOrigin },
      ),
    );
    await flush();
    expect(a.getState().remainingNumbers).toBe(3);
    const r = must(a.getState().addWalkIn({ name: 'Numérotée' }));
    expect(r.entry.label).toBe('A-001');
    await flush();
    expect(a.getState().remainingNumbers).toBe(2);
  });

  it('tells the room that lost a concurrent call', async () => {
    const { a, b, docs, staffs } = twoReceptions();
    must(a.getState().addWalkIn({ name: 'Seul' }));
    sync(...docs);
    sync(...staffs);
    await flush();
    const one = parseRoomId('1');
    const two = parseRoomId('2');
    const ra = must(a.getState().callNext(one));
    const rb = must(b.getState().callNext(two));
    expect(ra.entry.id).toBe(rb.entry.id);
    sync(...docs);
    await flush();
    const outcomes = [
      a.getState().callOutcome(ra.entry.id, one),
      b.getState().callOutcome(rb.entry.id, two),
    ];
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['lost', 'won']);
    expect(a.getState().active).toHaveLength(1);
    expect(a.getState().active[0]!.room).toBe(b.getState().active[0]!.room);
  });
});
