/** Archived columns and cards, each with Restore (nothing on a board is ever deleted). */
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { BoardState } from '../../../stores/board-store.js';
import { Button } from '../../../ui/Button.js';
import { Card } from '../../../ui/Card.js';
import { useBoardT } from './context.js';

export function ArchivePanel({
  store,
  readOnly,
}: {
  store: StoreApi<BoardState>;
  readOnly: boolean;
}) {
  const t = useBoardT();
  const columns = useStore(store, (s) => s.board?.archivedColumns ?? []);
  const cards = useStore(store, (s) => s.board?.archivedCards ?? []);
  const s = store.getState;
  return (
    <Card title={t('archived')} className="archive-panel" data-testid="archive-panel">
      {columns.length === 0 && cards.length === 0 && <p className="muted">{t('noArchived')}</p>}
      {columns.length > 0 && (
        <>
          <h3>{t('archivedColumns')}</h3>
          <ul>
            {columns.map((c) => (
              <li key={c.id}>
                <span>{c.title}</span>
                {!readOnly && (
                  <RestoreButton title={c.title} onRestore={() => s().restoreColumn(c.id)} />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {cards.length > 0 && (
        <>
          <h3>{t('archivedCards')}</h3>
          <ul>
            {cards.map((c) => (
              <li key={c.id}>
                <Button variant="link" onClick={() => s().openCard(c.id)}>
                  {c.title || t('untitled')}
                </Button>
                {!readOnly && (
                  <RestoreButton title={c.title} onRestore={() => s().restoreCard(c.id)} />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

/** Restore, naming what it restores for screen readers. */
function RestoreButton({ title, onRestore }: { title: string; onRestore: () => void }) {
  const t = useBoardT();
  return (
    <Button size="small" variant="outline" onClick={onRestore}>
      {t('restore')}
      <span className="sr-only"> {title}</span>
    </Button>
  );
}
