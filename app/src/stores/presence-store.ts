/**
 * Who is online on a clinic's staff doc, as plain data: the relay stamps
 * each state's `user` from the authenticated identity; the client only sets
 * its own `activity` (screen, entry being edited, room served).
 *
 * A colleague whose state was not renewed recently is `stale`: every client
 * renews its state every 15 s (y-protocols), so one not heard from for
 * longer has probably lost the network. Screens dim them and stop showing
 * them as editing until the relay drops them or they come back.
 */
import type { Awareness } from 'y-protocols/awareness';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PresenceActivity, PresenceUser } from '../../../shared/presence.js';

export interface PeerPresence {
  readonly clientId: number;
  readonly user: PresenceUser;
  readonly activity: PresenceActivity | null;
  readonly self: boolean;
  /** Not renewed for `staleAfterMs`: probably gone (never true for self). */
  readonly stale: boolean;
}

/** Renewal is every 15 s; allow a few seconds of network and timer slack. */
export const STALE_AFTER_MS = 20_000;

export interface PresenceState {
  /** Everyone online, one row per person (their most recent tab), self first. */
  readonly people: readonly PeerPresence[];
  /** Every tab, for "who edits this entry". */
  readonly peers: readonly PeerPresence[];
  setActivity(activity: PresenceActivity): void;
  destroy(): void;
}

function isUser(v: unknown): v is PresenceUser {
  const u = v as Partial<PresenceUser> | null;
  return (
    typeof u === 'object' &&
    u !== null &&
    typeof u.id === 'string' &&
    typeof u.name === 'string' &&
    typeof u.color === 'string'
  );
}

export function readPeers(
  awareness: Awareness,
  self: PresenceUser,
  now: number = Date.now(),
  staleAfterMs: number = STALE_AFTER_MS,
): PeerPresence[] {
  const out: PeerPresence[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const mine = clientId === awareness.clientID;
    const user = mine ? self : (state as { user?: unknown }).user;
    if (!isUser(user)) return;
    const activity = (state as { activity?: PresenceActivity }).activity ?? null;
    const renewed = awareness.meta.get(clientId)?.lastUpdated ?? now;
    const stale = !mine && now - renewed > staleAfterMs;
    out.push({ clientId, user, activity, self: mine, stale });
  });
  return out;
}

export interface PresenceOptions {
  /** Clock of the awareness timestamps (tests). */
  readonly now?: () => number;
  readonly staleAfterMs?: number;
  /** How often staleness is re-checked without awareness changes (0: never). */
  readonly checkEveryMs?: number;
}

export function createPresenceStore(
  awareness: Awareness,
  self: PresenceUser,
  opts: PresenceOptions = {},
): StoreApi<PresenceState> {
  const now = opts.now ?? Date.now;
  const staleAfter = opts.staleAfterMs ?? STALE_AFTER_MS;
  const derive = () => {
    const peers = readPeers(awareness, self, now(), staleAfter);
    const byUser = new Map<string, PeerPresence>();
    // One row per person: their live tab rather than a stale one.
    for (const p of peers) {
      const seen = byUser.get(p.user.id);
      if (!seen || p.self || (seen.stale && !p.stale && !seen.self)) byUser.set(p.user.id, p);
    }
    const people = [...byUser.values()].sort(
      (a, b) => Number(b.self) - Number(a.self) || a.user.name.localeCompare(b.user.name),
    );
    return { peers, people };
  };
  const onChange = () => store.setState(derive());
  const staleKey = (peers: readonly PeerPresence[]) =>
    peers.map((p) => `${p.clientId}:${p.stale}`).join(',');
  const recheck = () => {
    const next = derive();
    if (staleKey(next.peers) !== staleKey(store.getState().peers)) store.setState(next);
  };
  const every = opts.checkEveryMs ?? 5_000;
  const timer = every > 0 ? setInterval(recheck, every) : null;
  const store: StoreApi<PresenceState> = createStore<PresenceState>()(() => ({
    ...derive(),
    setActivity(activity) {
      const current = awareness.getLocalState() as { activity?: PresenceActivity } | null;
      const a = current?.activity;
      if (
        a &&
        a.screen === activity.screen &&
        a.entryId === activity.entryId &&
        a.room === activity.room
      )
        return;
      awareness.setLocalStateField('activity', activity);
    },
    destroy() {
      awareness.off('change', onChange);
      awareness.off('update', recheck);
      if (timer !== null) clearInterval(timer);
    },
  }));
  awareness.on('change', onChange);
  // A renewal with an unchanged state emits 'update' only: a stale peer coming back.
  awareness.on('update', recheck);
  return store;
}
