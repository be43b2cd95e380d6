import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addEntry,
  applyClinicSettings,
  configureService,
  localOrigin,
  parseServiceId,
  queueSnapshot,
  sendBack,
  startService,
  transferEntry,
} from '../../../shared/queue/index.js';
import { seededClinic } from '../../../shared/queue/test-support/fixtures.js';
import { deriveDisplayView } from './display-view.js';
import { add, at, call, clinic, MIN, must, R1, R2, T0 } from './test-support.js';
import { derivePatientView } from './patient-view.js';

const VACC = parseServiceId('vacc');

describe('patient view', () => {
  it('follows one ticket: waiting with position and wait, called to a room, sent back, no-show', () => {
    const doc = clinic();
    const [a, b] = [add(doc, 1), add(doc, 2)];
    const v1 = derivePatientView(doc, b.id, T0 + 3 * MIN, true);
    // Two idle rooms: both are called now.
    expect(v1).toMatchObject({ phase: 'waiting', ticket: b.label, position: 2, waitMinutes: 0 });
    call(doc, a, R1, 4);
    call(doc, b, R1, 5);
    const v2 = derivePatientView(doc, b.id, T0 + 5 * MIN, true);
    expect(v2).toMatchObject({ phase: 'called', roomName: 'Salle 1', position: null });
    expect(v2.callKey).toBe(`${b.id}:0:0`);
    must(sendBack(doc, { entryId: b.id }, at(6)));
    expect(derivePatientView(doc, b.id, T0 + 6 * MIN, true)).toMatchObject({
      phase: 'sent-back',
      position: 1,
    });
  });

  it('says loading before the first sync and unknown for a ticket the synced doc lacks', () => {
    const doc = clinic();
    expect(derivePatientView(doc, 'nope', T0, false).phase).toBe('loading');
    expect(derivePatientView(doc, 'nope', T0, true).phase).toBe('unknown');
  });

  it('tells a Vaccination patient behind six Consultations her real place and wait, as the display and reception do', () => {
    const doc = clinic();
    must(configureService(doc, { id: VACC, name: 'Vaccination', prefix: 'V' }, at(0)));
    for (let i = 0; i < 6; i++) add(doc, i);
    const v = must(addEntry(doc, { source: 'qr', service: VACC }, at(7))).entry;
    const now = T0 + 8 * MIN;
    const view = derivePatientView(doc, v.id, now, true);
    // Two idle rooms call two by two, 10 min each: she is 7th, called in 30 min.
    expect(view).toMatchObject({ phase: 'waiting', position: 7, waitMinutes: 30 });
    const onDisplay = deriveDisplayView(doc, now).next;
    expect(onDisplay.findIndex((n) => n.ticket === v.label)).toBe(6);
    expect(onDisplay[6]?.waitMinutes).toBe(30);
    expect(queueSnapshot(doc, now).waiting.find((w) => w.entry.id === v.id)?.position).toBe(7);
  });

  it('the display lists the next tickets in the order patients are told, a ticket reserved for a busy room after the rest', () => {
    const doc = clinic();
    const busy = add(doc, 0);
    call(doc, busy, R2, 1);
    must(startService(doc, { entryId: busy.id }, at(1)));
    const reserved = add(doc, 2);
    must(transferEntry(doc, { entryId: reserved.id, room: R2 }, at(3)));
    const [x, y] = [add(doc, 4), add(doc, 5)];
    const now = T0 + 6 * MIN;
    const positions = [reserved, x, y].map((e) => derivePatientView(doc, e.id, now, true).position);
    expect(positions).toEqual([2, 1, 3]);
    expect(deriveDisplayView(doc, now).next.map((n) => n.ticket)).toEqual([
      x.label,
      reserved.label,
      y.label,
    ]);
  });

  it('speaks the clinic’s language, and has none before the clinic is known', () => {
    const { doc } = seededClinic({ name: 'Riverside clinic', locale: 'en' });
    const e = add(doc, 1);
    expect(derivePatientView(doc, e.id, T0 + 2 * MIN, true).locale).toBe('en');
    applyClinicSettings(doc, { name: 'Riverside clinic', locale: 'fr' }, localOrigin('test'));
    expect(derivePatientView(doc, e.id, T0 + 2 * MIN, true).locale).toBe('fr');
    expect(derivePatientView(new Y.Doc(), 'x', T0, false).locale).toBeNull();
  });
});
