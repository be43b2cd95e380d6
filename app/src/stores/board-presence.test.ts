import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { PresenceActivity, PresenceUser } from '../../../shared/presence.js';
import {
  createBoardPresenceStore,
  mergeActivity,
  peerOnCard,
  selectBoardPeople,
  selectCardPresence,
  selectPresenceByCard,
  type BoardPresenceState,
} from './board-presence.js';
import type { StoreApi } from 'zustand/vanilla';

const me: PresenceUser = { id: 'u1', name: 'Alice', role: 'receptionist', color: '#1f77b4' };
const claire: PresenceUser = { id: 'u2', name: 'Claire', role: 'doctor', color: '#d62728' };
const marc: PresenceUser = { id: 'u3', name: 'Marc', role: 'doctor', color: '#2ca02c' };

const stores: StoreApi<BoardPresenceState>[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.getState().destroy()));

function open(awareness: Awareness) {
  const store = createBoardPresenceStore(awareness, me, 'b1', { checkEveryMs: 0 });
  stores.push(store);
  return store;
}

/** A colleague's tab, as the relay relays it (user stamped). */
function peer(mine: Awareness, user: PresenceUser, activity: PresenceActivity) {
  const other = new Awareness(new Y.Doc());
  other.setLocalState({ user, activity });
  const relay = () =>
    applyAwarenessUpdate(mine, encodeAwarenessUpdate(other, [other.clientID]), 'relay');
  relay();
  return {
    clientId: other.clientID,
    set(next: PresenceActivity) {
      other.setLocalStateField('activity', next);
      relay();
    },
  };
}

describe('board presence', () => {
  it('says we are on the board as soon as it opens', () => {
    const mine = new Awareness(new Y.Doc());
    open(mine);
    expect(mine.getLocalState()).toMatchObject({ activity: { screen: 'board', boardId: 'b1' } });
  });

  it('lists the people on this board only, self first', () => {
    const mine = new Awareness(new Y.Doc());
    const store = open(mine);
    peer(mine, claire, { screen: 'board', boardId: 'b1' });
    peer(mine, marc, { screen: 'board', boardId: 'other' });
    peer(mine, marc, { screen: 'reception' });
    expect(selectBoardPeople(store.getState()).map((p) => p.user.name)).toEqual([
      'Alice',
      'Claire',
    ]);
  });

  it('tells per card who views, edits (which field) and drags it, others only', () => {
    const mine = new Awareness(new Y.Doc());
    const store = open(mine);
    store.getState().setActivity({ cardId: 'c1', field: 'title' });
    peer(mine, claire, { screen: 'board', boardId: 'b1', cardId: 'c1', field: 'body' });
    const m = peer(mine, marc, { screen: 'board', boardId: 'b1', cardId: 'c1' });
    const c1 = () => selectCardPresence('c1')(store.getState());
    expect(c1().viewing.map((p) => p.user.name)).toEqual(['Marc']);
    expect(c1().editing.map((e) => [e.peer.user.name, e.field, e.peer.user.color])).toEqual([
      ['Claire', 'body', claire.color],
    ]);
    expect(c1().dragging).toEqual([]);
    m.set({ screen: 'board', boardId: 'b1', cardId: 'c2', dragging: true });
    expect(c1().viewing).toEqual([]);
    expect(selectCardPresence('c2')(store.getState()).dragging.map((p) => p.user.name)).toEqual([
      'Marc',
    ]);
    expect(selectCardPresence('c3')(store.getState())).toEqual({
      viewing: [],
      editing: [],
      dragging: [],
    });
  });

  it('gives the same selection for the same state (no re-render loop)', () => {
    const mine = new Awareness(new Y.Doc());
    const store = open(mine);
    peer(mine, claire, { screen: 'board', boardId: 'b1', cardId: 'c1' });
    const s = store.getState();
    expect(selectPresenceByCard(s)).toBe(selectPresenceByCard(s));
    expect(selectCardPresence('c1')(s)).toBe(selectCardPresence('c1')(s));
  });

  it('merges activity patches: leaving a card ends its field and drag; unchanged sends nothing', () => {
    const mine = new Awareness(new Y.Doc());
    const store = open(mine);
    const { setActivity } = store.getState();
    setActivity({ cardId: 'c1', field: 'title' });
    setActivity({ dragging: true });
    expect(mine.getLocalState()?.activity).toEqual({
      screen: 'board',
      boardId: 'b1',
      cardId: 'c1',
      field: 'title',
      dragging: true,
    });
    setActivity({ cardId: 'c2' });
    expect(mine.getLocalState()?.activity).toEqual({
      screen: 'board',
      boardId: 'b1',
      cardId: 'c2',
    });
    let updates = 0;
    mine.on('change', () => updates++);
    setActivity({ cardId: 'c2' });
    expect(updates).toBe(0);
    setActivity({ cardId: null });
    expect(mine.getLocalState()?.activity).toEqual({ screen: 'board', boardId: 'b1' });
  });

  it('mergeActivity starts afresh from another screen or board', () => {
    expect(mergeActivity({ screen: 'reception', entryId: 'e1' }, { cardId: 'c1' }, 'b1')).toEqual({
      screen: 'board',
      boardId: 'b1',
      cardId: 'c1',
    });
    expect(
      mergeActivity({ screen: 'board', boardId: 'b2', cardId: 'c9', field: 'body' }, {}, 'b1'),
    ).toEqual({ screen: 'board', boardId: 'b1' });
  });

  it('peerOnCard prefers the colleague dragging the card', () => {
    const mine = new Awareness(new Y.Doc());
    const store = open(mine);
    peer(mine, claire, { screen: 'board', boardId: 'b1', cardId: 'c1' });
    peer(mine, marc, { screen: 'board', boardId: 'b1', cardId: 'c1', dragging: true });
    expect(peerOnCard(store.getState().peers, 'c1')?.user.name).toBe('Marc');
    expect(peerOnCard(store.getState().peers, 'c2')).toBeNull();
  });
});
