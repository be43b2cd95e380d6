/**
 * Where a card goes, as the board store's `moveCard(cardId, columnId, index)`
 * wants it (`index` among the target lane's cards without the moved one),
 * from a keyboard shortcut or a drop. Read on the whole board (a filter may
 * hide cards, never change their places). The "Unsorted" lane is never a
 * target: a card leaves it for a column.
 */

/** What this module reads of a lane (the store's `BoardLane`). */
export interface LaneLike {
  readonly id: string;
  readonly cards: readonly { readonly id: string }[];
}

export interface MoveTarget {
  readonly columnId: string;
  readonly index: number;
}

export const UNSORTED = 'unsorted';

export type MoveKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/** The lane holding `cardId` and its index there, or null. */
export function locateCard(
  lanes: readonly LaneLike[],
  cardId: string,
): { lane: LaneLike; index: number } | null {
  for (const lane of lanes) {
    const index = lane.cards.findIndex((c) => c.id === cardId);
    if (index >= 0) return { lane, index };
  }
  return null;
}

/**
 * Alt+↑/↓: one place up or down in its column; Alt+←/→: the column before or
 * after, at the same place (or the end). From "Unsorted", → goes to the first
 * column. Null when there is nowhere to go.
 */
export function keyboardTarget(
  lanes: readonly LaneLike[],
  cardId: string,
  key: MoveKey,
): MoveTarget | null {
  const at = locateCard(lanes, cardId);
  if (!at) return null;
  const columns = lanes.filter((l) => l.id !== UNSORTED);
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    if (at.lane.id === UNSORTED) return null;
    const index = at.index + (key === 'ArrowUp' ? -1 : 1);
    if (index < 0 || index >= at.lane.cards.length) return null;
    return { columnId: at.lane.id, index };
  }
  const here = columns.findIndex((l) => l.id === at.lane.id);
  const target =
    at.lane.id === UNSORTED
      ? key === 'ArrowRight'
        ? columns[0]
        : undefined
      : columns[here + (key === 'ArrowLeft' ? -1 : 1)];
  if (!target) return null;
  return { columnId: target.id, index: Math.min(at.index, target.cards.length) };
}

/** A drop on lane `laneId` before the card `before` (null: at the end). */
export function dropTarget(
  lanes: readonly LaneLike[],
  cardId: string,
  laneId: string,
  before: string | null,
): MoveTarget | null {
  const lane = lanes.find((l) => l.id === laneId);
  if (!lane || lane.id === UNSORTED || !locateCard(lanes, cardId)) return null;
  const others = lane.cards.filter((c) => c.id !== cardId);
  const at = before === null ? -1 : others.findIndex((c) => c.id === before);
  return { columnId: lane.id, index: at < 0 ? others.length : at };
}
