import { describe, expect, it } from 'vitest';
import { configureRoom, configureService } from './config-ops.js';
import { parseRoomId, parseServiceId } from './schema.js';
import { T0, makeCtx, must, seededClinic } from './test-support/fixtures.js';

const ctx = () => makeCtx(T0);

describe('configuration refuses mistakes', () => {
  it('refuses a second service with a letter already in use, naming the service that has it', () => {
    const { doc } = seededClinic();
    const r = configureService(
      doc,
      { id: parseServiceId('vaccins'), name: 'Vaccination', prefix: 'A' },
      ctx(),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toContain('Consultation');
    }
    must(
      configureService(
        doc,
        { id: parseServiceId('vaccins'), name: 'Vaccination', prefix: 'V' },
        ctx(),
      ),
    );
    // re-saving a service with its own letter is fine
    must(configureService(doc, { id: parseServiceId('vaccins'), prefix: 'V', open: false }, ctx()));
  });

  it('refuses a sentence as a new room number, but keeps rooms configured earlier editable', () => {
    const { doc } = seededClinic();
    const long = configureRoom(doc, { id: parseRoomId('salle du fond'), name: 'Salle' }, ctx());
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.code).toBe('invalid-argument');
    must(configureRoom(doc, { id: parseRoomId('12B'), name: 'Cabinet 12B' }, ctx()));
  });

  it('refuses an empty room name and a name another room already has', () => {
    const { doc } = seededClinic();
    must(configureRoom(doc, { id: parseRoomId('1'), name: 'Cabinet 1' }, ctx()));
    const empty = configureRoom(doc, { id: parseRoomId('2'), name: '  ' }, ctx());
    expect(empty.ok).toBe(false);
    const same = configureRoom(doc, { id: parseRoomId('2'), name: 'cabinet 1' }, ctx());
    expect(same.ok).toBe(false);
    if (!same.ok) expect(same.error.code).toBe('conflict');
    must(configureRoom(doc, { id: parseRoomId('1'), name: 'Cabinet 1', open: false }, ctx()));
  });
});
