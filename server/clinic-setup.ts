/**
 * Creating a clinic: its database row, then its two documents seeded once
 * with the schema version (DESIGN.md: the server creates structure, clients
 * never initialise it).
 */
import * as Y from 'yjs';
import { queueDocName, staffDocName, type ClinicId } from '../shared/ids.js';
import { configureRoom, parseRoomId, seedOrigin } from '../shared/queue/index.js';
import { seedDoc } from './docs/kinds.js';
import type { ClinicRepo } from './auth/clinics.js';
import type { DocStore } from './store/types.js';

export interface NewClinic {
  id: ClinicId;
  name: string;
  timezone?: string;
  locale?: 'fr' | 'en';
  /** Rooms to configure from the start (the demo clinic has two). */
  rooms?: readonly { id: string; name: string }[];
}

export async function createClinic(
  deps: { clinics: ClinicRepo; store: DocStore },
  clinic: NewClinic,
  now: number,
): Promise<void> {
  await deps.clinics.add(clinic, now);
  await seedClinicDocs(deps.store, clinic, now);
}

/** Seeds the queue and staff docs unless they already hold something. */
export async function seedClinicDocs(
  store: DocStore,
  clinic: NewClinic,
  now: number,
): Promise<void> {
  const items = [];
  const queue = queueDocName(clinic.id);
  if (!(await store.exists(queue))) {
    const doc = new Y.Doc();
    seedDoc.queue(
      doc,
      {
        name: clinic.name,
        timezone: clinic.timezone ?? 'Europe/Paris',
        locale: clinic.locale ?? 'fr',
        resetTime: '00:00',
      },
      now,
    );
    for (const room of clinic.rooms ?? []) {
      const r = configureRoom(
        doc,
        { id: parseRoomId(room.id), name: room.name, open: true },
        { now, origin: seedOrigin },
      );
      if (!r.ok) throw r.error;
    }
    items.push({ doc: queue, update: Y.encodeStateAsUpdate(doc) });
    doc.destroy();
  }
  const staff = staffDocName(clinic.id);
  if (!(await store.exists(staff))) {
    const doc = new Y.Doc();
    seedDoc.staff(doc);
    items.push({ doc: staff, update: Y.encodeStateAsUpdate(doc) });
    doc.destroy();
  }
  if (items.length > 0) await store.appendMany(items);
}
