import { afterEach, describe, expect, it, vi } from 'vitest';
import { add, call, clinic, manualScheduler, MIN, R1, R2, T0 } from './test-support.js';
import { createDisplayStore } from './display-store.js';
import { FEATURE_MS } from './display-view.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('display store', () => {
  it('shows a call on the next animation frame, with no timer to wait for', () => {
    vi.useFakeTimers();
    const doc = clinic();
    const f = manualScheduler();
    const now = T0 + 10 * MIN;
    const display = createDisplayStore(doc, { now: () => now }, { coalesce: f.schedule });
    const e = add(doc, 1);
    call(doc, e, R1, 10);
    f.run();
    expect(display.store.getState().current?.ticket).toBe(e.label);
    display.destroy();
  });

  it('derives the view once per frame however many updates arrive in it', () => {
    const doc = clinic();
    const f = manualScheduler();
    const display = createDisplayStore(doc, { now: () => T0 + 10 * MIN }, { coalesce: f.schedule });
    const changes = vi.fn();
    display.store.subscribe(changes);
    for (let i = 0; i < 5; i++) add(doc, 1 + i);
    expect(f.pending()).toBe(1);
    f.run();
    expect(changes).toHaveBeenCalledTimes(1);
    expect(display.store.getState().waitingCount).toBe(5);
    display.destroy();
  });

  it('moves the older of two close calls to the history when its featured time runs out', () => {
    vi.useFakeTimers();
    let now = T0 + 20 * MIN + 1_000;
    vi.setSystemTime(now);
    const doc = clinic();
    const f = manualScheduler();
    const display = createDisplayStore(doc, { now: () => now }, { coalesce: f.schedule });
    const [a, b] = [add(doc, 1), add(doc, 2)];
    call(doc, a, R1, 20);
    call(doc, b, R2, 20 + 0.7 / 60);
    f.run();
    expect(display.store.getState().featured.map((c) => c.ticket)).toEqual([b.label, a.label]);
    now = T0 + 20 * MIN + FEATURE_MS + 100;
    vi.advanceTimersByTime(FEATURE_MS);
    expect(display.store.getState().featured.map((c) => c.ticket)).toEqual([b.label]);
    expect(display.store.getState().history.map((c) => c.ticket)).toEqual([a.label]);
    display.destroy();
  });

  it('moves the next tickets’ estimated waits with time, with no doc update, within 15 s', () => {
    vi.useFakeTimers();
    const doc = clinic();
    const f = manualScheduler();
    const [a, b] = [add(doc, 1), add(doc, 2)];
    add(doc, 3);
    call(doc, a, R1, 10);
    call(doc, b, R2, 10);
    // The third ticket is called at 20 min, when a room is free.
    let now = T0 + 11 * MIN + 29_000;
    const display = createDisplayStore(doc, { now: () => now }, { coalesce: f.schedule });
    expect(display.store.getState().next.map((n) => n.waitMinutes)).toEqual([9]);
    now += 15_000;
    vi.advanceTimersByTime(15_000);
    f.run();
    expect(display.store.getState().next.map((n) => n.waitMinutes)).toEqual([8]);
    display.destroy();
  });
});
