import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseClinicId, queueDocName } from '../shared/ids.js';
import { readRooms } from '../shared/queue/index.js';
import { seedClinicDocs } from './clinic-setup.js';
import { createMemoryDocStore } from './store/memory-store.js';

describe('clinic setup', () => {
  it('seeds the rooms a new clinic is created with, so doctors can pick one at once', async () => {
    const store = createMemoryDocStore();
    const id = parseClinicId('demo');
    await seedClinicDocs(
      store,
      {
        id,
        name: 'Clinique Démo',
        rooms: [
          { id: '1', name: 'Cabinet 1' },
          { id: '2', name: 'Cabinet 2' },
        ],
      },
      Date.UTC(2025, 2, 10),
    );
    const stored = await store.load(queueDocName(id));
    const doc = new Y.Doc();
    for (const u of [stored.snapshot, ...stored.updates]) if (u) Y.applyUpdate(doc, u);
    expect(readRooms(doc).map((r) => [r.id, r.name, r.open])).toEqual([
      ['1', 'Cabinet 1', true],
      ['2', 'Cabinet 2', true],
    ]);
  });
});
