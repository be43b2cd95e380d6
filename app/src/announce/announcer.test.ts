import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnnouncer, type AnnouncerOptions } from './announcer.js';
import { fakeOutput, type FakeOutput } from './fake-output.js';
import { announcementText, roomLabel, spokenLabel } from './phrase.js';
import type { CallAnnouncement } from './types.js';

const T0 = Date.UTC(2025, 2, 10, 8, 0);

const call = (ticket: string, room: string, extra: Partial<CallAnnouncement> = {}) =>
  ({
    key: `${ticket}:0:0`,
    entryId: ticket,
    ticket,
    room,
    calledAt: Date.now(),
    locale: 'fr',
    ...extra,
  }) satisfies CallAnnouncement;

let out: FakeOutput;
let current: Set<string>;

function make(options: Partial<AnnouncerOptions> = {}) {
  return createAnnouncer({
    output: out,
    now: () => Date.now(),
    isCurrent: (key) => current.has(key),
    ...options,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  out = fakeOutput(() => Date.now(), 1_000);
  current = new Set();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Offer a call that the display currently shows. */
const show = (a: ReturnType<typeof make>, c: CallAnnouncement) => {
  current.add(c.key);
  a.offer(c);
};

describe('announcer', () => {
  it('chimes then speaks the ticket and room in the clinic language', async () => {
    const a = make();
    show(a, call('A-012', '3'));
    await vi.runAllTimersAsync();
    expect(out.events.map((e) => [e.kind, e.text ?? ''])).toEqual([
      ['chime', ''],
      ['speak', 'Ticket A 12, salle 3.'],
    ]);
    expect(a.log().map((l) => l.outcome)).toEqual(['spoken']);
    a.destroy();
  });

  it('never overlaps two announcements: each starts after the previous one ended', async () => {
    const a = make({ gapMs: 500 });
    show(a, call('A-001', '1'));
    show(a, call('A-002', '2'));
    show(a, call('A-003', '3'));
    expect(a.pending()).toBe(2);
    await vi.runAllTimersAsync();
    expect(out.events).toHaveLength(6);
    for (let i = 1; i < out.events.length; i++) {
      expect(out.events[i]!.start).toBeGreaterThanOrEqual(out.events[i - 1]!.end!);
    }
    expect(a.log().map((l) => l.ticket)).toEqual(['A-001', 'A-002', 'A-003']);
    a.destroy();
  });

  it('gives up on a voice that never finishes after the timeout and goes on', async () => {
    out.mode = 'hang';
    const a = make({ chimeTimeoutMs: 2_000, speechTimeoutMs: 5_000 });
    show(a, call('A-001', '1'));
    show(a, call('A-002', '2'));
    await vi.advanceTimersByTimeAsync(7_000);
    expect(a.log().map((l) => l.outcome)).toEqual(['timeout']);
    expect(out.cancelled).toBeGreaterThanOrEqual(2);
    await vi.runAllTimersAsync();
    expect(a.log().map((l) => [l.ticket, l.outcome])).toEqual([
      ['A-001', 'timeout'],
      ['A-002', 'timeout'],
    ]);
    a.destroy();
  });

  it('records a failed synthesis as an error and keeps going', async () => {
    out.mode = 'fail';
    const a = make();
    show(a, call('A-001', '1'));
    show(a, call('A-002', '2'));
    await vi.runAllTimersAsync();
    expect(a.log().map((l) => l.outcome)).toEqual(['error', 'error']);
    a.destroy();
  });

  it('announces each call once, however often the display offers it', async () => {
    const a = make();
    const c = call('A-001', '1');
    show(a, c);
    show(a, c);
    await vi.runAllTimersAsync();
    show(a, { ...c });
    await vi.runAllTimersAsync();
    expect(out.events.filter((e) => e.kind === 'speak')).toHaveLength(1);
    a.destroy();
  });

  it('does not repeat after a reload what it announced before it', async () => {
    const kept: string[] = [];
    const before = make({ onSeen: (k) => kept.push(k) });
    show(before, call('A-001', '1'));
    await vi.runAllTimersAsync();
    before.destroy();
    const after = make({ seen: kept });
    show(after, call('A-001', '1'));
    show(after, call('A-002', '2'));
    await vi.runAllTimersAsync();
    expect(after.log().map((l) => l.ticket)).toEqual(['A-002']);
    after.destroy();
  });

  it('announces a recall again (a new key for the same entry)', async () => {
    const a = make();
    show(a, call('A-001', '1', { key: 'A-001:0:0' }));
    await vi.runAllTimersAsync();
    current.delete('A-001:0:0');
    show(a, call('A-001', '1', { key: 'A-001:0:1' }));
    await vi.runAllTimersAsync();
    expect(out.events.filter((e) => e.kind === 'speak')).toHaveLength(2);
    expect(a.log().map((l) => l.outcome)).toEqual(['spoken', 'spoken']);
    a.destroy();
  });

  it('skips a queued call that the display state superseded before its turn', async () => {
    const a = make();
    show(a, call('A-001', '1'));
    show(a, call('A-002', '2', { key: 'A-002:0:0' }));
    // A-002 is recalled while A-001 is being announced: only the recall is said.
    current.delete('A-002:0:0');
    show(a, call('A-002', '2', { key: 'A-002:0:1' }));
    await vi.runAllTimersAsync();
    expect(a.log().map((l) => [l.key, l.outcome])).toEqual([
      ['A-001:0:0', 'spoken'],
      ['A-002:0:0', 'superseded'],
      ['A-002:0:1', 'spoken'],
    ]);
    a.destroy();
  });

  it('shows but does not announce a call that arrives minutes late', async () => {
    const a = make({ maxAgeMs: 60_000 });
    show(a, call('A-001', '1', { calledAt: Date.now() - 5 * 60_000 }));
    await vi.runAllTimersAsync();
    expect(out.events).toHaveLength(0);
    expect(a.log().map((l) => l.outcome)).toEqual(['late']);
    a.destroy();
  });

  it('drops a call that became late while waiting behind slow announcements', async () => {
    out.mode = 'hang';
    const a = make({ maxAgeMs: 10_000, chimeTimeoutMs: 4_000, speechTimeoutMs: 8_000 });
    show(a, call('A-001', '1'));
    show(a, call('A-002', '2'));
    await vi.runAllTimersAsync();
    expect(a.log().map((l) => [l.ticket, l.outcome])).toEqual([
      ['A-001', 'timeout'],
      ['A-002', 'late'],
    ]);
    a.destroy();
  });

  it('stays silent while muted and while the browser blocks audio', async () => {
    const a = make({ muted: true });
    show(a, call('A-001', '1'));
    await vi.runAllTimersAsync();
    a.setMuted(false);
    out.state = 'blocked';
    show(a, call('A-002', '2'));
    await vi.runAllTimersAsync();
    expect(out.events).toHaveLength(0);
    expect(a.log().map((l) => l.outcome)).toEqual(['muted', 'blocked']);
    a.destroy();
  });

  it('keeps memory bounded over a day of calls and clears its timers on destroy', async () => {
    const a = make({ logSize: 10, rememberKeys: 50, gapMs: 100 });
    for (let i = 0; i < 300; i++) {
      const c = call(`A-${i}`, '1', { key: `k${i}` });
      show(a, c);
      current.delete(c.key);
      await vi.advanceTimersByTimeAsync(3_000);
    }
    expect(a.log()).toHaveLength(10);
    show(a, call('A-999', '1', { key: 'last' }));
    a.destroy();
    expect(vi.getTimerCount()).toBe(1); // only the fake output's own pending step
    a.offer(call('A-1000', '1', { key: 'after' }));
    expect(a.pending()).toBe(0);
  });

  it('caps the queue after a long outage, keeping the newest calls', async () => {
    out.mode = 'hang';
    const a = make({ maxQueue: 3 });
    for (let i = 1; i <= 6; i++) show(a, call(`A-00${i}`, '1', { key: `k${i}` }));
    expect(a.pending()).toBe(3);
    expect(a.log().map((l) => l.ticket)).toEqual(['A-002', 'A-003']);
    a.destroy();
  });
});

describe('phrases', () => {
  it('speaks labels part by part and names bare room numbers', () => {
    expect(spokenLabel('A-012')).toBe('A 12');
    expect(spokenLabel('B-100')).toBe('B 100');
    expect(spokenLabel('A-K3F-2')).toBe('A K 3 F 2');
    expect(announcementText('A-012', '3', 'fr')).toBe('Ticket A 12, salle 3.');
    expect(announcementText('A-012', '3', 'en')).toBe('Ticket A 12, room 3.');
    expect(announcementText('C-004', 'Radiologie', 'fr')).toBe('Ticket C 4, Radiologie.');
    expect(roomLabel('3', 'fr')).toBe('Salle 3');
    expect(roomLabel('Box B', 'en')).toBe('Box B');
  });
});
