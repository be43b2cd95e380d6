import { describe, expect, it } from 'vitest';
import { dropTarget, keyboardTarget, locateCard, type LaneLike } from './moves.js';

const lane = (id: string, ...cards: string[]): LaneLike => ({
  id,
  cards: cards.map((c) => ({ id: c })),
});
const board = [
  lane('todo', 'a', 'b', 'c'),
  lane('doing', 'd'),
  lane('done'),
  lane('unsorted', 'u'),
];

describe('where a card goes', () => {
  it('finds a card in its lane', () => {
    expect(locateCard(board, 'b')).toEqual({ lane: board[0], index: 1 });
    expect(locateCard(board, 'nope')).toBeNull();
  });

  it('moves one place up or down with Alt+↑/↓, and nowhere past the ends', () => {
    expect(keyboardTarget(board, 'b', 'ArrowUp')).toEqual({ columnId: 'todo', index: 0 });
    expect(keyboardTarget(board, 'b', 'ArrowDown')).toEqual({ columnId: 'todo', index: 2 });
    expect(keyboardTarget(board, 'a', 'ArrowUp')).toBeNull();
    expect(keyboardTarget(board, 'c', 'ArrowDown')).toBeNull();
  });

  it('moves to the next column at the same place, or its end, with Alt+←/→', () => {
    expect(keyboardTarget(board, 'c', 'ArrowRight')).toEqual({ columnId: 'doing', index: 1 });
    expect(keyboardTarget(board, 'a', 'ArrowRight')).toEqual({ columnId: 'doing', index: 0 });
    expect(keyboardTarget(board, 'd', 'ArrowRight')).toEqual({ columnId: 'done', index: 0 });
    expect(keyboardTarget(board, 'a', 'ArrowLeft')).toBeNull();
  });

  it('never moves into "Unsorted", and leaves it for the first column', () => {
    expect(keyboardTarget(board, 'd', 'ArrowRight')?.columnId).toBe('done');
    expect(keyboardTarget([lane('done', 'x'), lane('unsorted')], 'x', 'ArrowRight')).toBeNull();
    expect(keyboardTarget(board, 'u', 'ArrowRight')).toEqual({ columnId: 'todo', index: 0 });
    expect(keyboardTarget(board, 'u', 'ArrowLeft')).toBeNull();
    expect(keyboardTarget(board, 'u', 'ArrowUp')).toBeNull();
  });

  it('drops before a card, counting the lane without the dragged card', () => {
    expect(dropTarget(board, 'a', 'todo', 'c')).toEqual({ columnId: 'todo', index: 1 });
    expect(dropTarget(board, 'd', 'todo', 'a')).toEqual({ columnId: 'todo', index: 0 });
    expect(dropTarget(board, 'd', 'todo', null)).toEqual({ columnId: 'todo', index: 3 });
    expect(dropTarget(board, 'a', 'done', null)).toEqual({ columnId: 'done', index: 0 });
  });

  it('refuses a drop on "Unsorted", an unknown lane or an unknown card', () => {
    expect(dropTarget(board, 'a', 'unsorted', null)).toBeNull();
    expect(dropTarget(board, 'a', 'gone', null)).toBeNull();
    expect(dropTarget(board, 'zz', 'todo', null)).toBeNull();
  });

  it('drops at the end when the card it was dropped before has gone meanwhile', () => {
    expect(dropTarget(board, 'd', 'todo', 'vanished')).toEqual({ columnId: 'todo', index: 3 });
  });
});
