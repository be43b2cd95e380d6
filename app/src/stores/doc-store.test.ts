import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createServerClock } from '../sync/clock.js';
import { createDocStore, microtask, nextFrame } from './doc-store.js';
import { manualScheduler } from './test-support.js';

const flush = () => new Promise<void>((r) => queueMicrotask(r));

interface Counted {
  readonly count: number;
  readonly at: number;
}

/** A doc with one counter, and a view of it that counts its derivations. */
function counter() {
  const doc = new Y.Doc();
  const map = doc.getMap<number>('m');
  const bump = () => map.set('n', (map.get('n') ?? 0) + 1);
  let derivations = 0;
  const derive = (now: number): Counted => {
    derivations++;
    return { count: map.get('n') ?? 0, at: now };
  };
  return { doc, map, bump, derive, derivations: () => derivations };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('doc store', () => {
  it('derives a burst of doc updates once, at the end of the task', async () => {
    const c = counter();
    const ds = createDocStore({ docs: [c.doc], derive: c.derive, clock: { now: () => 1 } });
    const published = vi.fn();
    ds.store.subscribe(published);
    const before = c.derivations();
    for (let i = 0; i < 5; i++) c.bump();
    expect(ds.store.getState().count).toBe(0);
    await flush();
    expect(c.derivations() - before).toBe(1);
    expect(published).toHaveBeenCalledTimes(1);
    expect(ds.store.getState().count).toBe(5);
    ds.destroy();
  });

  it('derives on the scheduler it is given, once however many updates came before it ran', () => {
    const c = counter();
    const frames = manualScheduler();
    const ds = createDocStore({
      docs: [c.doc],
      derive: c.derive,
      clock: { now: () => 1 },
      coalesce: frames.schedule,
    });
    c.bump();
    c.bump();
    expect(frames.pending()).toBe(1);
    frames.run();
    expect(ds.store.getState().count).toBe(2);
    ds.destroy();
  });

  it('listens to every doc it is given', async () => {
    const a = counter();
    const b = new Y.Doc();
    const ds = createDocStore({
      docs: [a.doc, b],
      derive: (now) => ({ count: (a.map.get('n') ?? 0) + b.getMap<number>('m').size, at: now }),
      clock: { now: () => 1 },
    });
    b.getMap<number>('m').set('x', 1);
    await flush();
    expect(ds.store.getState().count).toBe(1);
    ds.destroy();
  });

  it('publishes nothing when the new view equals the current one', async () => {
    const c = counter();
    const ds = createDocStore({
      docs: [c.doc],
      derive: c.derive,
      clock: { now: () => 1 },
      equal: (x, y) => x.count === y.count,
    });
    const published = vi.fn();
    ds.store.subscribe(published);
    const first = ds.store.getState();
    c.doc.getMap('other').set('k', 1); // an update that changes nothing the view shows
    await flush();
    expect(c.derivations()).toBe(2);
    expect(published).not.toHaveBeenCalled();
    expect(ds.store.getState()).toBe(first);
    ds.destroy();
  });

  it('hands the current view to the derivation so unchanged parts keep their identity', async () => {
    const doc = new Y.Doc();
    const seen: (object | undefined)[] = [];
    const ds = createDocStore({
      docs: [doc],
      derive: (_now, previous: { n: number } | undefined) => {
        seen.push(previous);
        return { n: (previous?.n ?? 0) + 1 };
      },
      clock: { now: () => 1 },
    });
    doc.getMap('m').set('k', 1);
    await flush();
    expect(seen[0]).toBeUndefined();
    expect(seen[1]).toEqual({ n: 1 });
    expect(ds.store.getState().n).toBe(2);
    ds.destroy();
  });

  it('derives again every tick for values that move with time, on multiples of tickMs of the clock', async () => {
    vi.useFakeTimers();
    const c = counter();
    let now = 1_000;
    const ds = createDocStore({
      docs: [c.doc],
      derive: c.derive,
      clock: { now: () => now },
      tickMs: 15_000,
    });
    now = 15_020;
    await vi.advanceTimersByTimeAsync(14_019);
    expect(ds.store.getState().at).toBe(1_000);
    await vi.advanceTimersByTimeAsync(1);
    expect(ds.store.getState().at).toBe(15_020);
    now = 30_020;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(ds.store.getState().at).toBe(30_020);
    ds.destroy();
  });

  it('ticks two screens opened at different moments, on clocks that agree, at the same instants', async () => {
    vi.useFakeTimers();
    let local = 0;
    // The display's machine runs 3 min fast, the phone's 4 min slow: both corrected.
    const display = createServerClock({ local: () => local + 180_000 });
    const phone = createServerClock({ local: () => local - 240_000 });
    display.sample({ sentAt: 180_000, serverTime: 0, receivedAt: 180_000 });
    phone.sample({ sentAt: -240_000, serverTime: 0, receivedAt: -240_000 });
    const derive = (now: number) => ({ at: now });
    const a = createDocStore({ docs: [new Y.Doc()], derive, clock: display, tickMs: 15_000 });
    local = 6_000;
    await vi.advanceTimersByTimeAsync(6_000);
    const b = createDocStore({ docs: [new Y.Doc()], derive, clock: phone, tickMs: 15_000 });
    local = 15_020;
    await vi.advanceTimersByTimeAsync(9_020);
    expect([a.store.getState().at, b.store.getState().at]).toEqual([15_020, 15_020]);
    a.destroy();
    b.destroy();
  });

  it('derives again just after the instant the view says it changes, with no doc update', () => {
    vi.useFakeTimers();
    let now = 0;
    const ds = createDocStore({
      docs: [new Y.Doc()],
      derive: (t) => ({ expired: t >= 5_000 }),
      clock: { now: () => now },
      nextChangeAt: (v) => (v.expired ? null : 5_000),
    });
    now = 4_999;
    vi.advanceTimersByTime(4_999);
    expect(ds.store.getState().expired).toBe(false);
    now = 5_030;
    vi.advanceTimersByTime(31);
    expect(ds.store.getState().expired).toBe(true);
    expect(vi.getTimerCount()).toBe(0); // nothing further announced: no timer left
    ds.destroy();
  });

  it('derives again at once when the server clock moves', () => {
    let local = 10_000;
    const clock = createServerClock({ local: () => local });
    const ds = createDocStore({
      docs: [new Y.Doc()],
      derive: (now) => ({ now }),
      clock,
    });
    expect(ds.store.getState().now).toBe(10_000);
    clock.sample({ sentAt: local, serverTime: 70_050, receivedAt: local + 100 });
    expect(ds.store.getState().now).toBe(70_000);
    local = 11_000;
    ds.refresh();
    expect(ds.store.getState().now).toBe(71_000);
    ds.destroy();
  });

  it('stops listening to the docs, the ticks, the change timer and the clock when destroyed', async () => {
    vi.useFakeTimers();
    const c = counter();
    const clock = createServerClock({ local: () => 0 });
    const ds = createDocStore({
      docs: [c.doc],
      derive: c.derive,
      clock,
      tickMs: 1_000,
      nextChangeAt: () => 500,
    });
    c.bump(); // scheduled, not yet derived
    ds.destroy();
    ds.destroy(); // idempotent
    expect(vi.getTimerCount()).toBe(0);
    const count = c.derivations();
    c.bump();
    await flush();
    vi.advanceTimersByTime(5_000);
    clock.sample({ sentAt: 0, serverTime: 60_000, receivedAt: 0 });
    ds.refresh();
    expect(c.derivations()).toBe(count);
    expect(ds.store.getState().count).toBe(0);
  });

  it('gives actions the current state, view and actions together', async () => {
    const c = counter();
    interface Actions {
      increment(): void;
      double(): number;
      callsAnother(): number;
    }
    const ds = createDocStore<Counted, Actions>({
      docs: [c.doc],
      derive: c.derive,
      clock: { now: () => 1 },
      actions: (get) => ({
        increment: () => c.bump(),
        double: () => get().count * 2,
        callsAnother: () => get().double() + 1,
      }),
    });
    ds.store.getState().increment();
    ds.store.getState().increment();
    await flush();
    expect(ds.store.getState().double()).toBe(4);
    expect(ds.store.getState().callsAnother()).toBe(5);
    ds.destroy();
  });

  it('microtask: a cancelled run never happens', async () => {
    const run = vi.fn();
    microtask(run)();
    await flush();
    expect(run).not.toHaveBeenCalled();
  });
});

describe('nextFrame', () => {
  it('falls back to a short timer when the page gets no animation frames (hidden)', () => {
    vi.useFakeTimers();
    // A hidden page: the browser takes the frame request and never runs it.
    vi.stubGlobal('requestAnimationFrame', () => 1);
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    const run = vi.fn();
    nextFrame(run);
    vi.advanceTimersByTime(1_000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
