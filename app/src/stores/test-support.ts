/**
 * A seeded clinic with two rooms ("Salle 1" and an unnamed one) for the
 * tests of the public screens' views; times are minutes after T0.
 */
import type * as Y from 'yjs';
import type { Scheduler } from './doc-store.js';
import {
  addEntry,
  callTicket,
  configureRoom,
  parseRoomId,
  type EntryView,
  type RoomId,
} from '../../../shared/queue/index.js';
import {
  makeCtx,
  MIN,
  must,
  seededClinic,
  T0,
} from '../../../shared/queue/test-support/fixtures.js';

export { MIN, must, T0 };

export const at = (minutes: number) => makeCtx(T0 + minutes * MIN);
export const R1 = parseRoomId('1');
export const R2 = parseRoomId('2');

export function clinic(): Y.Doc {
  const { doc } = seededClinic();
  must(configureRoom(doc, { id: R1, name: 'Salle 1' }, at(0)));
  must(configureRoom(doc, { id: R2 }, at(0)));
  return doc;
}

/** A walk-in added at `minute`. */
export const add = (doc: Y.Doc, minute: number): EntryView =>
  must(addEntry(doc, { source: 'walk-in' }, at(minute))).entry;

export const call = (doc: Y.Doc, e: EntryView, room: RoomId, minute: number) =>
  must(callTicket(doc, { entryId: e.id, room }, at(minute))).entry;

/** A scheduler the test runs by hand (an animation frame, say): `run()` runs what is due. */
export function manualScheduler() {
  let queue: (() => void)[] = [];
  const schedule: Scheduler = (run) => {
    queue.push(run);
    return () => {
      queue = queue.filter((r) => r !== run);
    };
  };
  return {
    schedule,
    pending: () => queue.length,
    run() {
      const due = queue;
      queue = [];
      for (const r of due) r();
    },
  };
}
