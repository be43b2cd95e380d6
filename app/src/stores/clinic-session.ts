/**
 * Everything a staff screen of one clinic binds to: the public and staff
 * docs (synced, with IndexedDB copies keyed by user), the queue store, the
 * presence store, one combined connection light, and where this tab's
 * device gets ticket numbers (sync/numbers.ts).
 */
import type { StoreApi } from 'zustand/vanilla';
import { queueDocName, staffDocName, type ClinicId } from '../../../shared/ids.js';
import { colorFor, type PresenceUser } from '../../../shared/presence.js';
import { QUEUE_ROOTS, STAFF_ROOTS } from '../../../shared/queue/index.js';
import type { ServerClock } from '../sync/clock.js';
import { combineConnections } from '../sync/combine.js';
import type { HttpClient } from '../sync/http.js';
import { createNumberSource } from '../sync/numbers.js';
import { openSyncedDoc, type ConnectionState, type SyncedDoc } from '../sync/synced-doc.js';
import { createBoardsListStore, type BoardsListState } from './boards-list.js';
import { createLostEditsStore, type LostEditsState } from './lost-edits.js';
import { createPresenceStore, type PresenceState } from './presence-store.js';
import { createQueueStore, type QueueState } from './queue-store.js';

export interface ClinicSession {
  readonly clinicId: ClinicId;
  readonly queueDoc: SyncedDoc;
  readonly staffDoc: SyncedDoc;
  readonly queue: StoreApi<QueueState>;
  readonly presence: StoreApi<PresenceState>;
  /** Our committed field values that lost a concurrent edit. */
  readonly lostEdits: StoreApi<LostEditsState>;
  readonly connection: StoreApi<ConnectionState>;
  /** The clinic's boards (the staff doc's mirror; changes through the HTTP API). */
  readonly boards: StoreApi<BoardsListState>;
  /** The staff app's server-corrected clock: timers read it, never Date.now(). */
  readonly clock: ServerClock;
  destroy(): void;
}

export function openClinicSession(args: {
  clinicId: ClinicId;
  user: PresenceUser;
  device: string;
  /** The staff session's HTTP client (ticket numbers) and clock (sessionStore.getState()). */
  http: HttpClient;
  clock: ServerClock;
}): ClinicSession {
  const { clinicId, user, device, http, clock } = args;
  const queueDoc = openSyncedDoc(queueDocName(clinicId), {
    userId: user.id,
    changeKey: ticketChangeKey('queue', QUEUE_ROOTS.entries),
  });
  const staffDoc = openSyncedDoc(staffDocName(clinicId), {
    userId: user.id,
    presence: true,
    changeKey: ticketChangeKey('staff', STAFF_ROOTS.patients),
  });
  const numbers = createNumberSource({
    clinicId,
    device,
    queueDoc: queueDoc.doc,
    online: () => queueDoc.connection.getState().status === 'synced',
    onOnlineChange: (listener) => queueDoc.connection.subscribe(listener),
    http,
    now: clock.now,
    storage: sessionStorageOrNull(),
  });
  const queue = createQueueStore({
    queueDoc: queueDoc.doc,
    staffDoc: staffDoc.doc,
    clock,
    device,
    numbers,
    actor: user.id,
  });
  const presence = createPresenceStore(staffDoc.provider.awareness, user);
  const lostEdits = createLostEditsStore(staffDoc.doc);
  const connection = combineConnections([queueDoc.connection, staffDoc.connection]);
  const boards = createBoardsListStore({ clinicId, staffDoc: staffDoc.doc, http, clock });

  return {
    clinicId,
    queueDoc,
    staffDoc,
    queue,
    presence,
    lostEdits,
    connection,
    boards,
    clock,
    destroy() {
      boards.getState().destroy();
      lostEdits.getState().destroy();
      numbers.destroy();
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

function sessionStorageOrNull(): Storage | null {
  try {
    return sessionStorage;
  } catch {
    return null;
  }
}
