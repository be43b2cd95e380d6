/**
 * The clinic's boards: create one from a template (each with a line saying
 * what it is for), open, rename, archive; archived boards are listed apart,
 * flagged, and can be restored. The list is the staff doc's mirror of the
 * server's boards, so it reads offline; changes go through the HTTP API and
 * wait for the network.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import {
  BOARD_LIMITS,
  BOARD_TEMPLATES,
  type BoardTemplate,
} from '../../../../../shared/board/index.js';
import { Link, navigate } from '../../../components/router.js';
import { useLocale } from '../../../i18n/index.js';
import type { BoardSummary, BoardsListResult } from '../../../stores/boards-list.js';
import type { ClinicSession } from '../../../stores/clinic-session.js';
import { Button } from '../../../ui/Button.js';
import { Card } from '../../../ui/Card.js';
import { Field } from '../../../ui/Field.js';
import { Notice } from '../../../ui/Notice.js';
import { StatusPill } from '../../../ui/StatusPill.js';
import { useBoardT } from './context.js';
import type { BoardKey } from './strings.js';
import './boards.css';

export function BoardsListScreen({ clinic }: { clinic: ClinicSession }) {
  const t = useBoardT();
  const setActivity = useStore(clinic.presence, (s) => s.setActivity);
  useEffect(() => setActivity({ screen: 'boards' }), [setActivity]);
  const active = useStore(clinic.boards, (s) => s.boards);
  const archived = useStore(clinic.boards, (s) => s.archived);
  // Changes go through HTTP: only a known cut (the browser says offline) holds them back.
  const online = useStore(clinic.connection, (s) => s.status !== 'offline');
  const [error, setError] = useState<string | null>(null);
  const run: Run = async (action) => {
    setError(null);
    const r = await action();
    if (!r.ok)
      setError(r.code === 'network' ? t('listOffline') : t('actionFailed', { message: r.code }));
    return r.ok ? r.board : null;
  };
  return (
    <main className="page boards-list" id="main">
      <div className="page-head">
        <div>
          <h1>{t('boards')}</h1>
          <p className="muted boards-hint">{t('boardsHint')}</p>
        </div>
      </div>
      {!online && (
        <Notice tone="info" variant="bar" testId="boards-offline">
          {t('listOffline')}
        </Notice>
      )}
      {error && (
        <Notice tone="danger" onClose={() => setError(null)} closeLabel={t('close')}>
          {error}
        </Notice>
      )}
      <div className="boards-list-grid">
        <NewBoardCard clinic={clinic} disabled={!online} run={run} />
        <div className="boards-columns">
          <BoardTiles boards={active} clinic={clinic} online={online} run={run} />
          <BoardTiles boards={archived} archived clinic={clinic} online={online} run={run} />
        </div>
      </div>
    </main>
  );
}

type Run = (action: () => Promise<BoardsListResult>) => Promise<BoardSummary | null>;

/** The active or the archived boards, as tiles; a line when there are none. */
function BoardTiles({
  boards,
  archived = false,
  clinic,
  online,
  run,
}: {
  boards: readonly BoardSummary[];
  archived?: boolean;
  clinic: ClinicSession;
  online: boolean;
  run: Run;
}) {
  const t = useBoardT();
  return (
    <Card
      title={archived ? t('archivedBoards') : t('activeBoards')}
      count={boards.length}
      data-testid={archived ? 'archived-boards' : 'active-boards'}
    >
      {boards.length === 0 ? (
        <p className="empty">{archived ? t('noArchivedBoards') : t('noBoards')}</p>
      ) : (
        <ul className={archived ? 'board-tiles board-tiles-archived' : 'board-tiles'}>
          {boards.map((b) => (
            <BoardTile key={b.id} clinic={clinic} board={b} online={online} run={run} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function NewBoardCard({
  clinic,
  disabled,
  run,
}: {
  clinic: ClinicSession;
  disabled: boolean;
  run: Run;
}) {
  const t = useBoardT();
  const [title, setTitle] = useState('');
  const [template, setTemplate] = useState<BoardTemplate>('huddle');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = title.trim();
    if (!name) return setMissing(true);
    setBusy(true);
    const created = await run(() => clinic.boards.getState().create({ title: name, template }));
    setBusy(false);
    if (created) {
      setTitle('');
      navigate(`/c/${clinic.clinicId}/boards/${created.id}`);
    }
  };
  return (
    <Card title={t('newBoard')} className="new-board">
      <form className="stack" aria-label={t('newBoard')} onSubmit={(e) => void submit(e)}>
        <Field label={t('boardTitle')} error={missing ? t('boardTitleRequired') : undefined}>
          <input
            value={title}
            maxLength={BOARD_LIMITS.title}
            onChange={(e) => {
              setTitle(e.target.value);
              setMissing(false);
            }}
          />
        </Field>
        <fieldset className="template-choice">
          <legend>{t('template')}</legend>
          {BOARD_TEMPLATES.map((tpl) => (
            <label key={tpl} className="template-option">
              <input
                type="radio"
                name="template"
                value={tpl}
                checked={template === tpl}
                onChange={() => setTemplate(tpl)}
              />
              <span className="template-text">
                <strong>{t(`template_${tpl}` as BoardKey)}</strong>
                <span className="muted">{t(`template_${tpl}_hint` as BoardKey)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <Button type="submit" variant="primary" disabled={disabled || busy}>
          {busy ? t('creating') : t('create')}
        </Button>
      </form>
    </Card>
  );
}

/**
 * The board whose tile we archived or restored: the tile moves to the other
 * list (a new element, whenever the clinic's mirror says so), and the focus
 * follows it to its Restore or Archive button.
 */
let followTile: string | null = null;

function BoardTile({
  clinic,
  board,
  online,
  run,
}: {
  clinic: ClinicSession;
  board: BoardSummary;
  online: boolean;
  run: Run;
}) {
  const t = useBoardT();
  const [locale] = useLocale();
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(board.title);
  const tile = useRef<HTMLLIElement>(null);
  const focusAction = (action: 'rename' | 'archive') =>
    tile.current?.querySelector<HTMLElement>(`[data-action="${action}"]`)?.focus();
  useEffect(() => {
    if (followTile !== board.id) return;
    followTile = null;
    focusAction('archive');
  }, [board.id, board.archived]);
  // Renaming over (saved, cancelled, Escape): back to its Rename button, not to the page.
  const wasRenaming = useRef(false);
  useEffect(() => {
    if (wasRenaming.current && !renaming) focusAction('rename');
    wasRenaming.current = renaming;
  }, [renaming]);
  const href = `/c/${clinic.clinicId}/boards/${board.id}`;
  const store = clinic.boards.getState;
  const date = new Date(board.createdAt).toLocaleDateString(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const rename = async (e: FormEvent) => {
    e.preventDefault();
    const name = draft.trim();
    if (!name || name === board.title) return setRenaming(false);
    if (await run(() => store().rename(board.id, name))) setRenaming(false);
  };
  return (
    <li
      className={board.archived ? 'board-tile archived' : 'board-tile'}
      ref={tile}
      data-board={board.id}
      data-testid="board-tile"
    >
      {renaming ? (
        <form className="inline-form board-rename" onSubmit={(e) => void rename(e)}>
          <Field label={t('boardTitle')} grow>
            <input
              value={draft}
              maxLength={BOARD_LIMITS.title}
              autoFocus
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(false)}
            />
          </Field>
          <Button type="submit" variant="primary" size="small" disabled={!online}>
            {t('save')}
          </Button>
          <Button size="small" variant="ghost" onClick={() => setRenaming(false)}>
            {t('cancel')}
          </Button>
        </form>
      ) : (
        <div className="board-tile-head">
          <Link to={href} className="board-tile-title">
            {board.title}
          </Link>
          {board.archived && (
            <StatusPill tone="warning" testId="board-archived">
              {t('archivedFlag')}
            </StatusPill>
          )}
        </div>
      )}
      <div className="board-tile-meta muted">
        <span>{t(`template_${board.template}` as BoardKey)}</span>
        <span aria-hidden="true">·</span>
        <span>{t('createdOn', { date })}</span>
      </div>
      {!renaming && (
        <div className="board-tile-actions">
          <Button size="small" variant="outline" onClick={() => navigate(href)}>
            {t('open')}
            <span className="sr-only"> {board.title}</span>
          </Button>
          {!board.archived && (
            <Button
              size="small"
              variant="ghost"
              disabled={!online}
              data-action="rename"
              onClick={() => {
                setDraft(board.title);
                setRenaming(true);
              }}
            >
              {t('rename')}
              <span className="sr-only"> {board.title}</span>
            </Button>
          )}
          <Button
            size="small"
            variant="ghost"
            disabled={!online}
            data-action="archive"
            onClick={() => {
              followTile = board.id;
              void run(() => store().setArchived(board.id, !board.archived)).then((ok) => {
                if (!ok && followTile === board.id) followTile = null;
              });
            }}
          >
            {board.archived ? t('restore') : t('archive')}
            <span className="sr-only"> {board.title}</span>
          </Button>
        </div>
      )}
    </li>
  );
}
