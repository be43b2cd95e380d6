import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { archiveDay, archivedDays, finishedDays } from './archive.js';
import { addDays, clinicDay } from './day.js';
import { waitingList } from './derive.js';
import { allEntries } from './entries.js';
import { grantNumberBlock, readGrants } from './numbering.js';
import { callNext, callTicket, finishService, startService } from './call-ops.js';
import { addEntry } from './ops.js';
import { serverOrigin } from './origins.js';
import { parseRoomId } from './schema.js';
import {
  codeOf,
  DAY_MS,
  fork,
  HOUR,
  makeCtx,
  MIN,
  must,
  SETTINGS,
  seededClinic,
  sync,
  T0,
} from './test-support/fixtures.js';
import type { Day } from './types.js';

const R1 = parseRoomId('1');
const day1 = clinicDay(T0, SETTINGS);
const server = (now: number) => ({ now, origin: serverOrigin });

function dayOne() {
  const { doc: srv } = seededClinic(SETTINGS, 100);
  must(grantNumberBlock(srv, { device: 'srv', day: day1, start: 1, size: 20 }, server(T0)));
  must(grantNumberBlock(srv, { device: 'desk-b', day: day1, start: 21, size: 20 }, server(T0)));
  const tickets = [0, 1, 2].map(
    (i) => must(addEntry(srv, { source: 'qr' }, makeCtx(T0 + i * MIN, { device: 'srv' }))).entry,
  );
  return { srv, tickets };
}

describe('day rollover (rules D1–D5)', () => {
  it("never brings yesterday's waiting tickets into today's queue", () => {
    const { srv } = dayOne();
    expect(waitingList(srv, T0 + 5 * MIN)).toHaveLength(3);
    expect(waitingList(srv, T0 + DAY_MS)).toEqual([]);
    expect(codeOf(callNext(srv, { room: R1 }, makeCtx(T0 + DAY_MS)))).toBe('nobody-waiting');
  });

  it('refuses to call or requeue a ticket of another day, but lets it be closed late', () => {
    const { srv, tickets } = dayOne();
    must(callTicket(srv, { entryId: tickets[0]!.id, room: R1 }, makeCtx(T0 + 10 * MIN)));
    must(startService(srv, { entryId: tickets[0]!.id }, makeCtx(T0 + 11 * MIN)));
    const nextDay = makeCtx(T0 + DAY_MS);
    expect(codeOf(callTicket(srv, { entryId: tickets[1]!.id, room: R1 }, nextDay))).toBe(
      'wrong-day',
    );
    const done = must(finishService(srv, { entryId: tickets[0]!.id }, nextDay)).entry;
    expect(done).toMatchObject({ status: 'done', day: day1 });
  });

  it('keeps a long-offline device’s edits in the day they were made and archives late arrivals later', () => {
    const { srv, tickets } = dayOne();
    const b = fork(srv, 200);
    // B goes offline on day 1 and keeps working: serves a ticket, adds one.
    must(callTicket(b, { entryId: tickets[1]!.id, room: R1 }, makeCtx(T0 + 2 * HOUR)));
    const late = must(
      addEntry(b, { source: 'walk-in' }, makeCtx(T0 + 3 * HOUR, { device: 'desk-b' })),
    ).entry;
    expect(late.label).toBe('A-021');
    // Two days later B, still offline, issues a ticket today: no block for today, so provisional.
    const day3 = addDays(day1, 2);
    const today = must(
      addEntry(b, { source: 'walk-in' }, makeCtx(T0 + 2 * DAY_MS, { device: 'desk-b' })),
    ).entry;
    expect(today).toMatchObject({ day: day3, provisional: true });

    // Meanwhile the server archived day 1 (today and yesterday stay live).
    expect(finishedDays(srv, T0 + 2 * DAY_MS, 1)).toEqual([day1]);
    const first = must(
      archiveDay(srv, { day: day1 }, makeCtx(T0 + 2 * DAY_MS, { origin: serverOrigin })),
    ).archive;
    expect(first.entries.map((e) => e.label)).toEqual(['A-001', 'A-002', 'A-003']);
    expect(first.grants).toHaveLength(2);

    sync(srv, b);
    const now = T0 + 2 * DAY_MS + MIN;
    for (const doc of [srv, b]) {
      expect(waitingList(doc, now).map((e) => e.id)).toEqual([today.id]);
      // The archived tickets are gone, the late one stays in its own day…
      expect(allEntries(doc).map((e) => [e.label, e.day])).toEqual([
        [late.label, day1],
        [today.label, day3],
      ]);
      expect(readGrants(doc, day1)).toEqual([]);
    }
    // …and the next archive of that day picks it up.
    const second = must(
      archiveDay(srv, { day: day1 }, makeCtx(now, { origin: serverOrigin })),
    ).archive;
    expect(second.entries.map((e) => e.id)).toEqual([late.id]);
    expect(finishedDays(srv, now, 1)).toEqual([]);
    expect(archivedDays(srv)).toEqual([day1]);
  });

  it('refuses to archive today or a malformed day', () => {
    const { srv } = dayOne();
    expect(codeOf(archiveDay(srv, { day: day1 }, makeCtx(T0 + HOUR)))).toBe('day-not-finished');
    expect(codeOf(archiveDay(srv, { day: 'yesterday' as Day }, makeCtx(T0 + HOUR)))).toBe(
      'invalid-argument',
    );
  });

  it('keeps the live doc small: archiving a busy day shrinks it', () => {
    const { srv } = dayOne();
    for (let i = 0; i < 200; i++) {
      const e = must(
        addEntry(srv, { source: 'qr' }, makeCtx(T0 + HOUR + i * MIN, { device: 'srv' })),
      ).entry;
      if (i % 2)
        must(callTicket(srv, { entryId: e.id, room: R1 }, makeCtx(T0 + HOUR + i * MIN + 1)));
    }
    const before = Y.encodeStateAsUpdate(srv).byteLength;
    must(archiveDay(srv, { day: day1 }, makeCtx(T0 + DAY_MS)));
    const after = Y.encodeStateAsUpdate(srv).byteLength;
    expect(after).toBeLessThan(before / 5);
    expect(allEntries(srv)).toEqual([]);
  });

  it('restarts numbering at the configured local reset time', () => {
    const { doc } = seededClinic({ ...SETTINGS, resetTime: '04:00' });
    const night = Date.UTC(2025, 2, 11, 2, 0); // 03:00 Paris on the 11th: still the 10th
    const morning = Date.UTC(2025, 2, 11, 3, 0); // 04:00 Paris: the 11th
    expect(clinicDay(night, { timezone: 'Europe/Paris', resetTime: '04:00' })).toBe('2025-03-10');
    for (const [now, day] of [
      [night, '2025-03-10'],
      [morning, '2025-03-11'],
    ] as const) {
      must(
        grantNumberBlock(doc, { device: 'desk', day: day as Day, start: 1, size: 5 }, server(now)),
      );
      expect(
        must(addEntry(doc, { source: 'qr' }, makeCtx(now, { device: 'desk' }))).entry,
      ).toMatchObject({ label: 'A-001', day });
    }
  });
});
