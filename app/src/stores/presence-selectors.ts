/**
 * Who is editing what and who serves which room, selected from the presence
 * store (`useStore(clinic.presence, selector)`); memoized on the peers list,
 * so React sees the same value until someone's presence changes.
 */
import type { PeerPresence, PresenceState } from './presence-store.js';
import { createSelector } from './selectors.js';

type Peers = Pick<PresenceState, 'peers'>;

const NOBODY: readonly PeerPresence[] = Object.freeze([]);

/**
 * Colleagues' tabs by the entry they have open (never this tab). A colleague
 * not heard from lately is probably gone: not "editing" any more.
 */
export const selectEditorsByEntry: (s: Peers) => ReadonlyMap<string, readonly PeerPresence[]> =
  createSelector([(s: Peers) => s.peers], (peers) => {
    const map = new Map<string, PeerPresence[]>();
    for (const p of peers) {
      if (p.self || p.stale || !p.activity?.entryId) continue;
      const list = map.get(p.activity.entryId) ?? [];
      list.push(p);
      map.set(p.activity.entryId, list);
    }
    return map;
  });

/** The colleagues editing this entry (the same empty list when nobody is, or for no entry). */
export const selectEditorsOf =
  (entryId: string | null) =>
  (s: Peers): readonly PeerPresence[] =>
    (entryId === null ? undefined : selectEditorsByEntry(s).get(entryId)) ?? NOBODY;

/** By room id, the first live tab on that room's screen: who serves it. */
export const selectRoomDoctors: (s: Peers) => ReadonlyMap<string, PeerPresence> = createSelector(
  [(s: Peers) => s.peers],
  (peers) => {
    const map = new Map<string, PeerPresence>();
    for (const p of peers) {
      const room = p.activity?.screen === 'room' ? p.activity.room : undefined;
      if (p.stale || !room || map.has(room)) continue;
      map.set(room, p);
    }
    return map;
  },
);
