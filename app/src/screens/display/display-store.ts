/**
 * One zustand vanilla store per open display: the DisplayView derived from
 * the public queue doc, recomputed (coalesced) on doc changes and once a
 * minute (the clinic day turns over without any change to the doc).
 */
import type * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  deriveDisplayView,
  EMPTY_DISPLAY_VIEW,
  sameDisplayView,
  type DisplayView,
} from './display-view.js';

const COALESCE_MS = 50;
const TICK_MS = 60_000;

export interface DisplayStore {
  readonly store: StoreApi<DisplayView>;
  destroy(): void;
}

export function createDisplayStore(doc: Y.Doc, now: () => number): DisplayStore {
  const store = createStore<DisplayView>(() => EMPTY_DISPLAY_VIEW);
  let pending: ReturnType<typeof setTimeout> | null = null;
  const refresh = () => {
    pending = null;
    const next = deriveDisplayView(doc, now());
    if (!sameDisplayView(store.getState(), next)) store.setState(next, true);
  };
  const onUpdate = () => {
    if (pending === null) pending = setTimeout(refresh, COALESCE_MS);
  };
  doc.on('update', onUpdate);
  const tick = setInterval(refresh, TICK_MS);
  refresh();
  return {
    store,
    destroy() {
      doc.off('update', onUpdate);
      clearInterval(tick);
      if (pending !== null) clearTimeout(pending);
    },
  };
}
