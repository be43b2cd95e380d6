/**
 * Everything a patient's ticket page binds to, opened like the staff clinic
 * session (`openClinicSession`) and the display's (`openDisplaySession`):
 *
 * - `synced`: `queue:<clinic>` read-only with the patient token (IndexedDB
 *   copy, reconnects: sync/synced-doc.ts);
 * - `clock`: a ServerClock, so the page's position and estimated wait are
 *   those the display and reception show at the same moment (invariant 5).
 *   The page makes no other HTTP call, so it asks `GET /api/time` on open,
 *   when the network comes back and when the page becomes visible again;
 * - `view`: a doc store of the PatientView, derived after doc updates, every
 *   30 s (waits move), when the clock moves and once the doc first synced;
 * - back from a locked phone or another app, a connection silent for 20 s is
 *   presumed dead and reopened (phones freeze sockets without closing them).
 */
import type { StoreApi } from 'zustand/vanilla';
import { queueDocName, type ClinicId, type DocName, type EntryId } from '../../../shared/ids.js';
import { createServerClock, type ServerClock } from '../sync/clock.js';
import { createHttpClient, type HttpClient } from '../sync/http.js';
import {
  openSyncedDoc,
  type ConnectionState,
  type SyncedDoc,
  type SyncedDocOptions,
} from '../sync/synced-doc.js';
import { browserStorage } from './browser-storage.js';
import { createDocStore, type Scheduler } from './doc-store.js';
import { derivePatientView, samePatientView, type PatientView } from './patient-view.js';

/** As reception's and the display's: the three derive the wait at the same instants (invariant 5). */
const TICK_MS = 15_000;
/** A connection silent for this long after the phone wakes up is presumed dead. */
const STALE_MS = 20_000;
const CLOCK_KEY = 'queuemed.patient.clockOffset';

export interface PatientSession {
  readonly clinicId: ClinicId;
  readonly entryId: EntryId;
  readonly clock: ServerClock;
  readonly synced: SyncedDoc;
  readonly connection: StoreApi<ConnectionState>;
  readonly view: StoreApi<PatientView>;
  destroy(): void;
}

export interface PatientSessionOptions {
  readonly clinicId: ClinicId;
  readonly entryId: EntryId;
  /** The patient token (from the ticket link's fragment). */
  readonly token: string;
  /** Default: a ServerClock kept in localStorage. */
  readonly clock?: ServerClock;
  /** Default: a client without credential, feeding `clock`. */
  readonly http?: HttpClient;
  /** Default: openSyncedDoc (tests pass a doc they drive). */
  readonly openDoc?: (name: DocName, opts: SyncedDocOptions) => SyncedDoc;
  readonly coalesce?: Scheduler;
}

export function openPatientSession(opts: PatientSessionOptions): PatientSession {
  const { clinicId, entryId, token } = opts;
  const clock =
    opts.clock ?? createServerClock({ storage: browserStorage(), storageKey: CLOCK_KEY });
  const http = opts.http ?? createHttpClient({ credentials: { kind: 'none' }, clock });
  const synced = (opts.openDoc ?? openSyncedDoc)(queueDocName(clinicId), {
    token,
    readOnly: true,
  });
  const connection = synced.connection;
  const everSynced = () => connection.getState().lastSyncedAt !== null;
  const view = createDocStore<PatientView>({
    docs: [synced.doc],
    derive: (now) => derivePatientView(synced.doc, entryId, now, everSynced()),
    clock,
    equal: samePatientView,
    tickMs: TICK_MS,
    ...(opts.coalesce ? { coalesce: opts.coalesce } : {}),
  });
  let destroyed = false;

  // "Loading" becomes "unknown ticket" once the relay's state is in, even if it changed nothing.
  let wasSynced = everSynced();
  const offConnection = connection.subscribe(() => {
    if (wasSynced || !everSynced()) return;
    wasSynced = true;
    view.refresh();
  });
  void synced.whenLocal.then(() => {
    if (!destroyed) view.refresh();
  });

  // The answer's x-server-time is the sample (sync/http.ts); the body says the same.
  let sampling = false;
  const sampleClock = () => {
    if (sampling || destroyed) return;
    sampling = true;
    http.request('GET /api/time').then(
      () => (sampling = false),
      () => (sampling = false), // offline: the kept offset serves until the next try
    );
  };

  const onVisible = () => {
    if (typeof document !== 'undefined' && document.visibilityState !== 'visible') return;
    if (typeof navigator !== 'undefined' && !navigator.onLine) return;
    sampleClock();
    const status = connection.getState().status;
    if (status === 'closed' || status === 'offline') return;
    const p = synced.provider;
    // The provider stamps messages with the device's own clock.
    if (p.wsconnected && Date.now() - p.wsLastMessageReceived > STALE_MS) p.ws?.close();
    else if (!p.wsconnected && !p.wsconnecting) p.connect();
  };
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);
  if (typeof window !== 'undefined') {
    window.addEventListener('pageshow', onVisible);
    window.addEventListener('online', sampleClock);
  }
  sampleClock();

  return {
    clinicId,
    entryId,
    clock,
    synced,
    connection,
    view: view.store,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (typeof document !== 'undefined')
        document.removeEventListener('visibilitychange', onVisible);
      if (typeof window !== 'undefined') {
        window.removeEventListener('pageshow', onVisible);
        window.removeEventListener('online', sampleClock);
      }
      offConnection();
      view.destroy();
      synced.destroy();
    },
  };
}
