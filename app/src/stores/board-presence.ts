/**
 * Presence on one board: the board doc's awareness (the relay stamps
 * `user`), read through the staff presence store (`presence-store.ts`:
 * peers, people, staleness), with the board's own activity: the card a
 * person has open, the field they edit, whether they drag it. Selectors say
 * who is on the board and, per card, who views, edits (which field) or drags
 * it, each with their colour.
 */
import type { Awareness } from 'y-protocols/awareness';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PresenceActivity, PresenceUser } from '../../../shared/presence.js';
import { createPresenceStore, type PeerPresence, type PresenceOptions } from './presence-store.js';
import { createSelector, selectorFamily } from './selectors.js';

/** The field of a card a person edits. */
export type BoardField = 'title' | 'body' | 'comment' | 'checklist';

/** What a board screen says it is doing; `null` clears a field. */
export interface BoardActivityPatch {
  readonly cardId?: string | null;
  readonly field?: BoardField | null;
  readonly dragging?: boolean;
}

export interface BoardPresenceState {
  /** Every tab on this board (self included). */
  readonly peers: readonly PeerPresence[];
  /** One row per person on the board, self first. */
  readonly people: readonly PeerPresence[];
  /** Merges into this tab's activity (`screen: 'board'`, `boardId` always set). */
  setActivity(patch: BoardActivityPatch): void;
  destroy(): void;
}

/** Who is around one card (live peers only: a stale one is not shown as editing). */
export interface CardPresence {
  readonly viewing: readonly PeerPresence[];
  readonly editing: readonly { readonly peer: PeerPresence; readonly field: string }[];
  readonly dragging: readonly PeerPresence[];
}

const NOBODY: CardPresence = Object.freeze({ viewing: [], editing: [], dragging: [] });

export function createBoardPresenceStore(
  awareness: Awareness,
  self: PresenceUser,
  boardId: string,
  opts: PresenceOptions = {},
): StoreApi<BoardPresenceState> {
  const inner = createPresenceStore(awareness, self, opts);
  const onBoard = (peers: readonly PeerPresence[]) =>
    peers.filter((p) => p.self || isOnBoard(p.activity, boardId));
  const read = () => {
    const s = inner.getState();
    return { peers: onBoard(s.peers), people: onBoard(s.people) };
  };
  const store = createStore<BoardPresenceState>()(() => ({
    ...read(),
    setActivity(patch) {
      const current = (awareness.getLocalState() as { activity?: PresenceActivity } | null)
        ?.activity;
      const next = mergeActivity(current, patch, boardId);
      if (current && sameActivity(current, next)) return;
      awareness.setLocalStateField('activity', next);
    },
    destroy() {
      unsubscribe();
      inner.getState().destroy();
    },
  }));
  const unsubscribe = inner.subscribe(() => store.setState(read()));
  // Say where we are at once, so colleagues see us on the board before we touch a card.
  store.getState().setActivity({});
  return store;
}

const isOnBoard = (a: PresenceActivity | null, boardId: string): boolean =>
  a !== null && a.screen === 'board' && a.boardId === boardId;

export function mergeActivity(
  current: PresenceActivity | undefined,
  patch: BoardActivityPatch,
  boardId: string,
): PresenceActivity {
  const base: PresenceActivity =
    current && isOnBoard(current, boardId) ? current : { screen: 'board', boardId };
  const next: PresenceActivity = { screen: 'board', boardId };
  const cardId = patch.cardId === undefined ? base.cardId : patch.cardId;
  // A field or a drag belongs to a card: leaving the card ends them.
  const sameCard = cardId === base.cardId;
  const field =
    patch.field === undefined ? (sameCard ? base.field : undefined) : (patch.field ?? undefined);
  const dragging =
    patch.dragging === undefined ? (sameCard ? base.dragging : undefined) : patch.dragging;
  if (cardId) {
    next.cardId = cardId;
    if (field) next.field = field;
    if (dragging) next.dragging = true;
  }
  return next;
}

const sameActivity = (a: PresenceActivity, b: PresenceActivity): boolean =>
  a.screen === b.screen &&
  a.boardId === b.boardId &&
  a.cardId === b.cardId &&
  a.field === b.field &&
  Boolean(a.dragging) === Boolean(b.dragging) &&
  a.entryId === b.entryId &&
  a.room === b.room;

/** Everyone on the board, one row per person, self first. */
export const selectBoardPeople = (s: BoardPresenceState): readonly PeerPresence[] => s.people;

/** Per card id, who is around it (others only: our own tab is not a badge). */
export const selectPresenceByCard = createSelector(
  [(s: BoardPresenceState) => s.peers],
  (peers): ReadonlyMap<string, CardPresence> => {
    const out = new Map<
      string,
      {
        viewing: PeerPresence[];
        editing: { peer: PeerPresence; field: string }[];
        dragging: PeerPresence[];
      }
    >();
    for (const p of peers) {
      const cardId = p.activity?.cardId;
      if (p.self || p.stale || !cardId) continue;
      let c = out.get(cardId);
      if (!c) out.set(cardId, (c = { viewing: [], editing: [], dragging: [] }));
      if (p.activity?.dragging) c.dragging.push(p);
      else if (p.activity?.field) c.editing.push({ peer: p, field: p.activity.field });
      else c.viewing.push(p);
    }
    return out;
  },
);

/** Who views, edits (which field) or drags one card. */
export const selectCardPresence = selectorFamily((cardId: string) =>
  createSelector([selectPresenceByCard], (byCard) => byCard.get(cardId) ?? NOBODY),
);

/** The person (live, not self) whose activity says they are on this card, if any. */
export function peerOnCard(peers: readonly PeerPresence[], cardId: string): PeerPresence | null {
  let best: PeerPresence | null = null;
  for (const p of peers) {
    if (p.self || p.activity?.cardId !== cardId) continue;
    if (!best || (p.activity.dragging && !best.activity?.dragging)) best = p;
  }
  return best;
}
