import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { configureRoom, configureService } from './config-ops.js';
import { grantNumberBlock } from './numbering.js';
import { callNext, finishService, startService } from './call-ops.js';
import { reorderEntry, transferEntry } from './ops.js';
import { serverOrigin } from './origins.js';
import { addPatientEntry, cancelPatientEntry, updatePatient } from './patient-ops.js';
import { parseRoomId, parseServiceId } from './schema.js';
import { makeCtx, MIN, must, seededClinic, T0 } from './test-support/fixtures.js';
import { clinicDay } from './day.js';

const NAMES = ['Jeanne Martin', 'Karim Benali', 'Sofia Rossi', 'Lucas Dubois'];
const PHONES = ['+33 6 11 22 33 44', '0611223344', '+44 7700 900123'];
const NOTES = ['diabète type 2', 'allergie pénicilline', 'interprète arabe'];
const PERSONAL_KEY = /name|phone|note|patient|email|birth|address/i;

/** Every key and string value of the whole public doc, whatever the root type. */
function walk(
  value: unknown,
  visit: (key: string | null, value: unknown) => void,
  key: string | null = null,
): void {
  visit(key, value);
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walk(v, visit, k);
}

describe('privacy of the public doc (rule P1)', () => {
  it('holds no field that can carry personal data, after a busy day of every operation', () => {
    const { doc, staff } = seededClinic();
    must(
      grantNumberBlock(
        doc,
        {
          device: 'desk',
          day: clinicDay(T0, { timezone: 'Europe/Paris', resetTime: '00:00' }),
          start: 1,
          size: 100,
        },
        { now: T0, origin: serverOrigin },
      ),
    );
    must(
      configureService(
        doc,
        { id: parseServiceId('lab'), name: 'Prélèvements', prefix: 'L' },
        makeCtx(T0),
      ),
    );
    must(configureRoom(doc, { id: parseRoomId('Room 3'), name: 'Salle 3' }, makeCtx(T0)));
    must(configureRoom(doc, { id: parseRoomId('1'), name: 'Salle 1' }, makeCtx(T0)));
    let t = T0;
    const ctx = () => makeCtx((t += MIN), { device: 'desk' });
    const ids = [];
    for (let i = 0; i < 40; i++) {
      const p = {
        name: NAMES[i % NAMES.length]!,
        phone: PHONES[i % PHONES.length]!,
        notes: NOTES[i % NOTES.length]!,
        flags: { vip: true },
      };
      const { entry } = must(
        addPatientEntry(doc, staff, { source: i % 2 ? 'qr' : 'walk-in', patient: p }, ctx()),
      );
      ids.push(entry.id);
      must(
        updatePatient(doc, staff, { entryId: entry.id, notes: `${p.notes} — ${p.name}` }, ctx()),
      );
    }
    must(reorderEntry(doc, { entryId: ids[5]!, before: ids[1]! }, ctx()));
    must(transferEntry(doc, { entryId: ids[6]!, service: parseServiceId('lab') }, ctx()));
    must(cancelPatientEntry(doc, staff, { entryId: ids[7]!, forgetPatient: true }, ctx()));
    for (let i = 0; i < 10; i++) {
      const { entry } = must(callNext(doc, { room: parseRoomId(i % 2 ? '1' : 'Room 3') }, ctx()));
      must(startService(doc, { entryId: entry.id }, ctx()));
      must(finishService(doc, { entryId: entry.id }, ctx()));
    }

    // Walk everything a display would receive: the doc rebuilt from its full update.
    const received = new Y.Doc();
    Y.applyUpdate(received, Y.encodeStateAsUpdate(doc));
    const everything = Object.fromEntries(
      [...doc.share.keys()].map((name) => [name, received.getMap(name).toJSON()]),
    );
    const secrets = [...NAMES, ...PHONES, ...NOTES, ...NAMES.flatMap((n) => n.split(' '))];
    let strings = 0;
    walk(everything, (key, value) => {
      if (key !== null) expect(key, `public key ${key}`).not.toMatch(PERSONAL_KEY);
      if (typeof value === 'string') {
        strings++;
        for (const secret of secrets) expect(value, `public value ${value}`).not.toContain(secret);
      }
    });
    expect(strings).toBeGreaterThan(300);
    // The raw bytes do not carry them either (deleted content included).
    const bytes = new TextDecoder().decode(Y.encodeStateAsUpdate(doc));
    for (const secret of secrets) expect(bytes).not.toContain(secret);
    // …while the staff doc does hold them.
    expect(JSON.stringify(staff.getMap('patients').toJSON())).toContain('Jeanne Martin');
  });
});
