/**
 * The card detail, a side panel beside the board: title and description
 * typed together with colleagues (bound to the card's Y.Text, the caret kept
 * when their edits arrive), assignees, labels, due date, checklist (add,
 * tick, edit, reorder, remove), comments with author and time, move,
 * archive and restore. A gentle notice when the text looks like a patient's
 * identifiers. Escape or × closes it.
 */
import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type FormEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import {
  BOARD_LIMITS,
  patientIdentifierHints,
  type IdentifierHint,
} from '../../../../../shared/board/index.js';
import { colorFor } from '../../../../../shared/presence.js';
import { useLocale } from '../../../i18n/index.js';
import {
  selectCardPresence,
  type BoardField,
  type BoardPresenceState,
} from '../../../stores/board-presence.js';
import type {
  BoardCard,
  BoardComment,
  BoardLane,
  BoardState,
  BoardView,
  CardTextField,
} from '../../../stores/board-store.js';
import { Button, IconButton } from '../../../ui/Button.js';
import { Field } from '../../../ui/Field.js';
import { Notice } from '../../../ui/Notice.js';
import { PresenceChip } from '../../../ui/PresenceChip.js';
import { useSession } from '../context.js';
import { useAddDraft, type AddDraft } from './add-draft.js';
import { BOARD_COLOURS, ColourChoice } from './colours.js';
import { useBoardT } from './context.js';
import type { Person } from './people.js';
import type { BoardKey } from './strings.js';
import { useTextBinding } from './text-binding.js';

export function CardDetail({
  store,
  presence,
  card,
  comments,
  columns,
  labels,
  people,
  nameOf,
  readOnly,
  onMove,
}: {
  store: StoreApi<BoardState>;
  presence: StoreApi<BoardPresenceState>;
  card: BoardCard;
  comments: readonly BoardComment[];
  columns: readonly BoardLane[];
  labels: BoardView['labels'];
  people: readonly Person[];
  nameOf: (id: string) => string | null;
  readOnly: boolean;
  today: string;
  onMove: () => void;
}) {
  const t = useBoardT();
  const [locale] = useLocale();
  const viewer = useSession((x) => x.session?.user.id);
  const s = store.getState;
  // Back to the card it was opened from, for the keyboard.
  // Once archived, the card is gone from its lane: the card after it, or before it, or the lane's field.
  const close = (archiving = false) => {
    const tile = document.querySelector<HTMLElement>(
      `[data-card="${card.id}"][data-testid="board-card"]`,
    );
    const sibling = (el: Element | null | undefined) =>
      el?.matches('[data-testid="board-card"]') ? el.getAttribute('data-card') : null;
    const next = archiving
      ? (sibling(tile?.nextElementSibling) ?? sibling(tile?.previousElementSibling))
      : card.id;
    const laneId = tile?.closest('[data-lane]')?.getAttribute('data-lane');
    s().openCard(null);
    requestAnimationFrame(() =>
      (
        document.querySelector<HTMLElement>(`[data-card="${next}"][data-testid="board-card"]`) ??
        document.querySelector<HTMLElement>(`[data-lane="${laneId}"] .add-card input`) ??
        document.querySelector<HTMLElement>('.board-scroller')
      )?.focus(),
    );
  };
  const panel = useRef<HTMLElement>(null);
  const closeRef = useRef(close);
  closeRef.current = close;
  const around = useStore(presence, selectCardPresence(card.id));
  const setActivity = useStore(presence, (p) => p.setActivity);
  const editing = (field: BoardField | null) => setActivity({ cardId: card.id, field });
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('.card-detail-close')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [s]);
  const hints = useMemo(() => {
    const all = new Set<IdentifierHint>();
    for (const text of [card.title, card.body, ...comments.map((c) => c.text)])
      for (const h of patientIdentifierHints(text)) all.add(h);
    return [...all];
  }, [card.title, card.body, comments]);
  const column = columns.find((c) => c.id === card.column);
  const archived = card.archivedAt !== undefined && card.archivedAt !== null;
  const headId = `card-detail-${card.id}`;
  const peers = [
    ...around.dragging.map((p) => ({ p, text: t('dragging', { name: p.user.name }) })),
    ...around.editing.map(({ peer, field }) => ({
      p: peer,
      text: t('editing', { name: peer.user.name, field: t(`field_${field}` as BoardKey) }),
    })),
    ...around.viewing.map((p) => ({ p, text: t('viewing', { name: p.user.name }) })),
  ];
  const when = (at: number) =>
    new Date(at).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  return (
    <aside
      className="card-detail"
      role="dialog"
      aria-modal="false"
      aria-labelledby={headId}
      ref={panel}
      data-testid="card-detail"
      data-card={card.id}
    >
      <div className="card-detail-head">
        <div>
          <h2 id={headId} className="sr-only">
            {t('cardDetail')} — {card.title || t('untitled')}
          </h2>
          <span className="muted">
            {column ? t('inColumn', { column: column.title }) : t('unsorted')}
          </span>
        </div>
        <IconButton label={t('close')} className="card-detail-close" onClick={() => close()}>
          ×
        </IconButton>
      </div>
      {peers.length > 0 && (
        <div className="detail-peers" data-testid="detail-peers">
          {peers.map(({ p, text }) => (
            <PresenceChip
              key={p.clientId}
              name={p.user.name}
              color={p.user.color}
              variant="chip"
              title={text}
            >
              {text}
            </PresenceChip>
          ))}
        </div>
      )}
      <PrivacyHint hints={hints} testId="privacy-hint" title={t('privacyTitle')} />
      {archived && (
        <Notice tone="warning" variant="bar" role="status">
          {t('cardArchived')}
        </Notice>
      )}
      <BoundText
        store={store}
        cardId={card.id}
        field="title"
        label={t('cardTitle')}
        readOnly={readOnly}
        rows={2}
        onEditing={editing}
      />
      <BoundText
        store={store}
        cardId={card.id}
        field="body"
        label={t('cardBody')}
        readOnly={readOnly}
        rows={5}
        placeholder={t('cardBodyPlaceholder')}
        onEditing={editing}
      />
      <section>
        <h3>{t('assignees')}</h3>
        <div className="detail-row">
          {people.map((p) => {
            const on = card.assignees.includes(p.id);
            return (
              <ToggleChip
                key={p.id}
                on={on}
                variant={on ? 'outline' : 'ghost'}
                readOnly={readOnly}
                onToggle={() => s().toggleAssignee(card.id, p.id)}
              >
                <PresenceChip name={p.name} color={p.color} /> {p.name}
              </ToggleChip>
            );
          })}
          {card.assignees
            .filter((id) => !people.some((p) => p.id === id))
            .map((id) => (
              <Button
                key={id}
                size="small"
                variant="outline"
                aria-pressed
                disabled={readOnly}
                onClick={() => s().toggleAssignee(card.id, id)}
              >
                <PresenceChip name={nameOf(id) ?? '?'} color={colorFor(id)} />{' '}
                {nameOf(id) ?? t('unknownPerson')}
              </Button>
            ))}
        </div>
      </section>
      <LabelsSection store={store} card={card} labels={labels} readOnly={readOnly} />
      <section>
        <h3>{t('dueDate')}</h3>
        <div className="detail-row">
          <input
            type="date"
            className="board-card-input board-date"
            aria-label={t('dueDate')}
            value={card.due ?? ''}
            disabled={readOnly}
            onChange={(e) => s().setDue(card.id, e.target.value || null)}
          />
          {card.due && !readOnly && (
            <Button size="small" variant="ghost" onClick={() => s().setDue(card.id, null)}>
              {t('clearDue')}
            </Button>
          )}
        </div>
      </section>
      <Checklist store={store} card={card} readOnly={readOnly} onEditing={editing} />
      <section>
        <h3>{t('comments')}</h3>
        {comments.length === 0 ? (
          <p className="muted">{t('noComments')}</p>
        ) : (
          <ul className="comments" data-testid="comments">
            {comments.map((c) => (
              <Comment
                key={c.id}
                store={store}
                comment={c}
                author={nameOf(c.author) ?? t('unknownPerson')}
                mine={c.author === viewer}
                readOnly={readOnly}
                when={when}
              />
            ))}
          </ul>
        )}
        {!readOnly && <CommentForm store={store} cardId={card.id} onEditing={editing} />}
      </section>
      {!readOnly && (
        <div className="detail-row">
          {!archived && (
            <Button size="small" onClick={onMove}>
              {t('move')}
            </Button>
          )}
          {archived ? (
            <Button size="small" variant="outline" onClick={() => s().restoreCard(card.id)}>
              {t('restoreCard')}
            </Button>
          ) : (
            <Button
              size="small"
              variant="danger"
              onClick={() => {
                close(true);
                s().archiveCard(card.id);
              }}
            >
              {t('archiveCard')}
            </Button>
          )}
        </div>
      )}
    </aside>
  );
}

/** A textarea typed together with colleagues: the card's Y.Text, edited in the store's transactions. */
function BoundText({
  store,
  cardId,
  field,
  label,
  readOnly,
  rows,
  placeholder,
  onEditing,
}: {
  store: StoreApi<BoardState>;
  cardId: string;
  field: CardTextField;
  label: string;
  readOnly: boolean;
  rows: number;
  placeholder?: string;
  onEditing: (field: BoardField | null) => void;
}) {
  // After a reopening (4422, archive, restore) the store follows a new doc: a new `textOf`.
  const textOf = useStore(store, (s) => s.textOf);
  const text = useMemo(() => textOf(cardId, field), [textOf, cardId, field]);
  const binding = useTextBinding<HTMLTextAreaElement>(text, (apply) => {
    store.getState().editText(cardId, field, apply);
  });
  return (
    <Field label={label}>
      <textarea
        ref={binding.ref}
        className={field === 'title' ? 'title-input' : undefined}
        defaultValue={binding.defaultValue}
        onInput={binding.onInput}
        data-ytext={field}
        rows={rows}
        placeholder={placeholder}
        readOnly={readOnly}
        onFocus={() => !readOnly && onEditing(field)}
        onBlur={() => onEditing(null)}
        onKeyDown={(e) => {
          // Enter ends the title; the description takes new lines.
          if (field === 'title' && e.key === 'Enter') {
            e.preventDefault();
            e.currentTarget.blur();
          }
        }}
      />
    </Field>
  );
}

/** A person or label on the card, pressed when on; read-only, only those that are on. */
function ToggleChip({
  on,
  variant,
  readOnly,
  onToggle,
  children,
}: {
  on: boolean;
  variant: 'outline' | 'ghost';
  readOnly: boolean;
  onToggle: () => void;
  children: ReactNode;
}) {
  if (readOnly && !on) return null;
  return (
    <Button
      size="small"
      variant={variant}
      className="toggle-chip"
      aria-pressed={on}
      disabled={readOnly}
      onClick={onToggle}
    >
      {children}
    </Button>
  );
}

/** The gentle notice when a text looks like a patient's identifiers (nothing is blocked). */
function PrivacyHint({
  hints,
  testId,
  title,
}: {
  hints: readonly IdentifierHint[];
  testId: string;
  title?: string;
}) {
  const t = useBoardT();
  if (hints.length === 0) return null;
  return (
    <Notice tone="info" variant="bar" role="status" testId={testId} title={title}>
      {t('privacyBody', {
        what: hints.map((h) => t(`hint_${h}` as BoardKey)).join(t('and')),
      })}
    </Notice>
  );
}

function LabelsSection({
  store,
  card,
  labels,
  readOnly,
}: {
  store: StoreApi<BoardState>;
  card: BoardCard;
  labels: BoardView['labels'];
  readOnly: boolean;
}) {
  const t = useBoardT();
  const [colour, setColour] = useState(BOARD_COLOURS[0]!.value);
  const [renaming, setRenaming] = useState(false);
  // Kept here: what was typed survives renaming the labels.
  const newLabel = useAddDraft((name) => {
    const r = store.getState().addLabel(name, colour);
    if (r.ok) store.getState().toggleCardLabel(card.id, r.id);
    return r.ok;
  });
  return (
    <section>
      <h3>{t('labels')}</h3>
      {renaming ? (
        <LabelNames store={store} labels={labels} onDone={() => setRenaming(false)} />
      ) : (
        <div className="detail-row">
          {labels.map((l) => (
            <ToggleChip
              key={l.id}
              on={card.labels.includes(l.id)}
              variant="ghost"
              readOnly={readOnly}
              onToggle={() => store.getState().toggleCardLabel(card.id, l.id)}
            >
              <span className="card-label" style={{ '--label': l.color } as CSSProperties}>
                {l.name}
              </span>
            </ToggleChip>
          ))}
          {!readOnly && labels.length > 0 && (
            <Button size="small" variant="link" onClick={() => setRenaming(true)}>
              ✎ {t('renameLabels')}
            </Button>
          )}
        </div>
      )}
      {!readOnly && !renaming && (
        <InlineAdd
          label={t('newLabel')}
          button={t('addLabel')}
          maxLength={BOARD_LIMITS.labelName}
          draft={newLabel}
        >
          <ColourChoice
            label={t('labelColour')}
            value={colour}
            onChange={(c) => c && setColour(c)}
          />
        </InlineAdd>
      )}
    </section>
  );
}

/** A field and its Add button on one line (what goes between them: `children`). */
function InlineAdd({
  label,
  button,
  maxLength,
  draft: { draft, setDraft, submit },
  children,
}: {
  label: string;
  button: string;
  maxLength: number;
  draft: AddDraft;
  children?: ReactNode;
}) {
  return (
    <form className="inline-form" onSubmit={submit}>
      <Field label={label} grow>
        <input value={draft} maxLength={maxLength} onChange={(e) => setDraft(e.target.value)} />
      </Field>
      {children}
      <Button type="submit" size="small">
        {button}
      </Button>
    </form>
  );
}

/** Every label's name in a field: written on Enter or when leaving the field, Escape puts it back. */
function LabelNames({
  store,
  labels,
  onDone,
}: {
  store: StoreApi<BoardState>;
  labels: BoardView['labels'];
  onDone: () => void;
}) {
  const t = useBoardT();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="label-names" data-testid="label-names">
      <ul>
        {labels.map((l, i) => (
          <li key={l.id}>
            <span
              className="label-dot"
              aria-hidden="true"
              style={{ '--label': l.color } as CSSProperties}
            />
            <DraftInput
              inputRef={i === 0 ? first : undefined}
              value={l.name}
              label={t('renameLabel', { name: l.name })}
              maxLength={BOARD_LIMITS.labelName}
              onCommit={(draft) => {
                const name = draft.trim();
                if (name && name !== l.name) store.getState().renameLabel(l.id, name);
              }}
            />
          </li>
        ))}
      </ul>
      <Button size="small" onClick={onDone}>
        {t('doneRenaming')}
      </Button>
    </div>
  );
}

function Checklist({
  store,
  card,
  readOnly,
  onEditing,
}: {
  store: StoreApi<BoardState>;
  card: BoardCard;
  readOnly: boolean;
  onEditing: (field: BoardField | null) => void;
}) {
  const t = useBoardT();
  const s = store.getState;
  const items = card.checklist;
  const newItem = useAddDraft((text) => s().addChecklistItem(card.id, text).ok);
  const done = items.filter((i) => i.done).length;
  return (
    <section>
      <h3>
        {t('checklist')} {items.length > 0 && `· ${done}/${items.length}`}
      </h3>
      <ul className="checklist" data-testid="checklist">
        {items.map((item, i) => (
          <li key={item.id} className={item.done ? 'done' : undefined}>
            <input
              type="checkbox"
              checked={item.done}
              disabled={readOnly}
              aria-label={item.text}
              onChange={() => s().toggleChecklistItem(card.id, item.id)}
            />
            <DraftInput
              value={item.text}
              readOnly={readOnly}
              label={`${t('itemText')}: ${item.text}`}
              onFocus={() => onEditing('checklist')}
              onCommit={(text) => {
                onEditing(null);
                if (text.trim() && text !== item.text)
                  s().setChecklistItemText(card.id, item.id, text.trim());
              }}
            />
            {!readOnly && (
              <>
                <IconButton
                  label={t('moveItemUp', { text: item.text })}
                  disabled={i === 0}
                  onClick={() => s().moveChecklistItem(card.id, item.id, i - 1)}
                >
                  ↑
                </IconButton>
                <IconButton
                  label={t('moveItemDown', { text: item.text })}
                  disabled={i === items.length - 1}
                  onClick={() => s().moveChecklistItem(card.id, item.id, i + 1)}
                >
                  ↓
                </IconButton>
                <IconButton
                  label={t('removeItem', { text: item.text })}
                  onClick={() => s().removeChecklistItem(card.id, item.id)}
                >
                  ×
                </IconButton>
              </>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <InlineAdd
          label={t('newItem')}
          button={t('addItem')}
          maxLength={BOARD_LIMITS.title}
          draft={newItem}
        />
      )}
    </section>
  );
}

/**
 * A one-line name or text edited as a draft: written on Enter or when
 * leaving the field (`onCommit` gets the draft), put back on Escape.
 */
function DraftInput({
  value,
  label,
  maxLength,
  readOnly = false,
  inputRef,
  onFocus,
  onCommit,
}: {
  value: string;
  label: string;
  maxLength?: number;
  readOnly?: boolean;
  inputRef?: Ref<HTMLInputElement> | undefined;
  onFocus?: () => void;
  onCommit: (draft: string) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      ref={inputRef}
      type="text"
      className="board-card-input"
      aria-label={label}
      value={draft ?? value}
      maxLength={maxLength}
      readOnly={readOnly}
      onFocus={() => {
        setDraft(value);
        onFocus?.();
      }}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          e.stopPropagation();
          setDraft(value);
          // React clears currentTarget once the handler returns: keep the element.
          const el = e.currentTarget;
          requestAnimationFrame(() => el.blur());
        }
      }}
      onBlur={() => {
        if (draft !== null) onCommit(draft);
        setDraft(null);
      }}
    />
  );
}

/** A comment: author and time; its author may edit it (marked as edited). */
function Comment({
  store,
  comment,
  author,
  mine,
  readOnly,
  when,
}: {
  store: StoreApi<BoardState>;
  comment: BoardComment;
  author: string;
  mine: boolean;
  readOnly: boolean;
  when: (at: number) => string;
}) {
  const t = useBoardT();
  const [draft, setDraft] = useState<string | null>(null);
  const save = (e: FormEvent) => {
    e.preventDefault();
    const text = draft?.trim();
    if (text && text !== comment.text) store.getState().editComment(comment.id, text);
    setDraft(null);
  };
  return (
    <li>
      <div className="comment-head">
        <strong>{author}</strong>
        <time dateTime={new Date(comment.at).toISOString()}>{when(comment.at)}</time>
        {comment.editedAt !== undefined && <span>({t('edited')})</span>}
        {mine && !readOnly && draft === null && (
          <Button variant="link" className="comment-edit" onClick={() => setDraft(comment.text)}>
            {t('editComment')}
          </Button>
        )}
      </div>
      {draft === null ? (
        comment.text
      ) : (
        <form className="comment-form" onSubmit={save}>
          <Field label={t('editComment')}>
            <textarea
              rows={2}
              value={draft}
              autoFocus
              maxLength={BOARD_LIMITS.comment}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  setDraft(null);
                }
              }}
            />
          </Field>
          <div className="form-actions">
            <Button type="submit" size="small" variant="primary">
              {t('save')}
            </Button>
            <Button size="small" onClick={() => setDraft(null)}>
              {t('cancel')}
            </Button>
          </div>
        </form>
      )}
    </li>
  );
}

function CommentForm({
  store,
  cardId,
  onEditing,
}: {
  store: StoreApi<BoardState>;
  cardId: string;
  onEditing: (field: BoardField | null) => void;
}) {
  const t = useBoardT();
  const { draft, setDraft, submit } = useAddDraft(
    (text) => store.getState().addComment(cardId, text).ok,
  );
  const hints = useMemo(() => patientIdentifierHints(draft), [draft]);
  return (
    <form className="comment-form" onSubmit={submit}>
      <Field label={t('newComment')}>
        <textarea
          rows={2}
          value={draft}
          maxLength={BOARD_LIMITS.comment}
          onChange={(e) => setDraft(e.target.value)}
          onFocus={() => onEditing('comment')}
          onBlur={() => onEditing(null)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
          }}
        />
      </Field>
      <PrivacyHint hints={hints} testId="privacy-hint-comment" />
      <Button type="submit" size="small" variant="primary" disabled={!draft.trim()}>
        {t('send')}
      </Button>
    </form>
  );
}
