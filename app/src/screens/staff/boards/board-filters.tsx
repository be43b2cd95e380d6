/**
 * The board's filters: my cards, assignee, label, due, text; how many cards
 * they leave (a status, there before the first filter so that it is read).
 * "Clear filters" goes with the filters it clears: the focus goes to the search.
 */
import { useRef } from 'react';
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
  const search = useRef<HTMLInputElement>(null);
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
      <FilterSelect
        label={t('filterAssignee')}
        any={t('anyone')}
        value={filter.assignee}
        options={people.map((p) => ({ value: p.id, label: p.name }))}
        onChange={(assignee) => set({ assignee })}
      />
      <FilterSelect
        label={t('filterLabel')}
        any={t('anyLabel')}
        value={filter.label}
        options={labels.map((l) => ({ value: l.id, label: l.name }))}
        onChange={(label) => set({ label })}
      />
      <FilterSelect
        label={t('filterDue')}
        any={t('due_any')}
        value={filter.due}
        options={DUES.map((d) => ({ value: d, label: t(`due_${d}` as BoardKey) }))}
        onChange={(due) => set({ due })}
      />
      <div className="filter-search">
        <Field label={t('search')}>
          <input
            ref={search}
            type="search"
            value={filter.text ?? ''}
            placeholder={t('searchPlaceholder')}
            onChange={(e) => set({ text: e.target.value || undefined })}
          />
        </Field>
      </div>
      <span className="filter-count muted" role="status">
        {filtering
          ? shown === 1
            ? t('filteredCount1', { total })
            : t('filteredCount', { n: shown, total })
          : ''}
      </span>
      {filtering && (
        <Button
          size="small"
          variant="ghost"
          onClick={() => {
            store.getState().clearFilter();
            search.current?.focus();
          }}
        >
          {t('clearFilters')}
        </Button>
      )}
    </div>
  );
}

/** One filter as a select: "any" (no filter) first, then its options. */
function FilterSelect<V extends string>({
  label,
  any,
  value,
  options,
  onChange,
}: {
  label: string;
  any: string;
  value: V | undefined;
  options: readonly { readonly value: V; readonly label: string }[];
  onChange: (value: V | undefined) => void;
}) {
  return (
    <Field label={label}>
      <select
        value={value ?? ''}
        onChange={(e) => onChange((e.target.value || undefined) as V | undefined)}
      >
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
