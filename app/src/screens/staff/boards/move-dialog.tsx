/**
 * "Move…": the accessible alternative to dragging. Choose the column and the
 * position in it (the card's own place is not counted), then Move; Escape
 * or Cancel closes. A native modal <dialog>: focus stays inside it, and goes
 * back, when it closes, to what opened it (the card's ⇄, the detail's
 * Move…) or, when that has gone with the move, to the card.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BoardCard, BoardLane } from '../../../stores/board-store.js';
import { Button } from '../../../ui/Button.js';
import { Field } from '../../../ui/Field.js';
import { useBoardT } from './context.js';

export function MoveDialog({
  card,
  lanes,
  onMove,
  onClose,
}: {
  card: BoardCard;
  lanes: readonly BoardLane[];
  onMove: (columnId: string, index: number) => void;
  onClose: () => void;
}) {
  const t = useBoardT();
  const ref = useRef<HTMLDialogElement>(null);
  // Taken before showModal moves the focus into the dialog.
  const [opener] = useState(() => document.activeElement);
  const columns = lanes.filter((l) => l.id !== 'unsorted');
  const current = columns.find((l) => l.id === card.lane) ?? columns[0];
  const [column, setColumn] = useState(current?.id ?? '');
  const target = columns.find((l) => l.id === column);
  const others = target?.cards.filter((c) => c.id !== card.id) ?? [];
  const ownIndex = target?.cards.findIndex((c) => c.id === card.id) ?? -1;
  const [index, setIndex] = useState(ownIndex >= 0 ? ownIndex : others.length);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  /** Closes; once React has drawn the board again, the focus goes back (the dialog is gone by then). */
  const close = () => {
    onClose();
    requestAnimationFrame(() => {
      const back =
        opener instanceof HTMLElement && opener.isConnected
          ? opener
          : document.querySelector<HTMLElement>(
              `[data-card="${card.id}"][data-testid="board-card"]`,
            );
      back?.focus();
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!target) return;
    onMove(target.id, Math.min(index, others.length));
    close();
  };
  return (
    <dialog
      ref={ref}
      className="move-dialog"
      aria-labelledby="move-title"
      data-testid="move-dialog"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <form onSubmit={submit}>
        <h2 id="move-title">{t('moveTitle', { title: card.title || t('untitled') })}</h2>
        <Field label={t('moveColumn')}>
          <select
            value={column}
            onChange={(e) => {
              setColumn(e.target.value);
              const next = columns.find((l) => l.id === e.target.value);
              setIndex(next ? next.cards.filter((c) => c.id !== card.id).length : 0);
            }}
          >
            {columns.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('movePosition')}>
          <select value={index} onChange={(e) => setIndex(Number(e.target.value))}>
            {others.map((c, i) => (
              <option key={c.id} value={i}>
                {t('positionN', { n: i + 1 })} — {c.title || t('untitled')}
              </option>
            ))}
            <option value={others.length}>
              {others.length === 0 ? t('positionN', { n: 1 }) : t('positionLast')}
            </option>
          </select>
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary">
            {t('moveHere')}
          </Button>
          <Button onClick={close}>{t('cancel')}</Button>
        </div>
      </form>
    </dialog>
  );
}
