import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clinicDay } from './day.js';
import { callOutcome, waitingList } from './derive.js';
import { getEntry } from './entries.js';
import { grantNumberBlock } from './numbering.js';
import { callNext, callTicket, sendBack, startService } from './call-ops.js';
import { addEntry } from './ops.js';
import { serverOrigin } from './origins.js';
import { parseRoomId } from './schema.js';
import {
  codeOf,
  fork,
  makeCtx,
  MIN,
  must,
  SETTINGS,
  seededClinic,
  sync,
  T0,
} from './test-support/fixtures.js';

const R1 = parseRoomId('1');
const R2 = parseRoomId('2');
const R3 = parseRoomId('Room 3');
const day = clinicDay(T0, SETTINGS);

function clinicWithTickets(n: number) {
  const { doc: srv } = seededClinic(SETTINGS, 100);
  must(
    grantNumberBlock(
      srv,
      { device: 'srv', day, start: 1, size: 50 },
      { now: T0, origin: serverOrigin },
    ),
  );
  for (let i = 0; i < n; i++)
    must(addEntry(srv, { source: 'qr' }, makeCtx(T0 + i, { device: 'srv' })));
  return srv;
}

describe('call-next race between two rooms (rules C1–C4, I4)', () => {
  it('resolves a simultaneous call to the earliest claim, the same on every replica, in any delivery order', () => {
    for (const order of ['ab', 'ba'] as const) {
      const srv = clinicWithTickets(2);
      const a = fork(srv, 7); // room 1
      const b = fork(srv, 3); // room 2
      const callA = must(callNext(a, { room: R1 }, makeCtx(T0 + 5 * MIN))).entry;
      const callB = must(callNext(b, { room: R2 }, makeCtx(T0 + 5 * MIN + 1))).entry;
      expect(callA.id).toBe(callB.id);
      const ua = Y.encodeStateAsUpdate(a);
      const ub = Y.encodeStateAsUpdate(b);
      for (const u of order === 'ab' ? [ua, ub] : [ub, ua]) Y.applyUpdate(srv, u);
      sync(srv, a, b);
      for (const d of [srv, a, b]) {
        expect(getEntry(d, callA.id)?.room).toBe('1');
        expect(callOutcome(d, callA.id, R1)).toEqual({ outcome: 'won' });
        expect(callOutcome(d, callA.id, R2)).toEqual({ outcome: 'lost', to: '1' });
      }
      // The losing room can simply call again and gets the next ticket.
      const again = must(callNext(b, { room: R2 }, makeCtx(T0 + 6 * MIN))).entry;
      expect(again.id).not.toBe(callA.id);
    }
  });

  it('breaks a tie at the same millisecond by room id, whatever the client ids', () => {
    const srv = clinicWithTickets(1);
    const a = fork(srv, 1);
    const b = fork(srv, 2);
    const e = must(callNext(b, { room: R1 }, makeCtx(T0 + MIN))).entry;
    must(callNext(a, { room: R2 }, makeCtx(T0 + MIN)));
    sync(a, b, srv);
    expect([a, b, srv].map((d) => getEntry(d, e.id)?.room)).toEqual(['1', '1', '1']);
  });

  it('keeps one winner even when the losing room started the consultation offline', () => {
    const srv = clinicWithTickets(1);
    const a = fork(srv, 1);
    const b = fork(srv, 2);
    const e = must(callNext(a, { room: R1 }, makeCtx(T0 + MIN))).entry;
    must(callNext(b, { room: R2 }, makeCtx(T0 + 2 * MIN)));
    must(startService(b, { entryId: e.id, room: R2 }, makeCtx(T0 + 3 * MIN)));
    sync(a, b, srv);
    for (const d of [a, b, srv]) {
      expect(getEntry(d, e.id)?.room).toBe('1');
      expect(callOutcome(d, e.id, R2)).toEqual({ outcome: 'lost', to: '1' });
    }
    expect(codeOf(startService(b, { entryId: e.id, room: R2 }, makeCtx(T0 + 4 * MIN)))).toBe(
      'conflict',
    );
  });

  it('does not let an old round claim decide a later call after the ticket was sent back', () => {
    const srv = clinicWithTickets(1);
    const e = must(callNext(srv, { room: R1 }, makeCtx(T0 + MIN))).entry;
    // Sent back, then called by room 2 later: room 2 wins round 1 although room 1 called first in round 0.
    must(sendBack(srv, { entryId: e.id }, makeCtx(T0 + 2 * MIN)));
    must(callNext(srv, { room: R2 }, makeCtx(T0 + 3 * MIN)));
    expect(getEntry(srv, e.id)).toMatchObject({ room: '2', round: 1 });
    expect(callOutcome(srv, e.id, R1)).toEqual({ outcome: 'none' });
    expect(waitingList(srv, T0 + 3 * MIN)).toEqual([]);
  });

  it('tells a room whose next-round call was overridden by a concurrent older call that it lost', () => {
    for (const staleClient of [5, 500]) {
      const srv = clinicWithTickets(1);
      const stale = fork(srv, staleClient); // room 2, offline from here on
      const e = must(callNext(srv, { room: R1 }, makeCtx(T0 + MIN))).entry; // round 0
      must(sendBack(srv, { entryId: e.id }, makeCtx(T0 + 2 * MIN))); // round 1
      must(callNext(srv, { room: R3 }, makeCtx(T0 + 3 * MIN))); // room 3, round 1
      must(callNext(stale, { room: R2 }, makeCtx(T0 + 4 * MIN))); // room 2, round 0, concurrent
      sync(srv, stale);
      const entry = getEntry(srv, e.id)!;
      const outcomes = [R1, R2, R3].map((room) => callOutcome(srv, e.id, room));
      // Whichever state won the merge: one holder, and room 3 (latest round) is never left in the dark.
      expect(outcomes.filter((o) => o.outcome === 'won')).toHaveLength(1);
      expect(outcomes[2]).toEqual(
        entry.room === R3 ? { outcome: 'won' } : { outcome: 'lost', to: entry.room },
      );
      // Room 2 lost round 0 to room 1 (earlier call), whatever happened next.
      expect(outcomes[1]).toEqual({ outcome: 'lost', to: '1' });
      expect([stale, srv].map((d) => getEntry(d, e.id)?.room)).toEqual([entry.room, entry.room]);
    }
  });

  it('tells a room calling a ticket another room already holds which room has it', () => {
    const srv = clinicWithTickets(1);
    const e = must(callNext(srv, { room: R1 }, makeCtx(T0 + MIN))).entry;
    const res = callTicket(srv, { entryId: e.id, room: R2 }, makeCtx(T0 + 2 * MIN));
    expect(codeOf(res)).toBe('conflict');
    expect(res.ok ? null : res.error.details).toEqual({ room: '1' });
  });
});
