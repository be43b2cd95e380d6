import { describe, expect, it } from 'vitest';
import { sendBack } from '../../../../shared/queue/index.js';
import { add, at, call, clinic, MIN, must, R1, T0 } from '../test-support.js';
import { derivePatientView } from './patient-view.js';

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
