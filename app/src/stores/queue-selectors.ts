/**
 * What the staff screens show, selected from the queue store's view
 * (`useStore(clinic.queue, selector)`): pure functions of the state. Those
 * that build a new array, map or function are memoized on their inputs
 * (`createSelector`), so React sees the same value until the view changes.
 */
import type { EntryId } from '../../../shared/ids.js';
import type {
  EntryView,
  RoomConfig,
  RoomId,
  ServiceConfig,
  ServiceId,
  WaitingItem,
} from '../../../shared/queue/index.js';
import type { QueueState, QueueView } from './queue-store.js';
import { createSelector, selectorFamily } from './selectors.js';

type View<K extends keyof QueueView> = Pick<QueueView, K>;

export const selectQueueOpen = (s: View<'clinic'>): boolean => s.clinic?.open ?? false;

/** A ticket of today, wherever it is (waiting, called or in service, finished); null for none. */
export const selectEntry =
  (id: EntryId | string | null) =>
  (s: View<'waiting' | 'active' | 'finished'>): EntryView | null =>
    id === null
      ? null
      : (s.waiting.find((w) => w.entry.id === id)?.entry ??
        s.active.find((e) => e.id === id) ??
        s.finished.find((e) => e.id === id) ??
        null);

/** A ticket's label ("A-012"), null when it is not today's. */
export const selectEntryLabel =
  (id: EntryId | string) =>
  (s: View<'waiting' | 'active' | 'finished'>): string | null =>
    selectEntry(id)(s)?.label ?? null;

/** A service's display name by id; the id itself for a service no longer configured. */
export const selectServiceName: (s: View<'services'>) => (id: ServiceId) => string = createSelector(
  [(s: View<'services'>) => s.services],
  (services) => {
    const names = new Map<string, string>(services.map((x) => [x.id, x.name]));
    return (id: ServiceId) => names.get(id) ?? id;
  },
);

/** The services a walk-in can be added to. */
export const selectOpenServices: (s: View<'services'>) => readonly ServiceConfig[] = createSelector(
  [(s: View<'services'>) => s.services],
  (services) => services.filter((x) => x.open),
);

/** A configured room; undefined for an id no room has. */
export const selectRoom =
  (id: string | null) =>
  (s: View<'rooms'>): RoomConfig | undefined =>
    id === null ? undefined : s.rooms.find((r) => r.id === id);

/** A room and whom it serves now, for reception's rooms card. */
export interface RoomServing {
  readonly id: RoomId;
  /** Null for a room no longer configured that still has a patient. */
  readonly name: string | null;
  /** The ticket called to or served in the room (the most recent). */
  readonly entry: EntryView | null;
}

/** Every configured room, then any other room a ticket is called to, with its current ticket. */
export const selectRoomsServing: (s: View<'rooms' | 'active'>) => readonly RoomServing[] =
  createSelector(
    [(s: View<'rooms' | 'active'>) => s.rooms, (s: View<'rooms' | 'active'>) => s.active],
    (rooms, active) => {
      const ids = [
        ...new Set<RoomId>([
          ...rooms.map((r) => r.id),
          ...active.flatMap((e) => (e.room ? [e.room] : [])),
        ]),
      ];
      return ids.map((id) => ({
        id,
        name: rooms.find((r) => r.id === id)?.name ?? null,
        entry: active.find((e) => e.room === id) ?? null,
      }));
    },
  );

/** The ticket called to or served in this room, null when it is free. */
export const selectRoomCurrent =
  (room: RoomId) =>
  (s: View<'active'>): EntryView | null =>
    s.active.find((e) => e.room === room) ?? null;

/** Who this room may call, in call order: tickets for any room or this one, of its services. */
export const selectRoomWaiting: (
  room: RoomId,
) => (s: View<'waiting' | 'rooms'>) => readonly WaitingItem[] = selectorFamily((room: RoomId) =>
  createSelector(
    [(s: View<'waiting' | 'rooms'>) => s.waiting, (s: View<'waiting' | 'rooms'>) => s.rooms],
    (waiting, rooms) => {
      const config = rooms.find((r) => r.id === room);
      return waiting.filter(
        (w) =>
          (w.entry.targetRoom === null || w.entry.targetRoom === room) &&
          (config?.services == null || config.services.includes(w.entry.service)),
      );
    },
  ),
);

/**
 * The room that won the patient this room called (`call`), when another did;
 * null while this room has them, or before any call. Reads the doc's claims
 * through the store's `callOutcome`, so it follows the docs as they merge.
 */
export const selectCallLostTo =
  (call: EntryId | null, room: RoomId) =>
  (s: Pick<QueueState, 'callOutcome'>): RoomId | null => {
    if (call === null) return null;
    const o = s.callOutcome(call, room);
    return o.outcome === 'lost' ? o.to : null;
  };
