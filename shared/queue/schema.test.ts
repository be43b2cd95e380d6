import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { archiveDay } from './archive.js';
import { configureRoom, configureService } from './config-ops.js';
import { grantNumberBlock } from './numbering.js';
import { callNext, callTicket, recall } from './call-ops.js';
import { addEntry, cancelEntry, reorderEntry, setQueueOpen } from './ops.js';
import type { Day, EntryId } from './types.js';
import { serverOrigin } from './origins.js';
import {
  applyClinicSettings,
  parseRoomId,
  parseServiceId,
  QUEUE_ROOTS,
  readClinic,
  readRooms,
  readServices,
  SCHEMA_VERSION,
  seedQueueDoc,
} from './schema.js';
import { seedStaffDoc, staffSchemaVersion } from '../staff/doc.js';
import {
  codeOf,
  makeCtx,
  must,
  replica,
  seededClinic,
  SETTINGS,
  T0,
} from './test-support/fixtures.js';
import { queueSnapshot } from './derive.js';

describe('schema and seeding (rules S2–S6)', () => {
  it('seeds a fresh clinic with a schema version, an open queue and a default service A', () => {
    const doc = replica(1);
    seedQueueDoc(doc, { name: 'Cabinet' }, T0);
    expect(readClinic(doc)).toEqual({
      schemaVersion: SCHEMA_VERSION,
      name: 'Cabinet',
      timezone: 'Europe/Paris',
      locale: 'fr',
      resetTime: '00:00',
      open: true,
    });
    expect(readServices(doc).map((s) => [s.id, s.prefix, s.open])).toEqual([['main', 'A', true]]);
    expect(must(addEntry(doc, { source: 'walk-in' }, makeCtx(T0))).entry.label).toMatch(/^A-/);
  });

  it('accepts free-form room ids like "1" and "Room 3" without any configuration', () => {
    expect(parseRoomId(' Room 3 ')).toBe('Room 3');
    expect(parseRoomId('1')).toBe('1');
    expect(() => parseRoomId('')).toThrow();
    expect(() => parseRoomId('a\nb')).toThrow();
    expect(() => parseServiceId('Bad Id')).toThrow();
  });

  it('seeds only once: a second seed changes nothing', () => {
    const doc = replica(1);
    seedQueueDoc(doc, SETTINGS, T0);
    const before = Y.encodeStateVector(doc);
    seedQueueDoc(doc, { ...SETTINGS, name: 'Other' }, T0 + 1);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(readClinic(doc)?.name).toBe('Test clinic');
  });

  it('refuses invalid settings with a typed error', () => {
    const doc = replica(1);
    expect(() => seedQueueDoc(doc, { name: 'x', timezone: 'Nowhere/City' }, T0)).toThrow(
      /timezone/,
    );
    expect(() => seedQueueDoc(doc, { name: 'x', resetTime: '25:00' }, T0)).toThrow(/HH:MM/);
    expect(() =>
      seedQueueDoc(doc, { name: 'x', services: [{ id: parseServiceId('a'), prefix: 'ab' }] }, T0),
    ).toThrow(/prefix/);
    expect(readClinic(doc)).toBeNull();
  });

  it('mirrors settings from the database, replacing the service and room lists', () => {
    const doc = replica(1);
    seedQueueDoc(doc, SETTINGS, T0);
    applyClinicSettings(
      doc,
      {
        name: 'Renamed',
        resetTime: '04:00',
        locale: 'en',
        services: [{ id: parseServiceId('lab'), name: 'Lab', prefix: 'L' }],
        rooms: [{ id: parseRoomId('Room 3') }],
      },
      serverOrigin,
    );
    expect(readClinic(doc)).toMatchObject({
      name: 'Renamed',
      resetTime: '04:00',
      locale: 'en',
      timezone: 'Europe/Paris',
    });
    expect(readServices(doc).map((s) => s.id)).toEqual(['lab']);
    expect(readRooms(doc)).toEqual([{ id: 'Room 3', name: 'Room 3', open: true, services: null }]);
  });

  it('writes nothing when mirrored settings did not change', () => {
    const doc = replica(1);
    seedQueueDoc(doc, SETTINGS, T0);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    applyClinicSettings(doc, SETTINGS, serverOrigin);
    expect(updates).toHaveLength(0);
  });

  it('never initialises anything on an unseeded doc: operations report not-seeded and write nothing', () => {
    const doc = replica(1);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    expect(codeOf(addEntry(doc, { source: 'qr' }, makeCtx(T0)))).toBe('not-seeded');
    expect(readServices(doc).map((s) => s.prefix)).toEqual(['A']);
    expect(updates).toHaveLength(0);
  });

  it('answers not-seeded from every operation on an unseeded doc', () => {
    const doc = replica(1);
    const ctx = makeCtx(T0);
    const id = 'abc' as EntryId;
    const room = parseRoomId('1');
    const results = [
      setQueueOpen(doc, { open: false }, ctx),
      callNext(doc, { room }, ctx),
      callTicket(doc, { entryId: id, room }, ctx),
      recall(doc, { entryId: id }, ctx),
      cancelEntry(doc, { entryId: id }, ctx),
      reorderEntry(doc, { entryId: id, before: 'b' as EntryId }, ctx),
      configureService(doc, { id: parseServiceId('lab') }, ctx),
      configureRoom(doc, { id: room }, ctx),
      grantNumberBlock(doc, { device: 'd', day: '2025-03-10' as Day, start: 1, size: 1 }, ctx),
      archiveDay(doc, { day: '2025-03-09' as Day }, ctx),
    ];
    expect(results.map(codeOf)).toEqual(results.map(() => 'not-seeded'));
    expect(doc.share.size).toBeLessThanOrEqual(Object.keys(QUEUE_ROOTS).length);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(new Y.Doc()));
  });

  it('lets a read-only display derive everything without writing a byte', () => {
    const { doc } = seededClinic();
    must(
      grantNumberBlock(
        doc,
        { device: 'desk', day: '2025-03-10' as Day, start: 1, size: 5 },
        makeCtx(T0),
      ),
    );
    for (let i = 0; i < 3; i++)
      must(addEntry(doc, { source: 'qr' }, makeCtx(T0 + i, { device: 'desk' })));
    must(callNext(doc, { room: parseRoomId('1') }, makeCtx(T0 + 10)));
    const display = replica(99);
    const written: Uint8Array[] = [];
    display.on('update', (u: Uint8Array, origin: unknown) => origin === 'sync' || written.push(u));
    Y.applyUpdate(display, Y.encodeStateAsUpdate(doc), 'sync');
    const snap = queueSnapshot(display, T0 + 20);
    expect(snap.waiting.map((w) => [w.entry.label, w.position])).toEqual([
      ['A-002', 1],
      ['A-003', 2],
    ]);
    expect(snap.called.map((e) => [e.label, e.room])).toEqual([['A-001', '1']]);
    expect(written).toEqual([]);
    expect(Y.encodeStateVector(display)).toEqual(Y.encodeStateVector(doc));
  });

  it('refuses to write a doc from a newer schema', () => {
    const doc = replica(1);
    seedQueueDoc(doc, SETTINGS, T0);
    doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    expect(codeOf(addEntry(doc, { source: 'qr' }, makeCtx(T0)))).toBe('unsupported-schema');
  });

  it('seeds the staff doc with its schema version, once', () => {
    const staff = replica(1);
    expect(staffSchemaVersion(staff)).toBeNull();
    seedStaffDoc(staff);
    seedStaffDoc(staff);
    expect(staffSchemaVersion(staff)).toBe(SCHEMA_VERSION);
  });
});
