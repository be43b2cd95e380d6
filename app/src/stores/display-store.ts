/**
 * One store per open display: the DisplayView derived from the public queue
 * doc through `createDocStore`, on the next animation frame after doc
 * changes (a burst of updates costs one derivation, and a call is on screen
 * within a frame), when a featured call expires (`featuredUntil`), when the
 * display's clock moves, and every 15 s, as reception's queue store does
 * (the next tickets' estimated waits move with time, and the clinic day
 * turns over without any change to the doc). A derivation showing the same
 * thing as the current view is dropped: no render, no offer to the announcer.
 */
import type * as Y from 'yjs';
import {
  createDocStore,
  nextFrame,
  type DocStore,
  type Scheduler,
  type ViewClock,
} from './doc-store.js';
import { deriveDisplayView, sameDisplayView, type DisplayView } from './display-view.js';

const TICK_MS = 15_000;

export type DisplayStore = DocStore<DisplayView>;

export function createDisplayStore(
  doc: Y.Doc,
  clock: ViewClock,
  opts: { coalesce?: Scheduler } = {},
): DisplayStore {
  return createDocStore<DisplayView>({
    docs: [doc],
    derive: (now) => deriveDisplayView(doc, now),
    clock,
    equal: sameDisplayView,
    coalesce: opts.coalesce ?? nextFrame,
    tickMs: TICK_MS,
    nextChangeAt: (view) => view.featuredUntil,
  });
}
