/**
 * One connection light for a screen bound to several docs: the worst light,
 * and the unsynced changes of all of them (a ticket's public entry and its
 * staff record share a key, so they count once).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectionState } from './synced-doc.js';

const RANK: Record<ConnectionState['status'], number> = {
  synced: 0,
  connecting: 1,
  reconnecting: 2,
  offline: 3,
  closed: 4,
};

export function combineConnections(
  stores: readonly StoreApi<ConnectionState>[],
): StoreApi<ConnectionState> & { destroy(): void } {
  const derive = (): ConnectionState => {
    const states = stores.map((s) => s.getState());
    const worst = states.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
    const synced = states.map((s) => s.lastSyncedAt);
    const keys = [...new Set(states.flatMap((s) => s.unsyncedKeys))].sort();
    return {
      light: worst.light,
      status: worst.status,
      unsynced: keys.length,
      unsyncedKeys: keys,
      closedCode: worst.closedCode,
      closedReason: worst.closedReason,
      lastSyncedAt: synced.includes(null) ? null : Math.min(...(synced as number[])),
    };
  };
  const store = createStore<ConnectionState>(derive);
  const offs = stores.map((s) => s.subscribe(() => store.setState(derive())));
  return Object.assign(store, { destroy: () => offs.forEach((off) => off()) });
}
