import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { parseClinicId } from '../../../shared/ids.js';
import { parseEntryId, waitMinutes } from '../../../shared/queue/index.js';
import { createServerClock } from '../sync/clock.js';
import type { HttpClient } from '../sync/http.js';
import type { ConnectionState, SyncedDoc } from '../sync/synced-doc.js';
import { microtask } from './doc-store.js';
import { openPatientSession } from './patient-session.js';
import { createQueueStore } from './queue-store.js';
import { derivePatientView } from './patient-view.js';
import { add, call, clinic, MIN, R1, R2, T0 } from './test-support.js';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

function fakeSynced(doc = clinic()): SyncedDoc {
  return {
    name: '',
    doc,
    provider: null as never,
    connection: createStore<ConnectionState>(() => ({
      light: 'orange',
      status: 'connecting',
      unsynced: 0,
      unsyncedKeys: [],
      closedCode: null,
      closedReason: null,
      lastSyncedAt: null,
    })),
    whenLocal: Promise.resolve(),
    destroy: vi.fn(),
  };
}

/** A device whose own clock is `skewMs` off the server's, at server time `server.t`. */
function device(server: { t: number }, skewMs: number) {
  const local = () => server.t + skewMs;
  const clock = createServerClock({ local });
  // What the HTTP client does with an answer's x-server-time: one round-trip sample.
  const http: HttpClient = {
    request: (() => {
      const sentAt = local();
      clock.sample({ sentAt, serverTime: server.t, receivedAt: sentAt });
      return Promise.resolve({ serverTime: server.t });
    }) as HttpClient['request'],
  };
  return { clock, http };
}

const clinicId = parseClinicId('c1');

describe('patient session', () => {
  it('opens the clinic’s public doc read-only with the patient token', () => {
    const synced = fakeSynced();
    const open = vi.fn(() => synced);
    const s = openPatientSession({
      clinicId,
      entryId: parseEntryId('e1'),
      token: 'tok',
      ...device({ t: T0 }, 0),
      openDoc: open,
    });
    expect(open).toHaveBeenCalledWith('queue:c1', { token: 'tok', readOnly: true });
    s.destroy();
    expect(synced.destroy).toHaveBeenCalledTimes(1);
  });

  it('says loading until the relay’s state is in, then unknown for a ticket it lacks', async () => {
    const synced = fakeSynced();
    const s = openPatientSession({
      clinicId,
      entryId: parseEntryId('nope'),
      token: 'tok',
      ...device({ t: T0 }, 0),
      openDoc: () => synced,
      coalesce: microtask,
    });
    expect(s.view.getState().phase).toBe('loading');
    synced.connection.setState({ status: 'synced', lastSyncedAt: 1 });
    expect(s.view.getState().phase).toBe('unknown');
    s.destroy();
    await flush();
  });

  it('tells the wait reception shows at the same moment, though the phone’s clock is 4 min slow', async () => {
    const server = { t: T0 + 8 * MIN };
    const doc = clinic();
    // Both rooms busy since minutes 2 and 3 (10 min each): the 4th ticket waits for the second to free up.
    const [a, b, , last] = [add(doc, 0), add(doc, 0.5), add(doc, 1), add(doc, 1.5)] as const;
    call(doc, a, R1, 2);
    call(doc, b, R2, 3);
    const reception = createQueueStore({
      queueDoc: doc,
      clock: device(server, 0).clock,
      tickMs: 0,
    });
    const phone = device(server, -4 * MIN);
    const s = openPatientSession({
      clinicId,
      entryId: last.id,
      token: 'tok',
      ...phone,
      openDoc: () => fakeSynced(doc),
      coalesce: microtask,
    });
    await flush();
    expect(phone.clock.now()).toBe(server.t);
    const atReception = reception.getState().waiting.find((w) => w.entry.id === last.id)!;
    expect(atReception.position).toBe(2);
    expect(s.view.getState()).toMatchObject({
      phase: 'waiting',
      position: 2,
      waitMinutes: waitMinutes(atReception.wait),
    });
    // The phone's own clock would have told another wait.
    const byPhoneClock = derivePatientView(doc, last.id, server.t - 4 * MIN, true).waitMinutes;
    expect(byPhoneClock).not.toBe(waitMinutes(atReception.wait));
    s.destroy();
    reception.getState().destroy();
  });
});
