/**
 * "Done — undo?": a short-lived notice after a one-click action that can be
 * taken back (cancelling a ticket). It stays long enough to be read and
 * reached with the keyboard, and goes away by itself.
 */
import { useEffect } from 'react';
import { Button } from '../ui/Button.js';
import './undo-toast.css';

export const UNDO_MS = 10_000;

export function UndoToast({
  text,
  undoLabel,
  onUndo,
  onDone,
  ms = UNDO_MS,
}: {
  text: string;
  undoLabel: string;
  onUndo: () => void;
  /** Called when the toast expires. */
  onDone: () => void;
  ms?: number;
}) {
  useEffect(() => {
    const id = setTimeout(onDone, ms);
    return () => clearTimeout(id);
    // A new action restarts the toast through its key, not through new callbacks.
  }, [ms]);
  return (
    <div className="toast" role="status" data-testid="undo-toast">
      <span>{text}</span>
      <Button size="small" onClick={onUndo}>
        {undoLabel}
      </Button>
    </div>
  );
}
