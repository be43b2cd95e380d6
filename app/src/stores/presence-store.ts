/**
 * Who is online on a clinic's staff doc, as plain data: the relay stamps
 * each state's `user` from the authenticated identity; the client only sets
 * its own `activity` (screen, entry being edited, room served).
 */
import type { Awareness } from 'y-protocols/awareness';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PresenceActivity, PresenceUser } from '../../../shared/presence.js';

export interface PeerPresence {
  readonly clientId: number;
  readonly user: PresenceUser;
  readonly activity: PresenceActivity | null;
  readonly self: boolean;
}

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

export function readPeers(awareness: Awareness, self: PresenceUser): PeerPresence[] {
  const out: PeerPresence[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const mine = clientId === awareness.clientID;
    const user = mine ? self : (state as { user?: unknown }).user;
    if (!isUser(user)) return;
    const activity = (state as { activity?: PresenceActivity }).activity ?? null;
    out.push({ clientId, user, activity, self: mine });
  });
  return out;
}

export function createPresenceStore(
  awareness: Awareness,
  self: PresenceUser,
): StoreApi<PresenceState> {
  const derive = () => {
    const peers = readPeers(awareness, self);
    const byUser = new Map<string, PeerPresence>();
    for (const p of peers) if (!byUser.has(p.user.id) || p.self) byUser.set(p.user.id, p);
    const people = [...byUser.values()].sort(
      (a, b) => Number(b.self) - Number(a.self) || a.user.name.localeCompare(b.user.name),
    );
    return { peers, people };
  };
  const onChange = () => store.setState(derive());
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
    },
  }));
  awareness.on('change', onChange);
  return store;
}
