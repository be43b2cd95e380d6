/**
 * A card on the board: labels, title, due date (overdue in red), checklist
 * progress, comment count, assignees' initials, the +1 vote with its live
 * count ("you voted" pressed); a ring and badges in the colour of colleagues
 * viewing, editing or moving it; "moved by Claire" for a few seconds after a
 * colleague moved it. Focused: Enter opens it, Alt+arrows move it, "Move…"
 * opens the move dialog; it can be dragged.
 */
import { memo, type CSSProperties, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { colorFor } from '../../../../../shared/presence.js';
import { useLocale } from '../../../i18n/index.js';
import { selectCardPresence, type BoardPresenceState } from '../../../stores/board-presence.js';
import type { BoardCard, BoardState } from '../../../stores/board-store.js';
import { Button, IconButton } from '../../../ui/Button.js';
import { PresenceChip } from '../../../ui/PresenceChip.js';
import { useBoardT } from './context.js';
import { dueState, formatDue } from './due.js';
import type { MoveKey } from './moves.js';
import type { BoardKey } from './strings.js';

const MOVE_KEYS: readonly string[] = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];
const isMoveKey = (key: string): key is MoveKey => MOVE_KEYS.includes(key);

export const BoardCardTile = memo(function BoardCardTile({
  card,
  store,
  presence,
  readOnly,
  today,
  nameOf,
  selected,
  dragging,
  onDragging,
  onKeyMove,
  onMoveDialog,
}: {
  card: BoardCard;
  store: StoreApi<BoardState>;
  presence: StoreApi<BoardPresenceState>;
  readOnly: boolean;
  today: string;
  nameOf: (id: string) => string | null;
  selected: boolean;
  dragging: boolean;
  onDragging: (cardId: string | null) => void;
  onKeyMove: (card: BoardCard, key: MoveKey) => void;
  onMoveDialog: (card: BoardCard) => void;
}) {
  const t = useBoardT();
  const [locale] = useLocale();
  const around = useStore(presence, selectCardPresence(card.id));
  const movedBy = useStore(store, (s) => s.moves.findLast((m) => m.cardId === card.id) ?? null);
  const labels = useStore(store, (s) => s.board?.labels);
  const title = card.title || t('untitled');
  const due = dueState(card.due, today);
  const done = card.checklist.filter((i) => i.done).length;
  const votes = card.votes.length;
  const open = () => store.getState().openCard(card.id);
  const first = around.dragging[0] ?? around.editing[0]?.peer ?? around.viewing[0] ?? null;
  const onKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget) return;
    if (e.altKey && !readOnly && isMoveKey(e.key)) {
      e.preventDefault();
      onKeyMove(card, e.key);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  };
  const cls = [
    'board-card',
    selected && 'selected',
    dragging && 'dragging',
    first && 'peer-on',
    due === 'overdue' && 'overdue',
    movedBy && 'just-moved',
  ]
    .filter(Boolean)
    .join(' ');
  const peerNames = [
    ...around.dragging.map((p) => t('dragging', { name: p.user.name })),
    ...around.editing.map(({ peer, field }) =>
      t('editing', { name: peer.user.name, field: t(`field_${field}` as BoardKey) }),
    ),
    ...around.viewing.map((p) => t('viewing', { name: p.user.name })),
  ];
  return (
    <li
      className={cls}
      data-card={card.id}
      data-testid="board-card"
      data-title={card.title}
      tabIndex={0}
      aria-label={title}
      aria-describedby={`card-sum-${card.id} board-drag-hint`}
      style={first ? ({ '--peer': first.user.color } as CSSProperties) : undefined}
      draggable={!readOnly}
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('application/x-queuemed-card', card.id);
        e.dataTransfer.setData('text/plain', title);
        onDragging(card.id);
      }}
      onDragEnd={() => onDragging(null)}
      onKeyDown={onKey}
      onClick={(e) => {
        // A click on the card opens it; its buttons (vote, move) do their own thing.
        if (!(e.target as HTMLElement).closest('button, a, input')) open();
      }}
    >
      <span className="sr-only" id={`card-sum-${card.id}`}>
        {[
          due && card.due
            ? `${due === 'overdue' ? `${t('overdue')}, ` : ''}${t('dueOn', { date: formatDue(card.due, today, locale) })}`
            : '',
          card.checklist.length
            ? t('checklistProgress', { done, total: card.checklist.length })
            : '',
          card.commentCount === 1
            ? t('comments1')
            : card.commentCount > 1
              ? t('commentsN', { n: card.commentCount })
              : '',
          card.assignees.length
            ? t('assignedTo', {
                names: card.assignees.map((id) => nameOf(id) ?? t('unknownPerson')).join(', '),
              })
            : '',
          votes ? `+1 × ${votes}${card.votedByMe ? ` (${t('youVoted')})` : ''}` : '',
          ...peerNames,
        ]
          .filter(Boolean)
          .join('. ')}
      </span>
      {peerNames.length > 0 && (
        <span className="card-peers" data-testid="card-peers" title={peerNames.join(' · ')}>
          {[...around.dragging, ...around.editing.map((e) => e.peer), ...around.viewing].map(
            (p) => (
              <PresenceChip key={p.clientId} name={p.user.name} color={p.user.color} />
            ),
          )}
          <span className="sr-only">{peerNames.join(' · ')}</span>
        </span>
      )}
      {card.labels.length > 0 && (
        <span className="card-labels">
          {card.labels.map((id) => {
            const label = labels?.find((l) => l.id === id);
            if (!label) return null;
            return (
              <span
                key={id}
                className="card-label"
                style={{ '--label': label.color } as CSSProperties}
              >
                {label.name}
              </span>
            );
          })}
        </span>
      )}
      <button type="button" className="card-title" tabIndex={-1} onClick={open}>
        {title}
      </button>
      {card.body && <span className="card-excerpt">{card.body}</span>}
      {(around.editing.length > 0 || around.dragging.length > 0) && (
        <span className="card-activity">
          {around.dragging.map((p) => (
            <PresenceChip key={p.clientId} name={p.user.name} color={p.user.color} variant="chip">
              {t('dragging', { name: p.user.name })}
            </PresenceChip>
          ))}
          {around.editing.map(({ peer, field }) => (
            <PresenceChip
              key={peer.clientId}
              name={peer.user.name}
              color={peer.user.color}
              variant="chip"
            >
              {t('editing', { name: peer.user.name, field: t(`field_${field}` as BoardKey) })}
            </PresenceChip>
          ))}
        </span>
      )}
      {movedBy && (
        <span className="moved-by" data-testid="moved-by" role="status">
          {t('movedBy', { name: movedBy.by?.name ?? t('someone') })}
        </span>
      )}
      {(due || card.checklist.length > 0 || card.commentCount > 0) && (
        <span className="card-meta">
          {due && card.due && (
            <span
              className={`due-${due}`}
              data-testid="card-due"
              data-due={due}
              title={t('dueOn', { date: card.due })}
            >
              {due === 'overdue' ? `⚠ ${t('overdue')} · ` : ''}
              {due === 'today' ? `◷ ${t('dueToday')}` : `◷ ${formatDue(card.due, today, locale)}`}
            </span>
          )}
          {card.checklist.length > 0 && (
            <span title={t('checklistProgress', { done, total: card.checklist.length })}>
              ☑ {done}/{card.checklist.length}
            </span>
          )}
          {card.commentCount > 0 && (
            <span
              title={
                card.commentCount === 1 ? t('comments1') : t('commentsN', { n: card.commentCount })
              }
            >
              ✉ {card.commentCount}
            </span>
          )}
        </span>
      )}
      <span className="card-foot">
        <span
          className="card-assignees"
          title={
            card.assignees.length
              ? t('assignedTo', {
                  names: card.assignees.map((id) => nameOf(id) ?? t('unknownPerson')).join(', '),
                })
              : undefined
          }
        >
          {card.assignees.map((id) => (
            <PresenceChip key={id} name={nameOf(id) ?? '?'} color={colorFor(id)} />
          ))}
        </span>
        {!readOnly && (
          <IconButton
            label={t('move')}
            title={t('move')}
            className="card-move"
            onClick={() => onMoveDialog(card)}
          >
            ⇄
          </IconButton>
        )}
        <Button
          size="small"
          variant={card.votedByMe ? 'outline' : 'ghost'}
          className="vote-button"
          aria-pressed={card.votedByMe}
          disabled={readOnly}
          data-testid="vote"
          aria-label={
            card.votedByMe ? t('unvote', { title, n: votes }) : t('voteFor', { title, n: votes })
          }
          title={card.votedByMe ? t('youVoted') : undefined}
          onClick={() => store.getState().toggleVote(card.id)}
        >
          {card.votedByMe ? '✓ +1' : '+1'}{' '}
          <span className="vote-count" data-testid="vote-count">
            {votes}
          </span>
        </Button>
      </span>
    </li>
  );
});
