/**
 * Everything a staff screen of one clinic binds to: the public and staff
 * docs (synced, with IndexedDB copies keyed by user), the queue store, the
 * presence store, one combined connection light, and the number-block
 * top-up for this tab's device.
 */
import type { StoreApi } from 'zustand/vanilla';
import { queueDocName, staffDocName, type ClinicId } from '../../../shared/ids.js';
import { colorFor, type PresenceUser } from '../../../shared/presence.js';
import { QUEUE_ROOTS, STAFF_ROOTS } from '../../../shared/queue/index.js';
import { ApiError, api, serverNow } from '../sync/api.js';
import { combineConnections } from '../sync/combine.js';
import { openSyncedDoc, type ConnectionState, type SyncedDoc } from '../sync/synced-doc.js';
import { createLostEditsStore, type LostEditsState } from './lost-edits.js';
import { createPresenceStore, type PresenceState } from './presence-store.js';
import { createQueueStore, type QueueState } from './queue-store.js';

/** Ask for a new block below this many numbers left today. */
export const LOW_NUMBERS = 10;

export interface ClinicSession {
  readonly clinicId: ClinicId;
  readonly queueDoc: SyncedDoc;
  readonly staffDoc: SyncedDoc;
  readonly queue: StoreApi<QueueState>;
  readonly presence: StoreApi<PresenceState>;
  /** Our committed field values that lost a concurrent edit. */
  readonly lostEdits: StoreApi<LostEditsState>;
  readonly connection: StoreApi<ConnectionState>;
  destroy(): void;
}

export function openClinicSession(args: {
  clinicId: ClinicId;
  user: PresenceUser;
  device: string;
}): ClinicSession {
  const { clinicId, user, device } = args;
  const queueDoc = openSyncedDoc(queueDocName(clinicId), {
    userId: user.id,
    changeKey: ticketChangeKey('queue', QUEUE_ROOTS.entries),
  });
  const staffDoc = openSyncedDoc(staffDocName(clinicId), {
    userId: user.id,
    presence: true,
    changeKey: ticketChangeKey('staff', STAFF_ROOTS.patients),
  });
  const queue = createQueueStore({
    queueDoc: queueDoc.doc,
    staffDoc: staffDoc.doc,
    now: serverNow,
    device,
    actor: user.id,
  });
  const presence = createPresenceStore(staffDoc.provider.awareness, user);
  const lostEdits = createLostEditsStore(staffDoc.doc);
  const connection = combineConnections([queueDoc.connection, staffDoc.connection]);

  // Number blocks: top up while online; without one, tickets get provisional labels.
  let inFlight = false;
  let retryAt = 0;
  const topUp = () => {
    const q = queue.getState();
    const c = queueDoc.connection.getState();
    if (inFlight || !q.ready || c.status !== 'synced' || Date.now() < retryAt) return;
    if (q.remainingNumbers === null || q.remainingNumbers >= LOW_NUMBERS) return;
    inFlight = true;
    api('POST', `/api/clinics/${clinicId}/number-blocks`, { device }).then(
      () => {
        inFlight = false;
      },
      (e: unknown) => {
        inFlight = false;
        // 404: the route is not deployed yet; back off longer.
        retryAt = Date.now() + (e instanceof ApiError && e.status === 404 ? 300_000 : 30_000);
      },
    );
  };
  const offQueue = queue.subscribe(topUp);
  const offConn = queueDoc.connection.subscribe(topUp);

  return {
    clinicId,
    queueDoc,
    staffDoc,
    queue,
    presence,
    lostEdits,
    connection,
    destroy() {
      lostEdits.getState().destroy();
      offQueue();
      offConn();
      connection.destroy();
      presence.getState().destroy();
      queue.getState().destroy();
      queueDoc.destroy();
      staffDoc.destroy();
    },
  };
}

/**
 * Names unsynced changes as a person counts them: a ticket's public entry
 * and its staff record (name, phone, notes) are one change, `ticket:<id>`;
 * the clinic's `meta` (open/closed and its timestamp) is one setting.
 */
export const ticketChangeKey =
  (doc: string, ticketsRoot: string) =>
  (where: string): string =>
    where.startsWith(`${ticketsRoot}/`)
      ? `ticket:${where.slice(ticketsRoot.length + 1)}`
      : where === 'meta' || where.startsWith('meta/')
        ? `${doc}:meta`
        : `${doc}:${where}`;

export const presenceUser = (
  user: { id: string; name: string },
  role: PresenceUser['role'],
): PresenceUser => ({ id: user.id, name: user.name, role, color: colorFor(user.id) });
