import { describe, expect, it } from 'vitest';
import type { PresenceActivity } from '../../../shared/presence.js';
import { selectEditorsByEntry, selectEditorsOf, selectRoomDoctors } from './presence-selectors.js';
import type { PeerPresence } from './presence-store.js';

let nextClient = 1;
function peer(
  name: string,
  activity: PresenceActivity | null,
  extra: { self?: boolean; stale?: boolean; role?: 'doctor' | 'receptionist' } = {},
): PeerPresence {
  return {
    clientId: nextClient++,
    user: { id: name.toLowerCase(), name, role: extra.role ?? 'receptionist', color: '#1f77b4' },
    activity,
    self: extra.self ?? false,
    stale: extra.stale ?? false,
  };
}

describe('presence selectors', () => {
  it('list who edits each entry: colleagues only, not stale ones', () => {
    const me = peer('Alice', { screen: 'reception', entryId: 'e1' }, { self: true });
    const bob = peer('Bob', { screen: 'reception', entryId: 'e1' });
    const bobTab = peer('Bob', { screen: 'reception', entryId: 'e2' });
    const gone = peer('Chloé', { screen: 'reception', entryId: 'e2' }, { stale: true });
    const idle = peer('Dan', { screen: 'reception' });
    const s = { peers: [me, bob, bobTab, gone, idle] };
    const map = selectEditorsByEntry(s);
    expect([...map.keys()]).toEqual(['e1', 'e2']);
    expect(map.get('e1')).toEqual([bob]);
    expect(map.get('e2')).toEqual([bobTab]);
    expect(selectEditorsOf('e1')(s)).toEqual([bob]);
  });

  it('give the same values while the peers list is the same, so React does not render again', () => {
    const s = { peers: [peer('Bob', { screen: 'reception', entryId: 'e1' })] };
    expect(selectEditorsByEntry({ peers: s.peers })).toBe(selectEditorsByEntry(s));
    expect(selectEditorsOf('e1')(s)).toBe(selectEditorsOf('e1')({ peers: s.peers }));
    // Nobody editing, or no entry: one shared empty list.
    expect(selectEditorsOf('e9')(s)).toEqual([]);
    expect(selectEditorsOf('e9')(s)).toBe(selectEditorsOf(null)({ peers: [] }));
    // A new peers list is a new derivation.
    expect(selectEditorsByEntry({ peers: [...s.peers] })).not.toBe(selectEditorsByEntry(s));
  });

  it('tell who serves each room: the first live tab on that room, not a stale one', () => {
    const stale = peer('Old', { screen: 'room', room: '1' }, { stale: true, role: 'doctor' });
    const martin = peer('Martin', { screen: 'room', room: '1' }, { role: 'doctor' });
    const other = peer('Nora', { screen: 'room', room: '1' }, { role: 'doctor' });
    const chooser = peer('Paul', { screen: 'room' }, { role: 'doctor' });
    const reception = peer('Alice', { screen: 'reception', room: '2' });
    const s = { peers: [stale, martin, other, chooser, reception] };
    const doctors = selectRoomDoctors(s);
    expect([...doctors.entries()]).toEqual([['1', martin]]);
    expect(selectRoomDoctors({ peers: s.peers })).toBe(doctors);
  });
});
