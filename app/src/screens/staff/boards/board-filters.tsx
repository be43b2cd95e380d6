/** The board's filters: my cards, assignee, label, due, text; how many cards they leave. */
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { BoardState, BoardView } from '../../../stores/board-store.js';
import { Button } from '../../../ui/Button.js';
import { Field } from '../../../ui/Field.js';
import { useBoardT } from './context.js';
import type { Person } from './people.js';
import type { BoardKey } from './strings.js';

const DUES = ['overdue', 'today', 'week', 'none'] as const;

export function BoardFilters({
  store,
  people,
  labels,
}: {
  store: StoreApi<BoardState>;
  people: readonly Person[];
  labels: BoardView['labels'];
}) {
  const t = useBoardT();
  const filter = useStore(store, (s) => s.filter);
  const filtering = useStore(store, (s) => s.filtering);
  const shown = useStore(store, (s) => s.lanes.reduce((n, l) => n + l.cards.length, 0));
  const total = useStore(store, (s) => s.board?.lanes.reduce((n, l) => n + l.cards.length, 0) ?? 0);
  const set = store.getState().setFilter;
  return (
    <div className="board-filters" role="search" aria-label={t('filters')}>
      <Button
        size="small"
        variant={filter.mine ? 'outline' : 'secondary'}
        aria-pressed={Boolean(filter.mine)}
        onClick={() => set({ mine: !filter.mine })}
      >
        {t('filterMine')}
      </Button>
      <Field label={t('filterAssignee')}>
        <select
          value={filter.assignee ?? ''}
          onChange={(e) => set({ assignee: e.target.value || undefined })}
        >
          <option value="">{t('anyone')}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filterLabel')}>
        <select
          value={filter.label ?? ''}
          onChange={(e) => set({ label: e.target.value || undefined })}
        >
          <option value="">{t('anyLabel')}</option>
          {labels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filterDue')}>
        <select
          value={filter.due ?? ''}
          onChange={(e) =>
            set({ due: (e.target.value || undefined) as (typeof DUES)[number] | undefined })
          }
        >
          <option value="">{t('due_any')}</option>
          {DUES.map((d) => (
            <option key={d} value={d}>
              {t(`due_${d}` as BoardKey)}
            </option>
          ))}
        </select>
      </Field>
      <div className="filter-search">
        <Field label={t('search')}>
          <input
            type="search"
            value={filter.text ?? ''}
            placeholder={t('searchPlaceholder')}
            onChange={(e) => set({ text: e.target.value || undefined })}
          />
        </Field>
      </div>
      {filtering && (
        <>
          <span className="filter-count muted" role="status">
            {t('filteredCount', { n: shown, total })}
          </span>
          <Button size="small" variant="ghost" onClick={() => store.getState().clearFilter()}>
            {t('clearFilters')}
          </Button>
        </>
      )}
    </div>
  );
}
