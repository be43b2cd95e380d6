import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { configureRoom, configureService } from './config-ops.js';
import {
  calledList,
  estimatedWait,
  position,
  queueSnapshot,
  queueStats,
  waitingList,
} from './derive.js';
import { callTicket, finishService, markNoShow, startService } from './call-ops.js';
import { addEntry, cancelEntry } from './ops.js';
import { parseRoomId, parseServiceId } from './schema.js';
import { DAY_MS, makeCtx, MIN, must, seededClinic, T0 } from './test-support/fixtures.js';
import type { EntryView, ServiceId } from './types.js';

const R1 = parseRoomId('1');
const R2 = parseRoomId('2');
const LAB = parseServiceId('lab');
const at = (minutes: number) => makeCtx(T0 + minutes * MIN);

function clinic(rooms: string[] = ['1', '2']): Y.Doc {
  const { doc } = seededClinic();
  for (const id of rooms) must(configureRoom(doc, { id: parseRoomId(id) }, at(0)));
  must(configureService(doc, { id: LAB, prefix: 'L', defaultMinutes: 20 }, at(0)));
  return doc;
}
const add = (doc: Y.Doc, minute: number, service?: ServiceId): EntryView =>
  must(addEntry(doc, { source: 'walk-in', ...(service && { service }) }, at(minute))).entry;

/** A ticket served in `room` from `start` to `end` (minutes after T0). */
function served(doc: Y.Doc, start: number, end: number, service?: ServiceId, room = R1): EntryView {
  const e = add(doc, start - 1, service);
  must(callTicket(doc, { entryId: e.id, room }, at(start)));
  must(startService(doc, { entryId: e.id }, at(start)));
  return must(finishService(doc, { entryId: e.id }, at(end))).entry;
}

describe('estimated wait (rule W1), hand-computed', () => {
  it('uses the service default before any ticket is served: ahead × 10 min / 2 rooms', () => {
    const doc = clinic();
    const [a, b, c] = [add(doc, 1), add(doc, 2), add(doc, 3)];
    const now = T0 + 5 * MIN;
    expect(estimatedWait(doc, a.id, now)).toEqual({
      ms: 0,
      ahead: 0,
      rooms: 2,
      serviceMs: 10 * MIN,
      basis: 'default',
    });
    expect(estimatedWait(doc, b.id, now)?.ms).toBe(5 * MIN);
    expect(estimatedWait(doc, c.id, now)?.ms).toBe(10 * MIN);
  });

  it('averages the recent service durations of the service: 3 ahead × 6 min / 2 rooms = 9 min', () => {
    const doc = clinic();
    served(doc, 10, 14); // 4 min
    served(doc, 20, 26); // 6 min
    served(doc, 30, 38); // 8 min
    const waiting = [add(doc, 40), add(doc, 41), add(doc, 42), add(doc, 43)];
    expect(estimatedWait(doc, waiting[3]!.id, T0 + 45 * MIN)).toEqual({
      ms: 9 * MIN,
      ahead: 3,
      rooms: 2,
      serviceMs: 6 * MIN,
      basis: 'service',
    });
  });

  it('keeps only the last five samples', () => {
    const doc = clinic(['1']);
    served(doc, 10, 40); // 30 min, the oldest: ignored
    for (let i = 0; i < 5; i++) served(doc, 50 + 10 * i, 52 + 10 * i); // 2 min each
    const [, b] = [add(doc, 100), add(doc, 101)];
    expect(estimatedWait(doc, b.id, T0 + 102 * MIN)).toMatchObject({
      ms: 2 * MIN,
      serviceMs: 2 * MIN,
      rooms: 1,
    });
  });

  it('falls back to the clinic-wide average for a service without samples', () => {
    const doc = clinic(['1']);
    served(doc, 10, 22); // main: 12 min
    const [, lab2] = [add(doc, 30, LAB), add(doc, 31, LAB)];
    expect(estimatedWait(doc, lab2.id, T0 + 32 * MIN)).toMatchObject({
      ms: 12 * MIN,
      basis: 'clinic',
    });
  });

  it('counts only open rooms that serve the service', () => {
    const doc = clinic(['1', '2', '3']);
    must(configureRoom(doc, { id: parseRoomId('2'), open: false }, at(0)));
    must(configureRoom(doc, { id: parseRoomId('3'), services: [LAB] }, at(0)));
    const [, b] = [add(doc, 1), add(doc, 2)];
    expect(estimatedWait(doc, b.id, T0 + 3 * MIN)).toMatchObject({ rooms: 1, ms: 10 * MIN });
  });

  it('without configured rooms, counts the rooms that called in the last hour', () => {
    const doc = clinic([]);
    served(doc, 10, 20, undefined, R1); // room 1 called at 10: older than an hour at 80
    served(doc, 60, 70, undefined, R2); // room 2 called at 60
    served(doc, 65, 75, undefined, parseRoomId('Room 3')); // Room 3 called at 65
    const [, , c] = [add(doc, 76), add(doc, 77), add(doc, 78)];
    expect(estimatedWait(doc, c.id, T0 + 80 * MIN)).toEqual({
      ms: 10 * MIN,
      ahead: 2,
      rooms: 2,
      serviceMs: 10 * MIN,
      basis: 'service',
    });
  });

  it('has no estimate for a ticket that is not waiting today', () => {
    const doc = clinic();
    const e = add(doc, 1);
    expect(estimatedWait(doc, e.id, T0 + DAY_MS)).toBeNull();
    must(cancelEntry(doc, { entryId: e.id }, at(2)));
    expect(estimatedWait(doc, e.id, T0 + 3 * MIN)).toBeNull();
    expect(position(doc, e.id, T0 + 3 * MIN)).toBeNull();
  });
});

describe('waiting list and position (rule W2)', () => {
  it('numbers positions within the service, priority class first', () => {
    const doc = clinic();
    const a = add(doc, 1);
    const lab = add(doc, 2, LAB);
    const c = must(addEntry(doc, { source: 'qr', priority: 'priority' }, at(3))).entry;
    const now = T0 + 4 * MIN;
    expect(waitingList(doc, now).map((e) => e.id)).toEqual([c.id, a.id, lab.id]);
    expect([c, a, lab].map((e) => position(doc, e.id, now))).toEqual([1, 2, 1]);
    expect(waitingList(doc, now, { service: LAB }).map((e) => e.id)).toEqual([lab.id]);
  });

  it('gives the same answers in one pass as the per-entry functions', () => {
    const doc = clinic();
    served(doc, 10, 15);
    for (let i = 0; i < 6; i++) add(doc, 20 + i, i % 2 ? LAB : undefined);
    must(callTicket(doc, { entryId: waitingList(doc, T0 + 30 * MIN)[0]!.id, room: R2 }, at(30)));
    const now = T0 + 31 * MIN;
    const snap = queueSnapshot(doc, now);
    expect(snap.waiting.map((w) => w.entry)).toEqual(waitingList(doc, now));
    for (const w of snap.waiting) {
      expect(w.position).toBe(position(doc, w.entry.id, now));
      expect(w.wait).toEqual(estimatedWait(doc, w.entry.id, now));
    }
    expect(snap.called).toEqual(calledList(doc, now));
    expect(snap.stats).toEqual(queueStats(doc, now));
  });
});

describe('live stats (rule W3), hand-computed', () => {
  it('counts statuses and averages waits and service times', () => {
    const doc = clinic();
    const e1 = add(doc, 0);
    const e2 = add(doc, 1);
    const e3 = add(doc, 2);
    const e4 = add(doc, 3);
    add(doc, 4);
    add(doc, 5);
    must(callTicket(doc, { entryId: e1.id, room: R1 }, at(10))); // waited 10
    must(startService(doc, { entryId: e1.id }, at(10)));
    must(finishService(doc, { entryId: e1.id }, at(16))); // served 6
    must(callTicket(doc, { entryId: e2.id, room: R2 }, at(12))); // waited 11
    must(markNoShow(doc, { entryId: e2.id }, at(15)));
    must(callTicket(doc, { entryId: e3.id, room: R2 }, at(20))); // waited 18
    must(startService(doc, { entryId: e3.id }, at(21)));
    must(cancelEntry(doc, { entryId: e4.id }, at(22)));
    expect(queueStats(doc, T0 + 30 * MIN)).toEqual({
      day: '2025-03-10',
      waiting: 2,
      called: 0,
      inService: 1,
      served: 1,
      noShows: 1,
      cancelled: 1,
      averageWaitMs: 13 * MIN,
      longestWaitMs: 26 * MIN,
      averageServiceMs: 6 * MIN,
    });
  });

  it('starts every day from zero', () => {
    const doc = clinic();
    served(doc, 10, 15);
    add(doc, 20);
    expect(queueStats(doc, T0 + DAY_MS)).toMatchObject({
      day: '2025-03-11',
      waiting: 0,
      served: 0,
      averageWaitMs: null,
      longestWaitMs: null,
    });
  });

  it('lists called tickets for the display, latest call first', () => {
    const doc = clinic();
    const [a, b] = [add(doc, 1), add(doc, 2)];
    must(callTicket(doc, { entryId: a.id, room: R1 }, at(3)));
    must(callTicket(doc, { entryId: b.id, room: R2 }, at(4)));
    expect(calledList(doc, T0 + 5 * MIN).map((e) => [e.label, e.room])).toEqual([
      [b.label, '2'],
      [a.label, '1'],
    ]);
  });
});
