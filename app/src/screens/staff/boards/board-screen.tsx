/**
 * One board: its columns side by side (scrolling sideways inside the board,
 * never the page), cards with labels, assignees, due date, checklist,
 * comments and +1 votes; add, rename and archive columns; add cards at the
 * bottom of a column (Enter); move cards by drag and drop, by Alt+arrows on
 * a focused card or through the "Move…" dialog, each move announced; the
 * card detail; filters; who is on the board and on which card; undo/redo of
 * our own changes (Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z); read-only when archived.
 *
 * The parts: `board-lane.tsx` (a lane, add card, add column),
 * `board-card.tsx` (a card), `card-detail.tsx`, `move-dialog.tsx`,
 * `board-filters.tsx`, `board-notices.tsx`.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { isClinicId, parseBoardId, type BoardId } from '../../../../../shared/ids.js';
import { CloseCode } from '../../../../../shared/protocol.js';
import { ConnectionLight } from '../../../components/connection-light.js';
import { Link } from '../../../components/router.js';
import { openBoardSession, type BoardSession } from '../../../stores/board-session.js';
import type { BoardCard } from '../../../stores/board-store.js';
import { selectBoardPeople } from '../../../stores/board-presence.js';
import { presenceUser, type ClinicSession } from '../../../stores/clinic-session.js';
import { Button, buttonClass } from '../../../ui/Button.js';
import { Notice } from '../../../ui/Notice.js';
import { PresenceChip } from '../../../ui/PresenceChip.js';
import { StatusPill } from '../../../ui/StatusPill.js';
import { useSession, useSessionStore } from '../context.js';
import { ArchivePanel } from './archive-panel.js';
import { BoardFilters } from './board-filters.js';
import { AddColumn, Lane, type DropTarget } from './board-lane.js';
import { DroppedEditsNotice, ReopeningNotice } from './board-notices.js';
import { CardDetail } from './card-detail.js';
import { useBoardT } from './context.js';
import { localDate } from './due.js';
import { MoveDialog } from './move-dialog.js';
import { dropTarget, keyboardTarget, type MoveKey } from './moves.js';
import { usePeople } from './people.js';
import type { BoardKey } from './strings.js';
import './boards.css';

const parseId = (id: string): BoardId | null => {
  try {
    return parseBoardId(id);
  } catch {
    return null;
  }
};

export function BoardScreen({ clinic, boardId }: { clinic: ClinicSession; boardId: string }) {
  const t = useBoardT();
  const id = parseId(boardId);
  const sessionStore = useSessionStore();
  const user = useSession((s) => s.session?.user);
  const role = useSession((s) => s.session?.clinics.find((c) => c.id === clinic.clinicId)?.role);
  const [board, setBoard] = useState<BoardSession | null>(null);
  const setActivity = useStore(clinic.presence, (s) => s.setActivity);
  useEffect(() => setActivity({ screen: 'boards' }), [setActivity]);
  const userKey = user && role ? `${user.id}|${user.name}|${role}` : '';
  useEffect(() => {
    if (!id || !user || !role || !isClinicId(clinic.clinicId)) return;
    const { http, clock } = sessionStore.getState();
    const s = openBoardSession({
      clinicId: clinic.clinicId,
      boardId: id,
      user: presenceUser(user, role),
      http,
      clock,
      boards: clinic.boards,
    });
    setBoard(s);
    (window as unknown as { __queuemedBoard?: BoardSession }).__queuemedBoard = s;
    return () => {
      setBoard(null);
      s.destroy();
    };
    // the user object is rebuilt on every render; its identity is userKey
  }, [id, userKey, clinic.clinicId, clinic.boards, sessionStore]);
  if (!id)
    return (
      <main className="page board-page" id="main">
        <Notice tone="warning">{t('boardNotFound')}</Notice>
        <BackLink clinicId={clinic.clinicId} />
      </main>
    );
  if (!board)
    return (
      <main className="page board-page" id="main" aria-busy="true">
        <p className="muted">{t('boardLoading')}</p>
      </main>
    );
  return <BoardBody clinic={clinic} session={board} />;
}

function BackLink({ clinicId }: { clinicId: string }) {
  const t = useBoardT();
  return (
    <Link to={`/c/${clinicId}/boards`} className="back-link">
      ← {t('backToBoards')}
    </Link>
  );
}

/** The board as a spreadsheet, meeting minutes or data (the server's export, a download); Escape closes it. */
function ExportMenu({ clinicId, boardId }: { clinicId: string; boardId: string }) {
  const t = useBoardT();
  const base = `/api/clinics/${clinicId}/boards/${boardId}/export?format=`;
  return (
    <details
      className="board-export"
      onKeyDown={(e) => {
        const menu = e.currentTarget;
        if (e.key !== 'Escape' || !menu.open) return;
        e.stopPropagation();
        menu.open = false;
        menu.querySelector('summary')?.focus();
      }}
    >
      <summary className={buttonClass({ variant: 'ghost', size: 'small' })}>{t('export')}</summary>
      <ul>
        {(['csv', 'md', 'json'] as const).map((f) => (
          <li key={f}>
            <a href={base + f} download>
              {t(`export_${f}`)}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}

function BoardBody({ clinic, session }: { clinic: ClinicSession; session: BoardSession }) {
  const t = useBoardT();
  const store = session.board;
  const ready = useStore(store, (s) => s.ready);
  const view = useStore(store, (s) => s.board);
  const lanes = useStore(store, (s) => s.lanes);
  const readOnly = useStore(store, (s) => s.readOnly);
  const canUndo = useStore(store, (s) => s.canUndo);
  const canRedo = useStore(store, (s) => s.canRedo);
  const detail = useStore(store, (s) => s.detail);
  // The relay refuses a board that does not exist or is another clinic's.
  const refused = useStore(session.connection, (s) => {
    const code = s.closedCode;
    return code === CloseCode.forbidden || code === CloseCode.badDocName;
  });
  const onBoard = useStore(session.presence, selectBoardPeople);
  const listed = useStore(clinic.boards, (s) => s.find(session.boardId));
  const { people, nameOf } = usePeople(clinic, session.presence);
  // The clinic's tick (every 15 s on the server-corrected clock) says which day it is.
  const tick = useStore(clinic.queue, (s) => s.now);
  const now = tick || clinic.clock.now();
  const today = localDate(now);
  const [announce, setAnnounce] = useState('');
  const [moving, setMoving] = useState<BoardCard | null>(null);
  const [showArchive, setShowArchive] = useState(false);
  const [dragging, setDragging] = useState<string | null>(null);
  const setActivity = useStore(session.presence, (s) => s.setActivity);
  const liveRef = useRef<HTMLDivElement>(null);

  const allLanes = view?.lanes ?? [];
  const columns = useMemo(() => allLanes.filter((l) => l.id !== 'unsorted'), [allLanes]);

  const say = useCallback((text: string) => {
    // the same sentence twice must be read twice
    setAnnounce('');
    requestAnimationFrame(() => setAnnounce(text));
  }, []);

  /** Moves a card to `columnId` at `index` (among the lane's cards without it), and says so. */
  const moveTo = useCallback(
    (card: BoardCard, columnId: string, index: number, focus = false) => {
      const r = store.getState().moveCard(card.id, columnId, index);
      if (!r.ok) return;
      const lane = store.getState().board?.lanes.find((l) => l.id === columnId);
      const at = lane ? lane.cards.findIndex((c) => c.id === card.id) : index;
      say(
        t('movedAnnounce', {
          title: card.title || t('untitled'),
          column: lane?.title ?? '',
          n: at + 1,
          total: lane?.cards.length ?? at + 1,
        }),
      );
      if (focus)
        requestAnimationFrame(() =>
          document.querySelector<HTMLElement>(`[data-card="${card.id}"]`)?.focus(),
        );
    },
    [store, say, t],
  );

  /** Alt+←/→: the next column (same position, or the end); Alt+↑/↓: one place; at an edge, said so. */
  const keyMove = useCallback(
    (card: BoardCard, key: MoveKey) => {
      const target = keyboardTarget(store.getState().board?.lanes ?? [], card.id, key);
      if (target) moveTo(card, target.columnId, target.index, true);
      else say(t('moveNowhere', { title: card.title || t('untitled') }));
    },
    [store, moveTo, say, t],
  );

  const drop = useCallback(
    (cardId: string, where: DropTarget) => {
      const lanesNow = store.getState().board?.lanes ?? [];
      const target = dropTarget(lanesNow, cardId, where.laneId, where.before);
      const card = lanesNow.flatMap((l) => l.cards).find((c) => c.id === cardId);
      if (target && card) moveTo(card, target.columnId, target.index);
    },
    [store, moveTo],
  );

  // Undo/redo of our own changes; an ordinary input keeps its own Ctrl+Z.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z' || e.altKey) return;
      const el = e.target as HTMLElement | null;
      const field = el?.closest('input, textarea, select');
      if (field && !field.hasAttribute('data-ytext')) return;
      e.preventDefault();
      if (e.shiftKey) store.getState().redo();
      else store.getState().undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // What we are doing on the board: the open card (viewing), a drag.
  useEffect(() => {
    setActivity({ cardId: detail?.card.id ?? null });
  }, [detail?.card.id, setActivity]);
  // The open card stays in sight beside the detail: its lane scrolls into the board's view.
  const openId = detail?.card.id ?? null;
  useEffect(() => {
    if (!openId) return;
    const frame = requestAnimationFrame(() =>
      document
        .querySelector(`[data-card="${openId}"][data-testid="board-card"]`)
        ?.scrollIntoView({ block: 'nearest', inline: 'nearest' }),
    );
    return () => cancelAnimationFrame(frame);
  }, [openId]);
  useEffect(() => {
    if (dragging) setActivity({ cardId: dragging, dragging: true });
    else setActivity({ cardId: store.getState().detail?.card.id ?? null, dragging: false });
  }, [dragging, setActivity, store]);

  if (!ready || !view)
    return (
      <main className="page board-page" id="main" aria-busy={!refused}>
        <BackLink clinicId={clinic.clinicId} />
        {refused ? (
          <Notice tone="warning" testId="board-not-found">
            {t('boardNotFound')}
          </Notice>
        ) : (
          <p className="muted">{t('boardLoading')}</p>
        )}
      </main>
    );
  const archivedCount = view.archivedCards.length + view.archivedColumns.length;
  const title = view.meta.title || listed?.title || '';
  return (
    <main className="page board-page" id="main" data-board={session.boardId}>
      <div className="board-head">
        <div className="board-title-block">
          <BackLink clinicId={clinic.clinicId} />
          <h1>{title}</h1>
          {view.meta.template && (
            <StatusPill tone="info">{t(`template_${view.meta.template}` as BoardKey)}</StatusPill>
          )}
          {readOnly && (
            <StatusPill tone="warning" testId="board-archived">
              {t('archivedFlag')}
            </StatusPill>
          )}
        </div>
        <div className="board-tools">
          <ul className="board-people" aria-label={t('onBoard')} data-testid="board-people">
            {onBoard.map((p) => (
              <li key={p.user.id} title={p.user.name} data-user={p.user.id}>
                <PresenceChip name={p.user.name} color={p.user.color} stale={p.stale} />
                <span className="sr-only">{p.user.name}</span>
              </li>
            ))}
          </ul>
          {!readOnly && (
            <>
              <Button
                variant="ghost"
                size="small"
                disabled={!canUndo}
                title={t('undoHint')}
                onClick={() => store.getState().undo()}
              >
                ↶ {t('undoAction')}
              </Button>
              <Button
                variant="ghost"
                size="small"
                disabled={!canRedo}
                title={t('redoHint')}
                onClick={() => store.getState().redo()}
              >
                ↷ {t('redoAction')}
              </Button>
            </>
          )}
          <Button
            variant="ghost"
            size="small"
            aria-expanded={showArchive}
            onClick={() => setShowArchive((v) => !v)}
          >
            {showArchive ? t('hideArchived') : t('showArchived', { n: archivedCount })}
          </Button>
          <ExportMenu clinicId={clinic.clinicId} boardId={session.boardId} />
          <ConnectionLight store={session.connection} />
        </div>
      </div>
      <div className="board-notices">
        {readOnly && (
          <Notice tone="warning" variant="bar" testId="board-read-only" role="status">
            {t('readOnly')}
          </Notice>
        )}
        <ReopeningNotice store={store} />
        <DroppedEditsNotice store={store} />
      </div>
      <BoardFilters store={store} people={people} labels={view.labels} />
      {showArchive && <ArchivePanel store={store} readOnly={readOnly} />}
      <div className="board-main">
        <div className="board-scroller" role="region" aria-label={t('columns')} tabIndex={-1}>
          <p className="sr-only" id="board-drag-hint">
            {t('dragHint')}
          </p>
          <ol className="lanes">
            {lanes.map((lane) => (
              <Lane
                key={lane.id}
                lane={lane}
                store={store}
                presence={session.presence}
                readOnly={readOnly}
                today={today}
                nameOf={nameOf}
                dragging={dragging}
                onDragging={setDragging}
                onDrop={drop}
                onKeyMove={keyMove}
                onMoveDialog={setMoving}
                selected={detail?.card.id ?? null}
                position={view.columns.findIndex((c) => c.id === lane.id)}
                columnCount={view.columns.length}
              />
            ))}
            {!readOnly && <AddColumn store={store} />}
          </ol>
        </div>
        {detail && (
          <CardDetail
            key={detail.card.id}
            store={store}
            presence={session.presence}
            card={detail.card}
            comments={detail.comments}
            columns={columns}
            labels={view.labels}
            people={people}
            nameOf={nameOf}
            readOnly={readOnly}
            today={today}
            onMove={() => setMoving(detail.card)}
          />
        )}
      </div>
      {moving && (
        <MoveDialog
          card={moving}
          lanes={allLanes}
          onMove={(col, index) => moveTo(moving, col, index)}
          onClose={() => setMoving(null)}
        />
      )}
      <div className="sr-only" aria-live="polite" ref={liveRef} data-testid="board-live">
        {announce}
      </div>
    </main>
  );
}
