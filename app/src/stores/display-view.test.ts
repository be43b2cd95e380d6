import { describe, expect, it } from 'vitest';
import {
  finishService,
  queueSnapshot,
  recall,
  sendBack,
  startService,
  waitMinutes,
} from '../../../shared/queue/index.js';
import { add, at, call, clinic, MIN, must, R1, R2, T0 } from './test-support.js';
import {
  deriveDisplayView,
  EMPTY_DISPLAY_VIEW,
  FEATURE_MS,
  FEATURED_MAX,
  HISTORY_SIZE,
  NEXT_SIZE,
  sameDisplayView,
} from './display-view.js';

describe('display view', () => {
  it('is empty until the doc holds the server seed', async () => {
    const { Doc } = await import('yjs');
    expect(deriveDisplayView(new Doc(), T0)).toBe(EMPTY_DISPLAY_VIEW);
  });

  it('shows the latest call huge, the other calls as history and the next tickets in order', () => {
    const doc = clinic();
    const tickets = Array.from({ length: 12 }, (_, i) => add(doc, i));
    call(doc, tickets[0]!, R1, 20);
    call(doc, tickets[1]!, R2, 21);
    const view = deriveDisplayView(doc, T0 + 22 * MIN);
    expect(view.clinicName).toBe('Test clinic');
    expect(view.current).toMatchObject({
      ticket: tickets[1]!.label,
      room: '2',
      roomName: '2',
      status: 'called',
    });
    expect(view.history.map((c) => [c.ticket, c.roomName])).toEqual([
      [tickets[0]!.label, 'Salle 1'],
    ]);
    expect(view.called.map((c) => c.ticket)).toEqual([tickets[1]!.label, tickets[0]!.label]);
    expect(view.next.map((n) => n.ticket)).toEqual(
      tickets.slice(2, 2 + NEXT_SIZE).map((t) => t.label),
    );
    expect(view.waitingCount).toBe(10);
  });

  it('gives each next ticket the estimated wait reception shows for it, in whole minutes', () => {
    const doc = clinic();
    const tickets = Array.from({ length: 6 }, (_, i) => add(doc, i));
    call(doc, tickets[0]!, R1, 10);
    call(doc, tickets[1]!, R2, 10);
    // 1 min 35 s after the calls, both rooms busy for 10 min each (8 min 25 s left).
    const now = T0 + 11 * MIN + 35_000;
    const view = deriveDisplayView(doc, now);
    const snapshot = queueSnapshot(doc, now);
    expect(view.next).toEqual(
      snapshot.waiting.map((w) => ({
        entryId: w.entry.id,
        ticket: w.entry.label,
        waitMinutes: waitMinutes(w.wait),
      })),
    );
    // Two rooms, 10 min each: 8 min 25 s, then 18 min 25 s for the second pair.
    expect(view.next.map((n) => n.waitMinutes)).toEqual([8, 8, 18, 18]);
  });

  it('derives a new view when a wait crosses a minute and an equal one when nothing visible moved', () => {
    const doc = clinic();
    const [a, b] = [add(doc, 1), add(doc, 2)];
    add(doc, 3);
    call(doc, a, R1, 10);
    call(doc, b, R2, 10);
    // The third ticket is called when a room is free, at 20 min: in 8 min 36 s, 31 s, 24 s.
    const at11m = deriveDisplayView(doc, T0 + 11 * MIN + 24_000);
    const at11m5 = deriveDisplayView(doc, T0 + 11 * MIN + 29_000);
    const at11m6 = deriveDisplayView(doc, T0 + 11 * MIN + 36_000);
    expect(at11m.next[0]?.waitMinutes).toBe(9);
    expect(sameDisplayView(at11m, at11m5)).toBe(true);
    expect(at11m6.next[0]?.waitMinutes).toBe(8);
    expect(sameDisplayView(at11m, at11m6)).toBe(false);
  });

  it('gives a recall a new key and moves the ticket back to the top', () => {
    const doc = clinic();
    const [a, b] = [add(doc, 1), add(doc, 2)];
    call(doc, a, R1, 10);
    call(doc, b, R2, 11);
    const before = deriveDisplayView(doc, T0 + 12 * MIN);
    must(recall(doc, { entryId: a.id }, at(12)));
    const after = deriveDisplayView(doc, T0 + 12 * MIN);
    expect(after.current?.ticket).toBe(a.label);
    expect(after.current?.key).not.toBe(before.called.find((c) => c.entryId === a.id)?.key);
  });

  it('keeps served tickets in the history and drops sent-back ones from the calls', () => {
    const doc = clinic();
    const [a, b, c] = [add(doc, 1), add(doc, 2), add(doc, 3)];
    call(doc, a, R1, 10);
    must(startService(doc, { entryId: a.id }, at(11)));
    must(finishService(doc, { entryId: a.id }, at(15)));
    call(doc, b, R1, 16);
    must(sendBack(doc, { entryId: b.id }, at(17)));
    call(doc, c, R2, 18);
    const view = deriveDisplayView(doc, T0 + 19 * MIN);
    expect(view.current?.ticket).toBe(c.label);
    expect(view.called.map((x) => x.ticket)).toEqual([c.label]);
    expect(view.history.map((x) => [x.ticket, x.status])).toEqual([[a.label, 'done']]);
    expect(view.next.map((n) => n.ticket)).toEqual([b.label]);
  });

  it('shows two calls made 0.7 s apart big together, latest first, and keeps both out of the history', () => {
    const doc = clinic();
    const [a, b, c] = [add(doc, 1), add(doc, 2), add(doc, 3)];
    call(doc, a, R1, 10);
    call(doc, b, R1, 20);
    call(doc, c, R2, 20 + 0.7 / 60);
    const view = deriveDisplayView(doc, T0 + 20 * MIN + 2_000);
    expect(view.current?.ticket).toBe(c.label);
    expect(view.featured.map((x) => x.ticket)).toEqual([c.label, b.label]);
    expect(view.history.map((x) => x.ticket)).toEqual([a.label]);
    expect(view.featuredUntil).toBe(T0 + 20 * MIN + FEATURE_MS);
  });

  it('moves the older of two close calls to the history once FEATURE_MS have passed', () => {
    const doc = clinic();
    const [b, c] = [add(doc, 1), add(doc, 2)];
    call(doc, b, R1, 20);
    call(doc, c, R2, 20 + 0.7 / 60);
    const view = deriveDisplayView(doc, T0 + 20 * MIN + FEATURE_MS);
    expect(view.featured.map((x) => x.ticket)).toEqual([c.label]);
    expect(view.history.map((x) => x.ticket)).toEqual([b.label]);
    expect(view.featuredUntil).toBeNull();
  });

  it('keeps the latest call big however old it is, and shows at most FEATURED_MAX calls big', () => {
    const doc = clinic();
    const tickets = Array.from({ length: FEATURED_MAX + 2 }, (_, i) => add(doc, i));
    tickets.forEach((e, i) => call(doc, e, i % 2 ? R1 : R2, 30 + i / 600));
    const burst = deriveDisplayView(doc, T0 + 30 * MIN + 5_000);
    expect(burst.featured.map((x) => x.ticket)).toEqual(
      tickets
        .slice(-FEATURED_MAX)
        .reverse()
        .map((e) => e.label),
    );
    expect(burst.history).toHaveLength(2);
    const later = deriveDisplayView(doc, T0 + 120 * MIN);
    expect(later.featured.map((x) => x.ticket)).toEqual([tickets.at(-1)!.label]);
  });

  it('bounds the history over a day of calls', () => {
    const doc = clinic();
    for (let i = 0; i < 40; i++) {
      const e = add(doc, i * 5);
      call(doc, e, i % 2 ? R1 : R2, i * 5 + 1);
      must(finishService(doc, { entryId: e.id }, at(i * 5 + 3)));
    }
    const view = deriveDisplayView(doc, T0 + 300 * MIN);
    expect(view.current).toBeNull();
    expect(view.history).toHaveLength(HISTORY_SIZE);
  });
});
