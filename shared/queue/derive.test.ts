import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { configureRoom, configureService } from './config-ops.js';
import {
  calledList,
  callPlan,
  estimatedWait,
  position,
  queueSnapshot,
  queueStats,
  serviceTime,
  VERY_SOON_MAX_AHEAD,
  waitingList,
  waitMinutes,
} from './derive.js';
import { callNext, callTicket, finishService, markNoShow, startService } from './call-ops.js';
import { addEntry, cancelEntry, transferEntry } from './ops.js';
import { parseRoomId, parseServiceId } from './schema.js';
import {
  DAY_MS,
  makeCtx,
  MIN,
  mulberry32,
  must,
  seededClinic,
  T0,
} from './test-support/fixtures.js';
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

describe('service time (rule W6): configured minutes blended with real durations, bounded', () => {
  it('is the configured duration before any ticket of the service is served', () => {
    expect(serviceTime(10, [])).toEqual({ ms: 10 * MIN, priorMs: 10 * MIN, samples: 0 });
  });

  it('blends the configured duration (weight 2) with real ones: (2×10 + 4 + 6 + 8) / 5 = 7.6 min', () => {
    const doc = clinic();
    const done = [served(doc, 10, 14), served(doc, 20, 26), served(doc, 30, 38)];
    expect(serviceTime(10, done)).toEqual({ ms: 7.6 * MIN, priorMs: 10 * MIN, samples: 3 });
  });

  it('keeps only the last five samples, each clamped to a third of the configured duration', () => {
    const doc = clinic(['1']);
    const done = [served(doc, 10, 40)]; // 30 min, the oldest: ignored
    for (let i = 0; i < 5; i++) done.push(served(doc, 50 + 10 * i, 52 + 10 * i)); // 2 min → 10/3
    // (2×10 + 5 × 10/3) / 7 = 5.238 min
    expect(serviceTime(10, done)).toEqual({
      ms: Math.round(((20 + 50 / 3) / 7) * MIN),
      priorMs: 10 * MIN,
      samples: 5,
    });
  });

  it('never falls under half the configured duration however fast doctors click "done"', () => {
    const doc = clinic(['1']);
    const done: EntryView[] = [];
    for (let i = 0; i < 5; i++) {
      const e = add(doc, 10 + i);
      must(callTicket(doc, { entryId: e.id, room: R1 }, at(20 + i)));
      must(startService(doc, { entryId: e.id }, at(20 + i)));
      done.push(
        must(finishService(doc, { entryId: e.id }, makeCtx(T0 + (20 + i) * MIN + 3000))).entry,
      );
    }
    expect(serviceTime(10, done).ms).toBeGreaterThanOrEqual(5 * MIN);
    expect(serviceTime(0.1, []).ms).toBe(MIN); // and never under a minute
  });

  it('never exceeds twice the configured duration when a "done" was forgotten for hours', () => {
    const doc = clinic(['1']);
    const done: EntryView[] = [];
    for (let i = 0; i < 5; i++) done.push(served(doc, 10 + 200 * i, 190 + 200 * i)); // 3 h each
    expect(serviceTime(10, done).ms).toBe(20 * MIN);
  });
});

describe('estimated wait (rule W1), hand-computed from the call plan', () => {
  it('two idle rooms call the first two tickets now, the third after one service time', () => {
    const doc = clinic();
    const [a, b, c] = [add(doc, 1), add(doc, 2), add(doc, 3)];
    const now = T0 + 5 * MIN;
    expect(estimatedWait(doc, a.id, now)).toEqual({
      ms: 0,
      ahead: 0,
      rooms: 2,
      serviceMs: 10 * MIN,
      samples: 0,
    });
    expect(estimatedWait(doc, b.id, now)).toMatchObject({ ms: 0, ahead: 1 });
    expect(estimatedWait(doc, c.id, now)).toMatchObject({ ms: 10 * MIN, ahead: 2 });
  });

  it('uses the blended service time: the 4th of 4 waits 7.6 min with two idle rooms', () => {
    const doc = clinic();
    served(doc, 10, 14); // 4 min
    served(doc, 20, 26); // 6 min
    served(doc, 30, 38); // 8 min
    const waiting = [add(doc, 40), add(doc, 41), add(doc, 42), add(doc, 43)];
    expect(estimatedWait(doc, waiting[3]!.id, T0 + 45 * MIN)).toEqual({
      ms: 7.6 * MIN,
      ahead: 3,
      rooms: 2,
      serviceMs: 7.6 * MIN,
      samples: 3,
    });
  });

  it('a room busy with a patient frees up when its service time is over', () => {
    const doc = clinic(['1']);
    const inRoom = add(doc, 1);
    must(callTicket(doc, { entryId: inRoom.id, room: R1 }, at(2)));
    must(startService(doc, { entryId: inRoom.id }, at(3)));
    const [a, b] = [add(doc, 4), add(doc, 5)];
    const now = T0 + 7 * MIN; // started 4 min ago: 6 min left
    expect(estimatedWait(doc, a.id, now)).toMatchObject({ ms: 6 * MIN, ahead: 0 });
    expect(estimatedWait(doc, b.id, now)).toMatchObject({ ms: 16 * MIN, ahead: 1 });
  });

  it('uses the configured duration of a service without samples, not another service’s', () => {
    const doc = clinic(['1']);
    served(doc, 10, 12); // main: 2 min, says nothing about lab
    const [, lab2] = [add(doc, 30, LAB), add(doc, 31, LAB)];
    expect(estimatedWait(doc, lab2.id, T0 + 32 * MIN)).toMatchObject({
      ms: 20 * MIN,
      serviceMs: 20 * MIN,
      samples: 0,
    });
  });

  it('counts only open rooms that serve the service', () => {
    const doc = clinic(['1', '2', '3']);
    must(configureRoom(doc, { id: parseRoomId('2'), open: false }, at(0)));
    must(configureRoom(doc, { id: parseRoomId('3'), services: [LAB] }, at(0)));
    const [, b] = [add(doc, 1), add(doc, 2)];
    expect(estimatedWait(doc, b.id, T0 + 3 * MIN)).toMatchObject({ rooms: 1, ms: 10 * MIN });
  });

  it('still plans with the closed rooms before any room has opened', () => {
    const doc = clinic(['1', '2']);
    for (const id of ['1', '2'])
      must(configureRoom(doc, { id: parseRoomId(id), open: false }, at(0)));
    const [, , c] = [add(doc, 1), add(doc, 2), add(doc, 3)];
    expect(position(doc, c.id, T0 + 4 * MIN)).toBe(3);
    expect(estimatedWait(doc, c.id, T0 + 4 * MIN)).toMatchObject({ rooms: 2, ms: 10 * MIN });
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
      samples: 3,
    });
  });

  it('with 46 people ahead is never "very soon", even after doctors clicked through in seconds', () => {
    const doc = clinic();
    for (let i = 0; i < 5; i++) {
      const e = add(doc, i);
      must(callTicket(doc, { entryId: e.id, room: R1 }, at(10)));
      must(startService(doc, { entryId: e.id }, at(10)));
      must(finishService(doc, { entryId: e.id }, makeCtx(T0 + 10 * MIN + 5000))); // 5 s "consultations"
    }
    const waiting = Array.from({ length: 47 }, (_, i) => add(doc, 20 + i * 0.1));
    const now = T0 + 30 * MIN;
    const last = estimatedWait(doc, waiting[46]!.id, now)!;
    expect(last.ahead).toBe(46);
    // 46 ahead, 2 rooms: 23 service times of at least 5 min each.
    expect(waitMinutes(last)).toBeGreaterThanOrEqual(23 * 5);
    for (const w of queueSnapshot(doc, now).waiting)
      if (w.wait.ahead >= VERY_SOON_MAX_AHEAD) expect(waitMinutes(w.wait)).toBeGreaterThan(0);
  });

  it('says "very soon" only for the first three, even with ten idle rooms', () => {
    const doc = clinic(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    for (let i = 0; i < 6; i++) add(doc, i);
    const minutes = queueSnapshot(doc, T0 + 10 * MIN).waiting.map((w) => waitMinutes(w.wait));
    expect(minutes).toEqual([0, 0, 0, 1, 1, 1]);
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

describe('position follows the order rooms will call (rules W2, W5)', () => {
  const VACC = parseServiceId('vacc');
  /** One doctor's room serving every service, Consultation (main) and Vaccination. */
  function oneDoctor(): Y.Doc {
    const doc = clinic(['1']);
    must(
      configureService(
        doc,
        { id: VACC, name: 'Vaccination', prefix: 'V', defaultMinutes: 5 },
        at(0),
      ),
    );
    return doc;
  }

  it('a Vaccination patient behind six Consultation patients is 7th, and moves up as the doctor calls them', () => {
    const doc = oneDoctor();
    const consultations = Array.from({ length: 6 }, (_, i) => add(doc, i));
    const v = add(doc, 10, VACC);
    let now = T0 + 11 * MIN;
    expect(position(doc, v.id, now)).toBe(7);
    expect(estimatedWait(doc, v.id, now)).toMatchObject({ ahead: 6, ms: 60 * MIN });
    for (let i = 0; i < 6; i++) {
      now = T0 + (12 + i) * MIN;
      const called = must(callNext(doc, { room: R1 }, makeCtx(now))).entry;
      expect(called.id).toBe(consultations[i]!.id);
      expect(position(doc, v.id, now)).toBe(6 - i);
    }
    expect(must(callNext(doc, { room: R1 }, at(30))).entry.id).toBe(v.id);
  });

  it('a Vaccination patient is called at once by a free room that serves Vaccination only', () => {
    const doc = oneDoctor();
    must(configureRoom(doc, { id: R1, services: [parseServiceId('main')] }, at(0)));
    must(configureRoom(doc, { id: R2, services: [VACC] }, at(0)));
    for (let i = 0; i < 6; i++) add(doc, i);
    const v = add(doc, 10, VACC);
    // Room 1 calls the first Consultation and room 2 her, both now.
    expect(position(doc, v.id, T0 + 11 * MIN)).toBe(2);
    expect(estimatedWait(doc, v.id, T0 + 11 * MIN)).toMatchObject({ ms: 0, rooms: 1 });
    expect(must(callNext(doc, { room: R2 }, at(12))).entry.id).toBe(v.id);
  });

  it('counts the priority classes first, as call next does', () => {
    const doc = clinic(['1']);
    const a = add(doc, 1);
    const lab = add(doc, 2, LAB);
    const c = must(addEntry(doc, { source: 'qr', priority: 'priority' }, at(3))).entry;
    const now = T0 + 4 * MIN;
    expect(waitingList(doc, now).map((e) => e.id)).toEqual([c.id, a.id, lab.id]);
    expect([c, a, lab].map((e) => position(doc, e.id, now))).toEqual([1, 2, 3]);
    expect(waitingList(doc, now, { service: LAB }).map((e) => e.id)).toEqual([lab.id]);
  });

  it('a ticket reserved for a busy room waits for that room while the other room calls the rest', () => {
    const doc = clinic(['1', '2']);
    const busy = add(doc, 0);
    must(callTicket(doc, { entryId: busy.id, room: R2 }, at(1)));
    must(startService(doc, { entryId: busy.id }, at(1)));
    const reserved = add(doc, 2);
    must(transferEntry(doc, { entryId: reserved.id, room: R2 }, at(3)));
    const [x, y] = [add(doc, 4), add(doc, 5)];
    const now = T0 + 6 * MIN; // room 2 is free in 5 min
    const plan = callPlan(doc, now);
    expect(plan.map((p) => [p.entry.id, p.position, p.wait.ms, p.room])).toEqual([
      [reserved.id, 2, 5 * MIN, '2'],
      [x.id, 1, 0, '1'],
      [y.id, 3, 10 * MIN, '1'], // room 1 is free again first
    ]);
  });

  it('replaying the plan with call next calls exactly the planned tickets, in planned order (random clinics)', () => {
    const services = [parseServiceId('main'), LAB, parseServiceId('vacc')];
    for (let seed = 1; seed <= 40; seed++) {
      const rand = mulberry32(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const doc = clinic([]);
      must(configureService(doc, { id: services[2]!, prefix: 'V', defaultMinutes: 5 }, at(0)));
      const rooms = ['1', '2', '3'].map(parseRoomId);
      for (const [i, id] of rooms.entries()) {
        // Room 1 serves everything, so no ticket is left to be called by hand.
        const served = i === 0 ? null : services.filter(() => rand() < 0.5);
        must(configureRoom(doc, { id, services: served }, at(0)));
      }
      for (let i = 0; i < 25; i++) {
        const priority = pick(['normal', 'normal', 'normal', 'priority', 'urgent'] as const);
        const e = must(
          addEntry(doc, { source: 'walk-in', service: pick(services), priority }, at(i * 0.1)),
        ).entry;
        if (rand() < 0.15) transferEntry(doc, { entryId: e.id, room: pick(rooms) }, at(3));
      }
      const now = T0 + 5 * MIN;
      const plan = [...callPlan(doc, now)].sort((a, b) => a.position - b.position);
      expect(plan.map((p) => p.position)).toEqual(plan.map((_, i) => i + 1));
      for (const p of plan) {
        const called = must(callNext(doc, { room: p.room! }, makeCtx(now))).entry;
        expect(called.id, `seed ${seed}, position ${p.position}`).toBe(p.entry.id);
      }
    }
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
