/**
 * One zustand vanilla store per open display: the DisplayView derived from
 * the public queue doc, recomputed on the next animation frame after doc
 * changes (a burst of updates costs one derivation, and a call is on screen
 * within a frame), when a featured call expires, and once a minute (the
 * clinic day turns over without any change to the doc).
 */
import type * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  deriveDisplayView,
  EMPTY_DISPLAY_VIEW,
  sameDisplayView,
  type DisplayView,
} from './display-view.js';

const TICK_MS = 60_000;
/** Hidden pages get no animation frames; the announcer still needs the change. */
const HIDDEN_FALLBACK_MS = 250;

export interface DisplayStore {
  readonly store: StoreApi<DisplayView>;
  destroy(): void;
}

/** Runs a callback once on the next frame; returns a cancel function. */
export type FrameScheduler = (run: () => void) => () => void;

/** The browser's next animation frame, or a short timer when the page is hidden (no frames). */
export const nextFrame: FrameScheduler = (run) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancel();
    run();
  };
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(once) : null;
  const timer = setTimeout(once, frame === null ? 0 : HIDDEN_FALLBACK_MS);
  const cancel = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
  return () => {
    done = true;
    cancel();
  };
};

export function createDisplayStore(
  doc: Y.Doc,
  now: () => number,
  opts: { frame?: FrameScheduler } = {},
): DisplayStore {
  const frame = opts.frame ?? nextFrame;
  const store = createStore<DisplayView>(() => EMPTY_DISPLAY_VIEW);
  let cancelFrame: (() => void) | null = null;
  let expiry: ReturnType<typeof setTimeout> | null = null;
  const refresh = () => {
    cancelFrame?.();
    cancelFrame = null;
    const next = deriveDisplayView(doc, now());
    if (!sameDisplayView(store.getState(), next)) store.setState(next, true);
    if (expiry !== null) clearTimeout(expiry);
    const until = store.getState().featuredUntil;
    expiry =
      until === null
        ? null
        : setTimeout(refresh, Math.min(Math.max(until - now(), 0) + 20, TICK_MS));
  };
  const onUpdate = () => {
    cancelFrame ??= frame(refresh);
  };
  doc.on('update', onUpdate);
  const tick = setInterval(refresh, TICK_MS);
  refresh();
  return {
    store,
    destroy() {
      doc.off('update', onUpdate);
      clearInterval(tick);
      cancelFrame?.();
      if (expiry !== null) clearTimeout(expiry);
    },
  };
}
