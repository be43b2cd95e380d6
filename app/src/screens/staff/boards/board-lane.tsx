/**
 * A lane of the board: a column (title, colour edge; its menu renames, moves,
 * archives it and sets its colour) or the "Unsorted" lane of cards whose
 * column is gone; its cards in order, a drop marker where a dragged card
 * would land, and "add a card" at the bottom (Enter adds, the field stays
 * for the next one). `AddColumn` ends the row. For the keyboard: Escape
 * closes the menu (or leaves a field) and stays there; after an action the
 * focus goes back to the menu's ⋯ (to the board when the column is archived).
 */
import {
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type FormEvent,
  type ReactNode,
} from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { BOARD_LIMITS } from '../../../../../shared/board/index.js';
import type { BoardPresenceState } from '../../../stores/board-presence.js';
import type { BoardCard, BoardLane, BoardState } from '../../../stores/board-store.js';
import { Button, buttonClass } from '../../../ui/Button.js';
import { Count } from '../../../ui/Card.js';
import { useAddDraft } from './add-draft.js';
import { BoardCardTile } from './board-card.js';
import { ColourChoice } from './colours.js';
import { useBoardT } from './context.js';

/** Where a dragged card would land: before a card, or at the end (null). */
export interface DropTarget {
  readonly laneId: string;
  readonly before: string | null;
}

export function Lane({
  lane,
  store,
  presence,
  readOnly,
  today,
  nameOf,
  dragging,
  onDragging,
  onDrop,
  onKeyMove,
  onMoveDialog,
  selected,
  position,
  columnCount,
}: {
  lane: BoardLane;
  position: number;
  columnCount: number;
  store: StoreApi<BoardState>;
  presence: StoreApi<BoardPresenceState>;
  readOnly: boolean;
  today: string;
  nameOf: (id: string) => string | null;
  dragging: string | null;
  onDragging: (cardId: string | null) => void;
  onDrop: (cardId: string, target: DropTarget) => void;
  onKeyMove: (card: BoardCard, key: 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown') => void;
  onMoveDialog: (card: BoardCard) => void;
  selected: string | null;
}) {
  const t = useBoardT();
  const unsorted = lane.id === 'unsorted';
  const [target, setTarget] = useState<DropTarget | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const canDrop = !readOnly && !unsorted && dragging !== null;
  const onDragOver = (e: DragEvent) => {
    if (!canDrop) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    // The first card whose middle is below the pointer: the card lands before it.
    const items = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-card]') ?? [])];
    const before =
      items.find((el) => {
        if (el.dataset.card === dragging) return false;
        const r = el.getBoundingClientRect();
        return e.clientY < r.top + r.height / 2;
      })?.dataset.card ?? null;
    if (target?.before !== before || target.laneId !== lane.id)
      setTarget({ laneId: lane.id, before });
  };
  const onDropHere = (e: DragEvent) => {
    e.preventDefault();
    const cardId = e.dataTransfer.getData('application/x-queuemed-card') || dragging;
    if (cardId && target) onDrop(cardId, target);
    setTarget(null);
    onDragging(null);
  };
  const count = lane.cards.length;
  return (
    <li
      className={[
        'lane',
        unsorted ? 'lane-unsorted' : '',
        target && canDrop ? 'drop-over' : '',
      ].join(' ')}
      data-lane={lane.id}
      data-testid="board-lane"
      aria-label={unsorted ? t('unsorted') : lane.title}
      style={lane.color ? ({ '--lane': lane.color } as CSSProperties) : undefined}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setTarget(null);
      }}
      onDrop={onDropHere}
    >
      <LaneHead
        lane={lane}
        store={store}
        readOnly={readOnly}
        count={count}
        position={position}
        columnCount={columnCount}
      />
      {unsorted && <p className="lane-hint">{t('unsortedHint')}</p>}
      <ol className="lane-cards" ref={listRef} aria-describedby="board-drag-hint">
        {lane.cards.map((card) => (
          <Slot key={card.id} marker={canDrop && target?.before === card.id}>
            <BoardCardTile
              card={card}
              store={store}
              presence={presence}
              readOnly={readOnly}
              today={today}
              nameOf={nameOf}
              selected={selected === card.id}
              dragging={dragging === card.id}
              onDragging={onDragging}
              onKeyMove={onKeyMove}
              onMoveDialog={onMoveDialog}
            />
          </Slot>
        ))}
        {canDrop && target && target.before === null && (
          <li className="drop-marker" aria-hidden="true" />
        )}
        {count === 0 && !canDrop && <li className="lane-empty">{t('emptyColumn')}</li>}
      </ol>
      {!readOnly && !unsorted && <AddCard store={store} columnId={lane.id} title={lane.title} />}
    </li>
  );
}

function Slot({ marker, children }: { marker: boolean; children: ReactNode }) {
  return (
    <>
      {marker && <li className="drop-marker" aria-hidden="true" />}
      {children}
    </>
  );
}

function LaneHead({
  lane,
  store,
  readOnly,
  count,
  position,
  columnCount,
}: {
  lane: BoardLane;
  store: StoreApi<BoardState>;
  readOnly: boolean;
  count: number;
  /** The column's place among the active columns (-1: the Unsorted lane). */
  position: number;
  columnCount: number;
}) {
  const t = useBoardT();
  const menu = useRef<HTMLDetailsElement>(null);
  /** Closes the menu; the focus goes back to its ⋯ once the board is drawn again (a moved lane loses it). */
  const closeMenu = () => {
    menu.current?.removeAttribute('open');
    const back = menu.current?.closest('[data-lane]')?.getAttribute('data-lane');
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-lane="${back}"] .lane-menu > summary`)?.focus(),
    );
  };
  const [renaming, setRenaming] = useState(false);
  // Renaming over (saved or Escape): back to the ⋯ it started from, not to the page.
  const wasRenaming = useRef(false);
  useEffect(() => {
    if (wasRenaming.current && !renaming) menu.current?.querySelector('summary')?.focus();
    wasRenaming.current = renaming;
  }, [renaming]);
  const [draft, setDraft] = useState(lane.title);
  const unsorted = lane.id === 'unsorted';
  const title = unsorted ? t('unsorted') : lane.title;
  const save = (e: FormEvent) => {
    e.preventDefault();
    const name = draft.trim();
    if (name && name !== lane.title) store.getState().renameColumn(lane.id, name);
    setRenaming(false);
  };
  if (renaming)
    return (
      <div className="lane-head">
        <form className="lane-rename" onSubmit={save}>
          <input
            aria-label={t('columnTitle')}
            value={draft}
            autoFocus
            maxLength={BOARD_LIMITS.title}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              e.stopPropagation();
              setRenaming(false);
            }}
          />
          <Button type="submit" size="small" variant="primary">
            {t('save')}
          </Button>
        </form>
      </div>
    );
  return (
    <div className="lane-head">
      <h2>
        {title} <Count value={count} />
      </h2>
      {!readOnly && !unsorted && (
        <details
          className="lane-menu"
          ref={menu}
          onKeyDown={(e) => {
            if (e.key !== 'Escape' || !menu.current?.open) return;
            e.stopPropagation();
            closeMenu();
          }}
        >
          <summary
            className={buttonClass({ variant: 'ghost', size: 'small' })}
            aria-label={t('columnActions', { title })}
            title={t('columnActions', { title })}
          >
            ⋯
          </summary>
          <div className="lane-menu-items" role="group" aria-label={t('columnActions', { title })}>
            <Button
              size="small"
              variant="ghost"
              onClick={() => {
                closeMenu();
                setDraft(lane.title);
                setRenaming(true);
              }}
            >
              ✎ {t('renameColumn')}
            </Button>
            <Button
              size="small"
              variant="ghost"
              disabled={position <= 0}
              onClick={() => {
                closeMenu();
                store.getState().moveColumn(lane.id, position - 1);
              }}
            >
              ← {t('moveColumnLeft')}
            </Button>
            <Button
              size="small"
              variant="ghost"
              disabled={position < 0 || position >= columnCount - 1}
              onClick={() => {
                closeMenu();
                store.getState().moveColumn(lane.id, position + 1);
              }}
            >
              → {t('moveColumnRight')}
            </Button>
            <Button
              size="small"
              variant="ghost"
              onClick={() => {
                menu.current?.removeAttribute('open');
                store.getState().archiveColumn(lane.id);
                requestAnimationFrame(() =>
                  document.querySelector<HTMLElement>('.board-scroller')?.focus(),
                );
              }}
            >
              ⤓ {t('archiveColumn')}
            </Button>
            <div className="lane-menu-colours">
              <span>{t('columnColour')}</span>
              <ColourChoice
                label={t('columnColour')}
                value={lane.color}
                noColour
                onChange={(color) => {
                  closeMenu();
                  store.getState().setColumnColor(lane.id, color);
                }}
              />
            </div>
          </div>
        </details>
      )}
    </div>
  );
}

function AddCard({
  store,
  columnId,
  title,
}: {
  store: StoreApi<BoardState>;
  columnId: string;
  title: string;
}) {
  const t = useBoardT();
  const { draft, setDraft, submit } = useAddDraft(
    (name) => store.getState().addCard(columnId, name).ok,
  );
  return (
    <form className="add-card" onSubmit={submit} aria-label={`${t('addCard')} — ${title}`}>
      <input
        aria-label={`${t('newCardTitle')} (${title})`}
        placeholder={`+ ${t('addCard')}`}
        value={draft}
        maxLength={BOARD_LIMITS.title}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.stopPropagation();
          setDraft('');
        }}
      />
    </form>
  );
}

export function AddColumn({ store }: { store: StoreApi<BoardState> }) {
  const t = useBoardT();
  const { draft, setDraft, submit } = useAddDraft((name) => store.getState().addColumn(name).ok);
  return (
    <li className="add-column">
      <form onSubmit={submit} aria-label={t('addColumn')}>
        <input
          aria-label={t('columnTitle')}
          placeholder={t('columnTitle')}
          value={draft}
          maxLength={BOARD_LIMITS.title}
          onChange={(e) => setDraft(e.target.value)}
        />
        <Button type="submit" size="small">
          + {t('addColumn')}
        </Button>
      </form>
    </li>
  );
}
