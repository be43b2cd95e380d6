/** Edits of ours the server refused (a 4422 reload), listed until dismissed. */
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { BoardState, DroppedWhat } from '../../../stores/board-store.js';
import { Button } from '../../../ui/Button.js';
import { Notice } from '../../../ui/Notice.js';
import { useBoardT } from './context.js';
import type { BoardKey } from './strings.js';

const SAID: Partial<Record<DroppedWhat, BoardKey>> = {
  vote: 'dropped_vote',
  move: 'dropped_move',
  text: 'dropped_text',
  comment: 'dropped_comment',
  card: 'dropped_card',
  checklist: 'dropped_checklist',
  assignees: 'dropped_assignees',
  labels: 'dropped_labels',
  due: 'dropped_due',
  archive: 'dropped_archive',
  column: 'dropped_column',
};

/** The board is being opened again from the server (after a 4422, an archive or a restore). */
export function ReopeningNotice({ store }: { store: StoreApi<BoardState> }) {
  const t = useBoardT();
  const reopening = useStore(store, (s) => s.reopening);
  if (reopening === null) return null;
  if (reopening.gaveUp)
    return (
      <Notice tone="danger" testId="board-reopening">
        {t('reopening_gaveUp')}
      </Notice>
    );
  if (reopening.failures > 0)
    return (
      <Notice tone="warning" testId="board-reopening">
        {t('reopening_failed', { error: reopening.error ?? '?' })}
      </Notice>
    );
  return (
    <Notice tone="info" testId="board-reopening">
      {t(reopening.why === 'forged' ? 'reopening_forged' : 'reopening_archived')}
    </Notice>
  );
}

export function DroppedEditsNotice({ store }: { store: StoreApi<BoardState> }) {
  const t = useBoardT();
  const dropped = useStore(store, (s) => s.droppedEdits);
  if (dropped.length === 0) return null;
  return (
    <Notice tone="warning" testId="dropped-edits" title={t('droppedTitle')}>
      <ul>
        {dropped.map((d, i) => (
          <li key={i}>{t(SAID[d.what] ?? 'dropped_other', { title: d.title || t('untitled') })}</li>
        ))}
      </ul>
      <Button size="small" onClick={() => store.getState().dismissDroppedEdits()}>
        {t('dismiss')}
      </Button>
    </Notice>
  );
}
