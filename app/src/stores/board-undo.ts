/**
 * Undo and redo of one person's own board changes (never a colleague's).
 *
 * One `Y.UndoManager` over the board's root types tracks the transactions
 * made with this session's origin: a colleague's concurrent edit is another
 * origin (a remote update), so undoing ours leaves theirs in place.
 *
 * Creations are the exception. Undoing "add card" the Yjs way deletes the
 * card's key from the `cards` root (and its `createdBy`): a hard delete,
 * which the relay refuses as a forged write (4422) and which would also
 * take a colleague's comments on the card with it. So creations of cards
 * and columns are made with a second, untracked origin and kept on this
 * module's own stack: undoing one archives it, redoing restores it (the
 * contract's only way to remove a card or a column). Comments cannot be
 * removed at all: adding one is not undoable.
 *
 * Our stack holds, in order, either a marker for the UndoManager's stack
 * item or a creation; each discrete action is its own step
 * (`stopCapturing`), while text typed through `editText` merges into one
 * step per pause (the UndoManager's capture timeout).
 */
import * as Y from 'yjs';

export type CreatedKind = 'card' | 'column';

type Step =
  | { readonly kind: 'yjs'; readonly item: unknown }
  | { readonly kind: 'created'; readonly what: CreatedKind; readonly id: string };

export interface BoardUndo {
  readonly canUndo: () => boolean;
  readonly canRedo: () => boolean;
  /** Marks the end of a step: the next tracked change starts a new one. */
  stopCapturing(): void;
  /** A card or column we just created (with the untracked origin). */
  created(what: CreatedKind, id: string): void;
  undo(): void;
  redo(): void;
  destroy(): void;
}

export interface BoardUndoOptions {
  readonly doc: Y.Doc;
  /** The roots in scope (columns, cards, labels, comments, votes). */
  readonly scope: readonly Y.AbstractType<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- Y types are invariant in their event type
  /** The origin of our tracked transactions. */
  readonly origin: object;
  /** Archive (undo) or restore (redo) a creation, with an untracked origin. */
  readonly setArchived: (what: CreatedKind, id: string, archived: boolean) => void;
  /** Called whenever canUndo / canRedo may have changed. */
  readonly onChange: () => void;
  /** Merge window for typed text, ms (Yjs default 500). */
  readonly captureTimeout?: number;
}

export function createBoardUndo(opts: BoardUndoOptions): BoardUndo {
  const um = new Y.UndoManager([...opts.scope], {
    trackedOrigins: new Set([opts.origin]),
    captureTimeout: opts.captureTimeout ?? 500,
  });
  const undoStack: Step[] = [];
  const redoStack: Step[] = [];

  // A fresh tracked change (not one made by undo/redo): one step, and no redo after it.
  const onAdded = (event: { stackItem: unknown; type: 'undo' | 'redo' }) => {
    if (um.undoing || um.redoing || event.type !== 'undo') return;
    undoStack.push({ kind: 'yjs', item: event.stackItem });
    redoStack.length = 0;
    opts.onChange();
  };
  um.on('stack-item-added', onAdded);

  // The UndoManager skips stack items that no longer change anything (a
  // colleague archived what we had edited…) and may pop several at once:
  // forget markers whose item it no longer holds.
  const prune = () => {
    const inUndo = new Set<unknown>(um.undoStack);
    const inRedo = new Set<unknown>(um.redoStack);
    const keep = (stack: Step[], held: Set<unknown>) => {
      const kept = stack.filter((s) => s.kind !== 'yjs' || held.has(s.item));
      stack.length = 0;
      stack.push(...kept);
    };
    keep(undoStack, inUndo);
    keep(redoStack, inRedo);
  };

  const move = (from: Step[], to: Step[], direction: 'undo' | 'redo') => {
    um.stopCapturing();
    const step = from.pop();
    if (!step) return;
    if (step.kind === 'created') {
      opts.setArchived(step.what, step.id, direction === 'undo');
      to.push(step);
    } else {
      const stack = direction === 'undo' ? um.undoStack : um.redoStack;
      if (stack[stack.length - 1] === step.item) {
        if (direction === 'undo') um.undo();
        else um.redo();
        const other = direction === 'undo' ? um.redoStack : um.undoStack;
        const made = other[other.length - 1];
        if (made !== undefined) to.push({ kind: 'yjs', item: made });
      }
      prune();
    }
    um.stopCapturing();
    opts.onChange();
  };

  return {
    canUndo: () => undoStack.length > 0,
    canRedo: () => redoStack.length > 0,
    stopCapturing: () => um.stopCapturing(),
    created(what, id) {
      um.stopCapturing();
      undoStack.push({ kind: 'created', what, id });
      redoStack.length = 0;
      um.clear(false, true);
      opts.onChange();
    },
    undo: () => move(undoStack, redoStack, 'undo'),
    redo: () => move(redoStack, undoStack, 'redo'),
    destroy() {
      um.off('stack-item-added', onAdded);
      um.destroy();
      undoStack.length = 0;
      redoStack.length = 0;
    },
  };
}
