import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readPatient } from '../../../shared/queue/index.js';
import { T0, fork, must, seededClinic, sync } from '../../../shared/queue/test-support/fixtures.js';
import { createLostEditsStore } from './lost-edits.js';
import { createQueueStore } from './queue-store.js';

async function twoReceptionists() {
  const { doc, staff } = seededClinic();
  const a = createQueueStore({
    queueDoc: doc,
    staffDoc: staff,
    clock: { now: () => T0 },
    tickMs: 0,
  });
  const entry = must(await a.getState().addWalkIn({ name: 'Claire Martin' })).entry;
  const doc2 = fork(doc, 2);
  const staff2 = fork(staff, 2);
  const b = createQueueStore({
    queueDoc: doc2,
    staffDoc: staff2,
    clock: { now: () => T0 },
    tickMs: 0,
  });
  return {
    entry,
    a: { q: a, staff, lost: createLostEditsStore(staff) },
    b: { q: b, staff: staff2, lost: createLostEditsStore(staff2) },
    docs: [doc, doc2],
  };
}

const rename = (
  r: Awaited<ReturnType<typeof twoReceptionists>>['a'],
  entryId: Awaited<ReturnType<typeof twoReceptionists>>['entry']['id'],
  name: string,
) => {
  must(r.q.getState().updatePatient(entryId, { name }));
  r.lost.getState().watch(entryId, 'name', name);
};

describe('lost edits', () => {
  it('tells the person whose concurrent rename lost, and only her', async () => {
    const { entry, a, b, docs } = await twoReceptionists();
    rename(a, entry.id, 'Claire Martin-Dupont');
    rename(b, entry.id, 'Claire Dupont');
    sync(...docs);
    sync(a.staff, b.staff);
    const winner = readPatient(a.staff, entry.id)?.name;
    expect(readPatient(b.staff, entry.id)?.name).toBe(winner);
    const loser = winner === 'Claire Dupont' ? a : b;
    const other = loser === a ? b : a;
    expect(loser.lost.getState().lost).toEqual([
      {
        id: 1,
        entryId: entry.id,
        field: 'name',
        mine: loser === a ? 'Claire Martin-Dupont' : 'Claire Dupont',
        theirs: winner,
      },
    ]);
    expect(other.lost.getState().lost).toEqual([]);
    loser.lost.getState().dismiss(1);
    expect(loser.lost.getState().lost).toEqual([]);
  });

  it('says nothing when a colleague overwrites the value after having seen it', async () => {
    const { entry, a, b } = await twoReceptionists();
    rename(a, entry.id, 'Clair Martin');
    Y.applyUpdate(b.staff, Y.encodeStateAsUpdate(a.staff, Y.encodeStateVector(b.staff)));
    rename(b, entry.id, 'Claire Martin');
    Y.applyUpdate(a.staff, Y.encodeStateAsUpdate(b.staff, Y.encodeStateVector(a.staff)));
    expect(a.lost.getState().lost).toEqual([]);
    expect(b.lost.getState().lost).toEqual([]);
  });
});
