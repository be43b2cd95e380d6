import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { archiveDay } from './archive.js';
import { getEntry } from './entries.js';
import { addEntry } from './ops.js';
import {
  addPatientEntry,
  cancelPatientEntry,
  purgeOrphanPatients,
  updatePatient,
} from './patient-ops.js';
import { patientIds, patientNotes, readPatient } from '../staff/doc.js';
import {
  codeOf,
  DAY_MS,
  fork,
  makeCtx,
  MIN,
  must,
  replica,
  seededClinic,
  T0,
} from './test-support/fixtures.js';
import type { EntryId } from './types.js';

const patient = {
  name: 'Jeanne Martin',
  phone: '+33 6 12 34 56 78',
  notes: 'allergie pénicilline',
  flags: { interpreter: true },
};

describe('operations touching personal data (rules P1–P4)', () => {
  it('adds the ticket to the public doc and the name to the staff doc, in one transaction each', () => {
    const { doc, staff } = seededClinic();
    const seen: string[] = [];
    doc.on('afterTransaction', () => seen.push('queue'));
    staff.on('afterTransaction', () => seen.push('staff'));
    const { entry, patient: p } = must(
      addPatientEntry(doc, staff, { source: 'walk-in', patient }, makeCtx(T0)),
    );
    expect(seen).toEqual(['queue', 'staff']);
    expect(p).toMatchObject({ entryId: entry.id, day: entry.day, ...patient });
    expect(patientNotes(staff, entry.id)?.toString()).toBe(patient.notes);
    expect(JSON.stringify(doc.getMap('entries').toJSON())).not.toContain('Jeanne');
  });

  it('writes nothing anywhere when the public add fails', () => {
    const { doc, staff } = seededClinic();
    doc.getMap('meta').set('open', false);
    expect(codeOf(addPatientEntry(doc, staff, { source: 'walk-in', patient }, makeCtx(T0)))).toBe(
      'queue-closed',
    );
    expect(patientIds(staff)).toEqual([]);
  });

  it('rejects a missing name, oversized fields and an unseeded staff doc', () => {
    const { doc, staff } = seededClinic();
    expect(
      codeOf(
        addPatientEntry(doc, staff, { source: 'walk-in', patient: { name: ' ' } }, makeCtx(T0)),
      ),
    ).toBe('invalid-argument');
    expect(
      codeOf(
        addPatientEntry(
          doc,
          staff,
          { source: 'walk-in', patient: { name: 'x'.repeat(500) } },
          makeCtx(T0),
        ),
      ),
    ).toBe('invalid-argument');
    expect(
      codeOf(addPatientEntry(doc, replica(9), { source: 'walk-in', patient }, makeCtx(T0))),
    ).toBe('not-seeded');
    expect(allEntriesCount(doc)).toBe(0);
  });

  it('updates a record, and creates one for a ticket that had no name', () => {
    const { doc, staff } = seededClinic();
    const { entry } = must(addEntry(doc, { source: 'qr' }, makeCtx(T0)));
    must(updatePatient(doc, staff, { entryId: entry.id, name: 'Paul' }, makeCtx(T0 + MIN)));
    const p = must(
      updatePatient(
        doc,
        staff,
        { entryId: entry.id, phone: '0102', notes: 'n', flags: { wheelchair: true } },
        makeCtx(T0 + 2 * MIN),
      ),
    ).patient;
    expect(p).toMatchObject({
      name: 'Paul',
      phone: '0102',
      notes: 'n',
      flags: { wheelchair: true },
    });
    expect(
      codeOf(updatePatient(doc, staff, { entryId: 'nope' as EntryId, name: 'x' }, makeCtx(T0))),
    ).toBe('not-found');
  });

  it('cancels the ticket, then forgets the patient only when asked', () => {
    const { doc, staff } = seededClinic();
    const a = must(addPatientEntry(doc, staff, { source: 'walk-in', patient }, makeCtx(T0))).entry;
    const b = must(
      addPatientEntry(
        doc,
        staff,
        { source: 'walk-in', patient: { name: 'Marc' } },
        makeCtx(T0 + 1),
      ),
    ).entry;
    must(cancelPatientEntry(doc, staff, { entryId: a.id, forgetPatient: true }, makeCtx(T0 + MIN)));
    must(
      cancelPatientEntry(doc, staff, { entryId: b.id, forgetPatient: false }, makeCtx(T0 + MIN)),
    );
    expect(getEntry(doc, a.id)?.status).toBe('cancelled');
    expect(readPatient(staff, a.id)).toBeNull();
    expect(readPatient(staff, b.id)?.name).toBe('Marc');
    // A failed cancel keeps the record: the public doc decides.
    expect(
      codeOf(
        cancelPatientEntry(
          doc,
          staff,
          { entryId: b.id, forgetPatient: true },
          makeCtx(T0 + 2 * MIN),
        ),
      ),
    ).toBe('invalid-transition');
    expect(readPatient(staff, b.id)?.name).toBe('Marc');
  });

  it('purges orphan records once their day is over, keeping today’s (their entry may be in flight)', () => {
    const { doc, staff } = seededClinic();
    const kept = must(
      addPatientEntry(doc, staff, { source: 'walk-in', patient }, makeCtx(T0)),
    ).entry;
    // A record whose public entry never arrived on this replica (added on another device).
    const other = fork(doc, 77);
    const otherStaff = fork(staff, 77);
    const inFlight = must(
      addPatientEntry(
        other,
        otherStaff,
        { source: 'walk-in', patient: { name: 'Léa' } },
        makeCtx(T0 + 1),
      ),
    ).entry;
    Y.applyUpdate(staff, Y.encodeStateAsUpdate(otherStaff));
    expect(must(purgeOrphanPatients(doc, staff, makeCtx(T0 + MIN))).purged).toEqual([]);

    // Next day the day is archived: both records are orphans now and go.
    must(archiveDay(doc, { day: kept.day }, makeCtx(T0 + DAY_MS)));
    const purged = must(purgeOrphanPatients(doc, staff, makeCtx(T0 + DAY_MS))).purged;
    expect(new Set(purged)).toEqual(new Set([kept.id, inFlight.id]));
    expect(patientIds(staff)).toEqual([]);
  });
});

const allEntriesCount = (doc: Y.Doc) => doc.getMap('entries').size;
