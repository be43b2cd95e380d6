/**
 * The private `staff:<clinicId>` doc (it will also hold the board list), queue part: one record per entry id of
 * the public doc, holding what only staff may see.
 *
 *   meta      schemaVersion (other keys belong to other features, e.g. boards)
 *   patients  EntryId → Y.Map { day, createdAt, name, phone, notes: Y.Text, flags: Y.Map<boolean> }
 *   boards    BoardId → { title, template, archived, createdAt } (server-written mirror, see boards.ts)
 *
 * A record and its notes/flags are created in one transaction. The public
 * doc is authoritative: a record without a public entry is an orphan and is
 * purged once its day is over (see patient-ops.ts).
 */
import * as Y from 'yjs';
import { isDay } from '../queue/day.js';
import { isEntryId } from '../queue/entry-id.js';
import { seedOrigin } from '../queue/origins.js';
import { SCHEMA_VERSION } from '../queue/schema.js';
import type { Day, EntryId, PatientView } from '../queue/types.js';

export const STAFF_ROOTS = { meta: 'meta', patients: 'patients', boards: 'boards' } as const;

export const staffMetaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(STAFF_ROOTS.meta);
export const patientsMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(STAFF_ROOTS.patients);

/** Server-only, once per clinic: the schema version. A no-op when already seeded. */
export function seedStaffDoc(doc: Y.Doc): void {
  if (staffMetaMap(doc).has('schemaVersion')) return;
  doc.transact(() => staffMetaMap(doc).set('schemaVersion', SCHEMA_VERSION), seedOrigin);
}

export const staffSchemaVersion = (doc: Y.Doc): number | null => {
  const v = staffMetaMap(doc).get('schemaVersion');
  return typeof v === 'number' ? v : null;
};

export interface PatientInput {
  readonly name: string;
  readonly phone?: string;
  readonly notes?: string;
  readonly flags?: Readonly<Record<string, boolean>>;
}

export const MAX_NAME = 120;
export const MAX_PHONE = 40;
export const MAX_NOTES = 10_000;

export function validatePatient(p: Partial<PatientInput>): string | null {
  if (p.name !== undefined && (typeof p.name !== 'string' || p.name.length > MAX_NAME))
    return `name: at most ${MAX_NAME} characters`;
  if (p.phone !== undefined && (typeof p.phone !== 'string' || p.phone.length > MAX_PHONE))
    return `phone: at most ${MAX_PHONE} characters`;
  if (p.notes !== undefined && (typeof p.notes !== 'string' || p.notes.length > MAX_NOTES))
    return `notes: at most ${MAX_NOTES} characters`;
  if (p.flags !== undefined && !Object.values(p.flags).every((v) => typeof v === 'boolean'))
    return 'flags must be booleans';
  return null;
}

/** Must run inside a transaction: the record, its Y.Text and its flags map integrate together. */
export function insertPatient(
  doc: Y.Doc,
  entryId: EntryId,
  day: Day,
  createdAt: number,
  p: PatientInput,
): void {
  const notes = new Y.Text();
  if (p.notes) notes.insert(0, p.notes);
  const flags = new Y.Map<boolean>(Object.entries(p.flags ?? {}));
  patientsMap(doc).set(
    entryId,
    new Y.Map<unknown>([
      ['day', day],
      ['createdAt', createdAt],
      ['name', p.name],
      ['phone', p.phone ?? ''],
      ['notes', notes],
      ['flags', flags],
    ]),
  );
}

export function readPatient(doc: Y.Doc, entryId: EntryId): PatientView | null {
  const map = patientsMap(doc).get(entryId);
  if (!(map instanceof Y.Map)) return null;
  const day = map.get('day');
  const notes = map.get('notes');
  const flags = map.get('flags');
  const flagsOut: Record<string, boolean> = {};
  if (flags instanceof Y.Map) flags.forEach((v, k) => (flagsOut[k] = v === true));
  return {
    entryId,
    day: isDay(day) ? day : ('1970-01-01' as Day),
    name: typeof map.get('name') === 'string' ? (map.get('name') as string) : '',
    phone: typeof map.get('phone') === 'string' ? (map.get('phone') as string) : '',
    notes: notes instanceof Y.Text ? notes.toString() : '',
    flags: flagsOut,
    createdAt: typeof map.get('createdAt') === 'number' ? (map.get('createdAt') as number) : 0,
  };
}

/** The shared notes text, for the app's collaborative editor binding. */
export function patientNotes(doc: Y.Doc, entryId: EntryId): Y.Text | null {
  const notes = patientsMap(doc).get(entryId)?.get('notes');
  return notes instanceof Y.Text ? notes : null;
}

export function patientIds(doc: Y.Doc): EntryId[] {
  return [...patientsMap(doc).keys()].filter(isEntryId);
}
