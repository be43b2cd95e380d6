/**
 * Operations that touch personal data: they span the public doc and the
 * staff doc, in two transactions, public first (it is authoritative). If the
 * second write never happens, the public entry simply has no name; a staff
 * record whose public entry is gone (archived, or never created) is an
 * orphan and `purgeOrphanPatients` removes it once its day is over.
 */
import * as Y from 'yjs';
import { currentDay } from './derive.js';
import { getEntry } from './entries.js';
import { fail, ok, type Failure, type Result } from './errors.js';
import {
  addEntry,
  cancelEntry,
  type AddEntryArgs,
  type EntryResult,
  type OpContext,
} from './ops.js';
import { SCHEMA_VERSION } from './schema.js';
import {
  insertPatient,
  patientIds,
  patientsMap,
  readPatient,
  staffSchemaVersion,
  validatePatient,
  type PatientInput,
} from '../staff/doc.js';
import type { EntryId, EntryView, PatientView } from './types.js';

function checkStaff(staffDoc: Y.Doc): Failure | null {
  const version = staffSchemaVersion(staffDoc);
  if (version === null)
    return fail('not-seeded', 'the staff doc has not been set up by the server yet');
  if (version > SCHEMA_VERSION)
    return fail('unsupported-schema', `staff schema ${version} is newer than this app`);
  return null;
}

/** Add a ticket (public doc), then the patient's record (staff doc). */
export function addPatientEntry(
  queueDoc: Y.Doc,
  staffDoc: Y.Doc,
  args: AddEntryArgs & { readonly patient: PatientInput },
  ctx: OpContext,
): Result<{ entry: EntryView; patient: PatientView }> {
  const staff = checkStaff(staffDoc);
  if (staff) return staff;
  const invalid = validatePatient(args.patient);
  if (invalid) return fail('invalid-argument', invalid);
  if (args.patient.name.trim() === '') return fail('invalid-argument', 'name is required');
  const { patient: _personal, ...publicArgs } = args; // nothing personal reaches the public doc
  const added = addEntry(queueDoc, publicArgs, ctx);
  if (!added.ok) return added;
  const { entry } = added;
  staffDoc.transact(
    () => insertPatient(staffDoc, entry.id, entry.day, ctx.now, args.patient),
    ctx.origin,
  );
  const patient = readPatient(staffDoc, entry.id);
  return patient ? ok({ entry, patient }) : fail('not-found', 'patient record vanished');
}

export interface PatientUpdate {
  readonly entryId: EntryId;
  readonly name?: string;
  readonly phone?: string;
  /** Replaces the whole notes text; live editing binds `patientNotes()` instead. */
  readonly notes?: string;
  readonly flags?: Readonly<Record<string, boolean>>;
}

/** Change a patient's record (staff doc only); creates it for a ticket that had none. */
export function updatePatient(
  queueDoc: Y.Doc,
  staffDoc: Y.Doc,
  args: PatientUpdate,
  ctx: OpContext,
): Result<{ patient: PatientView }> {
  const staff = checkStaff(staffDoc);
  if (staff) return staff;
  const invalid = validatePatient(args);
  if (invalid) return fail('invalid-argument', invalid);
  const entry = getEntry(queueDoc, args.entryId);
  if (!entry) return fail('not-found', `no entry ${args.entryId}`);
  staffDoc.transact(() => {
    const record = patientsMap(staffDoc).get(args.entryId);
    if (!record) {
      insertPatient(staffDoc, entry.id, entry.day, ctx.now, { ...args, name: args.name ?? '' });
      return;
    }
    if (args.name !== undefined && record.get('name') !== args.name) record.set('name', args.name);
    if (args.phone !== undefined && record.get('phone') !== args.phone)
      record.set('phone', args.phone);
    const notes = record.get('notes');
    if (args.notes !== undefined && notes instanceof Y.Text && notes.toString() !== args.notes) {
      notes.delete(0, notes.length);
      notes.insert(0, args.notes);
    }
    const flags = record.get('flags');
    if (args.flags && flags instanceof Y.Map) {
      for (const [k, v] of Object.entries(args.flags)) if (flags.get(k) !== v) flags.set(k, v);
    }
  }, ctx.origin);
  const patient = readPatient(staffDoc, args.entryId);
  return patient ? ok({ patient }) : fail('not-found', 'patient record vanished');
}

/** Cancel the ticket (public doc), then, if asked, erase the patient's record (staff doc). */
export function cancelPatientEntry(
  queueDoc: Y.Doc,
  staffDoc: Y.Doc,
  args: { readonly entryId: EntryId; readonly forgetPatient: boolean },
  ctx: OpContext,
): EntryResult {
  const staff = checkStaff(staffDoc);
  if (staff) return staff;
  const cancelled = cancelEntry(queueDoc, { entryId: args.entryId }, ctx);
  if (!cancelled.ok || !args.forgetPatient) return cancelled;
  if (patientsMap(staffDoc).has(args.entryId)) {
    staffDoc.transact(() => patientsMap(staffDoc).delete(args.entryId), ctx.origin);
  }
  return cancelled;
}

/**
 * Remove staff records whose public entry no longer exists (archived day,
 * or an add that never reached the public doc) once their day is over.
 * Today's are kept: the public entry may simply not have synced yet.
 */
export function purgeOrphanPatients(
  queueDoc: Y.Doc,
  staffDoc: Y.Doc,
  ctx: OpContext,
): Result<{ purged: EntryId[] }> {
  const staff = checkStaff(staffDoc);
  if (staff) return staff;
  const today = currentDay(queueDoc, ctx.now);
  if (today === null) return fail('not-seeded', 'the queue has not been set up by the server yet');
  const purged = patientIds(staffDoc).filter((id) => {
    if (getEntry(queueDoc, id)) return false;
    const record = readPatient(staffDoc, id);
    return record !== null && record.day < today;
  });
  if (purged.length > 0)
    staffDoc.transact(() => purged.forEach((id) => patientsMap(staffDoc).delete(id)), ctx.origin);
  return ok({ purged });
}
