import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  callTicket,
  configureRoom,
  parseRoomId,
  sendBack,
  addEntry,
  type EntryView,
} from '../../../../shared/queue/index.js';
import {
  makeCtx,
  MIN,
  must,
  seededClinic,
  T0,
} from '../../../../shared/queue/test-support/fixtures.js';
import { derivePatientView } from './patient-view.js';

const at = (minutes: number) => makeCtx(T0 + minutes * MIN);
const R1 = parseRoomId('1');
const R2 = parseRoomId('2');

function clinic(): Y.Doc {
  const { doc } = seededClinic();
  must(configureRoom(doc, { id: R1, name: 'Salle 1' }, at(0)));
  must(configureRoom(doc, { id: R2 }, at(0)));
  return doc;
}
const add = (doc: Y.Doc, minute: number): EntryView =>
  must(addEntry(doc, { source: 'walk-in' }, at(minute))).entry;
const call = (doc: Y.Doc, e: EntryView, room: typeof R1, minute: number) =>
  must(callTicket(doc, { entryId: e.id, room }, at(minute))).entry;

describe('patient view', () => {
  it('follows one ticket: waiting with position and wait, called to a room, sent back, no-show', () => {
    const doc = clinic();
    const [a, b] = [add(doc, 1), add(doc, 2)];
    const v1 = derivePatientView(doc, b.id, T0 + 3 * MIN, true);
    expect(v1).toMatchObject({ phase: 'waiting', ticket: b.label, position: 2, waitMinutes: 5 });
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
});
