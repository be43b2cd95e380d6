/**
 * The one way from Yjs documents to what a screen shows: a zustand vanilla
 * store (one per open screen session) holding plain, immutable view data
 * derived from one or more docs, plus the actions next to it.
 *
 * - derive: a pure function of the docs and the (server-corrected) time;
 *   it gets the previous view so unchanged parts keep their identity.
 * - equality: a derivation equal to the current view is dropped (no render).
 * - coalescing: a burst of doc updates costs one derivation, run by the
 *   chosen scheduler (a microtask by default; the display uses the next frame).
 * - time: derived again every `tickMs`, at the instant `nextChangeAt` names
 *   (a featured call expiring), and when the clock's offset moves. Ticks fall
 *   on multiples of `tickMs` of the session's server-corrected clock, so
 *   reception, the display and a phone with the same `tickMs` derive at the
 *   same instants and show the same estimated wait (invariant 5).
 *
 * React reads the store through selectors (`useStore(store, selector)`); it
 * never sees a Y type.
 */
import type * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServerClock } from '../sync/clock.js';

/** Runs `run` once, later; returns a cancel function. */
export type Scheduler = (run: () => void) => () => void;

/** The end of the current task: every update of one transaction burst is in. */
export const microtask: Scheduler = (run) => {
  let live = true;
  queueMicrotask(() => {
    if (live) run();
  });
  return () => {
    live = false;
  };
};

/** Hidden pages get no animation frames; their stores still need the change (the announcer). */
const HIDDEN_FALLBACK_MS = 250;

/** The browser's next animation frame, or a short timer when the page gets none. */
export const nextFrame: Scheduler = (run) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancel();
    run();
  };
  // Typed here: server-side tests typecheck the stores without the DOM library.
  const frames = globalThis as {
    requestAnimationFrame?: (run: () => void) => number;
    cancelAnimationFrame?: (id: number) => void;
  };
  const frame = frames.requestAnimationFrame?.(once) ?? null;
  const timer = setTimeout(once, frame === null ? 0 : HIDDEN_FALLBACK_MS);
  const cancel = () => {
    if (frame !== null) frames.cancelAnimationFrame?.(frame);
    clearTimeout(timer);
  };
  return () => {
    done = true;
    cancel();
  };
};

/** What a doc store reads of the session's clock (`subscribe`: derive again when it moves). */
export type ViewClock = Pick<ServerClock, 'now'> & Partial<Pick<ServerClock, 'subscribe'>>;

export interface DocStoreOptions<V extends object, A extends object> {
  /** Every update of these docs schedules a derivation. */
  readonly docs: readonly Y.Doc[];
  /** The view at `now`; `previous` is the current view (undefined the first time). */
  readonly derive: (now: number, previous: V | undefined) => V;
  /** The session's server-corrected clock (`subscribe`: derive again when its offset moves). */
  readonly clock: ViewClock;
  /** Two views showing the same thing (default: never equal, every derivation is published). */
  readonly equal?: (a: V, b: V) => boolean;
  /** When a burst of updates is derived (default: `microtask`). */
  readonly coalesce?: Scheduler;
  /**
   * Derive again this often for values that move with time (0 or absent:
   * never), at the multiples of `tickMs` of the clock's time.
   */
  readonly tickMs?: number;
  /** The next instant the view changes without any doc update (null: none known). */
  readonly nextChangeAt?: (view: V) => number | null;
  /**
   * Actions kept in the same store, beside the view. Actions that read the
   * state through `get` need the type arguments spelled out
   * (`createDocStore<View, Actions>`), as zustand's `create<T>()` does.
   */
  readonly actions?: (get: () => V & A) => A;
}

export interface DocStore<S> {
  readonly store: StoreApi<S>;
  /** Derive now (cancels a scheduled derivation). */
  refresh(): void;
  /** Stops listening to the docs, timers and the clock. Idempotent. */
  destroy(): void;
}

/** Never fire a timer further away than this (setTimeout's limit is ~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Timers fire this long after the instant they aim at, so the derivation sees it passed. */
const AFTER_MS = 20;

export function createDocStore<V extends object, A extends object = Record<never, never>>(
  opts: DocStoreOptions<V, A>,
): DocStore<V & A> {
  const coalesce = opts.coalesce ?? microtask;
  let view = opts.derive(opts.clock.now(), undefined);
  let cancelScheduled: (() => void) | null = null;
  let changeTimer: ReturnType<typeof setTimeout> | null = null;
  let ticker: ReturnType<typeof setTimeout> | null = null;
  let destroyed = false;

  const store: StoreApi<V & A> = createStore<V & A>()(
    () => ({ ...view, ...(opts.actions?.(() => store.getState()) ?? ({} as A)) }) as V & A,
  );

  const armChangeTimer = () => {
    if (changeTimer !== null) clearTimeout(changeTimer);
    changeTimer = null;
    const at = opts.nextChangeAt?.(view) ?? null;
    if (at === null || destroyed) return;
    const wait = Math.max(at - opts.clock.now(), 0) + AFTER_MS;
    changeTimer = setTimeout(refresh, Math.min(wait, opts.tickMs || MAX_TIMER_MS, MAX_TIMER_MS));
  };

  function refresh(): void {
    cancelScheduled?.();
    cancelScheduled = null;
    if (destroyed) return;
    const next = opts.derive(opts.clock.now(), view);
    if (!(opts.equal?.(view, next) ?? false)) {
      view = next;
      store.setState(next as Partial<V & A>);
    }
    armChangeTimer();
  }

  const schedule = () => {
    if (destroyed) return;
    cancelScheduled ??= coalesce(refresh);
  };

  // The next multiple of tickMs on the clock (armed again when the clock's offset moves).
  const armTicker = () => {
    if (ticker !== null) clearTimeout(ticker);
    ticker = null;
    const every = opts.tickMs;
    if (!every || destroyed) return;
    const now = opts.clock.now();
    const wait = every - (((now % every) + every) % every) + AFTER_MS;
    ticker = setTimeout(() => {
      ticker = null;
      schedule();
      armTicker();
    }, wait);
  };

  for (const doc of opts.docs) doc.on('update', schedule);
  const unsubscribeClock =
    opts.clock.subscribe?.(() => {
      refresh();
      armTicker();
    }) ?? null;
  armTicker();
  armChangeTimer();

  return {
    store,
    refresh,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const doc of opts.docs) doc.off('update', schedule);
      if (ticker !== null) clearTimeout(ticker);
      if (changeTimer !== null) clearTimeout(changeTimer);
      cancelScheduled?.();
      cancelScheduled = null;
      unsubscribeClock?.();
    },
  };
}
