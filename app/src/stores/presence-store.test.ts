import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createPresenceStore } from './presence-store.js';

const me = { id: 'u1', name: 'Alice', role: 'receptionist' as const, color: '#1f77b4' };

describe('presence store', () => {
  it('lists self and relay-stamped peers with their activity, one row per person', () => {
    const mine = new Awareness(new Y.Doc());
    const store = createPresenceStore(mine, me);
    store.getState().setActivity({ screen: 'reception', entryId: 'e1' });
    // Bob in two tabs, as the relay relays them (user stamped).
    for (const [entryId, name] of [
      ['e2', 'Bob'],
      [undefined, 'Bob'],
    ] as const) {
      const other = new Awareness(new Y.Doc());
      other.setLocalState({
        user: { id: 'u2', name, role: 'doctor', color: '#d62728' },
        activity: { screen: 'room', room: '3', ...(entryId ? { entryId } : {}) },
      });
      applyAwarenessUpdate(mine, encodeAwarenessUpdate(other, [other.clientID]), 'relay');
    }
    const s = store.getState();
    expect(s.people.map((p) => [p.user.name, p.self])).toEqual([
      ['Alice', true],
      ['Bob', false],
    ]);
    expect(s.peers).toHaveLength(3);
    expect(s.peers.find((p) => p.self)?.activity).toEqual({ screen: 'reception', entryId: 'e1' });
    expect(s.peers.filter((p) => p.activity?.entryId === 'e2')).toHaveLength(1);
  });

  it('ignores states without a stamped user', () => {
    const mine = new Awareness(new Y.Doc());
    const store = createPresenceStore(mine, me);
    const anon = new Awareness(new Y.Doc());
    anon.setLocalState({ activity: { screen: 'reception' } });
    applyAwarenessUpdate(mine, encodeAwarenessUpdate(anon, [anon.clientID]), 'relay');
    expect(store.getState().people.map((p) => p.user.id)).toEqual(['u1']);
  });

  it('marks a colleague not renewed for 20 s as stale, never self, and live again on renewal', () => {
    const mine = new Awareness(new Y.Doc());
    const clock = { skew: 0 };
    const store = createPresenceStore(mine, me, {
      now: () => Date.now() + clock.skew,
      checkEveryMs: 0,
    });
    const bob = new Awareness(new Y.Doc());
    bob.setLocalState({
      user: { id: 'u2', name: 'Bob', role: 'doctor', color: '#d62728' },
      activity: { screen: 'reception', entryId: 'e2' },
    });
    const relay = () =>
      applyAwarenessUpdate(mine, encodeAwarenessUpdate(bob, [bob.clientID]), 'relay');
    relay();
    const stale = () => store.getState().people.map((p) => [p.user.name, p.stale]);
    expect(stale()).toEqual([
      ['Alice', false],
      ['Bob', false],
    ]);
    clock.skew = 21_000; // Bob lost the network: no renewal since
    mine.setLocalStateField('activity', { screen: 'reception' }); // any change re-derives
    expect(stale()).toEqual([
      ['Alice', false],
      ['Bob', true],
    ]);
    // Bob's renewal arrives (same state, new clock): live again without waiting for a timer.
    clock.skew = 0;
    bob.setLocalState({ ...bob.getLocalState() });
    relay();
    expect(stale()).toEqual([
      ['Alice', false],
      ['Bob', false],
    ]);
    store.getState().destroy();
    bob.destroy();
    mine.destroy();
  });
});
