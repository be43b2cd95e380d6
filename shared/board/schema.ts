/**
 * Shape of a `board:<boardId>` doc (the contract of issue 14): root type
 * names, schema version, typed accessors, vote keys and seeding.
 *
 *   meta      schemaVersion, title, template, createdBy, createdAt (server-seeded)
 *   columns   columnId → Y.Map { title, order, color?, archivedAt? }
 *   cards     cardId → Y.Map { column, order, title: Y.Text, body: Y.Text, createdBy,
 *             createdAt, assignees: Y.Map, labels: Y.Map, due?, checklist: Y.Map, archivedAt? }
 *   labels    labelId → { name, color }
 *   comments  commentId → { cardId, text, author, at, editedAt? }
 *   votes     `<cardId>:<userId>` → at
 *
 * Only root types are fetched by name; every nested type is created in the
 * same transaction as its parent, under a fresh id (rule B1).
 */
import * as Y from 'yjs';
import { BoardError, fail, type BoardFailure } from './errors.js';
import { BOARD_LIMITS, cleanText, isColor } from './fields.js';
import { isItemId, isUserId } from './ids.js';
import { LOCALES, type Locale } from '../queue/types.js';
import { isBoardTemplate, templateContent, type BoardTemplate } from './templates.js';

export { BOARD_TEMPLATES, isBoardTemplate, type BoardTemplate } from './templates.js';

export const BOARD_SCHEMA_VERSION = 1;

export const BOARD_ROOTS = {
  meta: 'meta',
  columns: 'columns',
  cards: 'cards',
  labels: 'labels',
  comments: 'comments',
  votes: 'votes',
} as const;

export type ColumnMap = Y.Map<unknown>;
export type CardMap = Y.Map<unknown>;

export interface BoardRoots {
  readonly meta: Y.Map<unknown>;
  readonly columns: Y.Map<ColumnMap>;
  readonly cards: Y.Map<CardMap>;
  readonly labels: Y.Map<unknown>;
  readonly comments: Y.Map<unknown>;
  readonly votes: Y.Map<unknown>;
}

export function boardRoots(doc: Y.Doc): BoardRoots {
  return {
    meta: doc.getMap(BOARD_ROOTS.meta),
    columns: doc.getMap(BOARD_ROOTS.columns),
    cards: doc.getMap(BOARD_ROOTS.cards),
    labels: doc.getMap(BOARD_ROOTS.labels),
    comments: doc.getMap(BOARD_ROOTS.comments),
    votes: doc.getMap(BOARD_ROOTS.votes),
  };
}

// ---- votes --------------------------------------------------------------------

export const voteKey = (cardId: string, userId: string): string => `${cardId}:${userId}`;

/** `<cardId>:<userId>` → its parts, or null for anything malformed (B11). */
export function parseVoteKey(key: unknown): { cardId: string; userId: string } | null {
  if (typeof key !== 'string') return null;
  const colon = key.indexOf(':');
  if (colon < 0) return null;
  const cardId = key.slice(0, colon);
  const userId = key.slice(colon + 1);
  return isItemId(cardId) && isUserId(userId) ? { cardId, userId } : null;
}

// ---- schema check ---------------------------------------------------------------

/** Null if operations may write this doc, else the failure to return (B2). */
export function checkBoardSchema(doc: Y.Doc): BoardFailure | null {
  const version = boardRoots(doc).meta.get('schemaVersion');
  if (typeof version !== 'number') return fail('not-seeded', 'the board is not loaded yet');
  if (version > BOARD_SCHEMA_VERSION)
    return fail('unsupported-schema', `board schema ${version} is newer than this app`, {
      version,
    });
  return null;
}

// ---- nested types, created only with their parent ------------------------------

export interface NewCard {
  readonly column: string;
  readonly order: string;
  readonly title: string;
  readonly body: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly due?: string;
  readonly assignees?: readonly string[];
  readonly labels?: readonly string[];
}

/** Inserts a card with all its nested types; call inside a transaction (B1). */
export function insertCard(doc: Y.Doc, id: string, card: NewCard): CardMap {
  const map = new Y.Map<unknown>();
  const title = new Y.Text();
  const body = new Y.Text();
  const assignees = new Y.Map<boolean>();
  const labels = new Y.Map<boolean>();
  const checklist = new Y.Map<Y.Map<unknown>>();
  map.set('column', card.column);
  map.set('order', card.order);
  map.set('title', title);
  map.set('body', body);
  map.set('createdBy', card.createdBy);
  map.set('createdAt', card.createdAt);
  map.set('assignees', assignees);
  map.set('labels', labels);
  map.set('checklist', checklist);
  if (card.due !== undefined) map.set('due', card.due);
  boardRoots(doc).cards.set(id, map);
  // Filled once integrated, so the texts and maps carry the content.
  if (card.title) title.insert(0, card.title);
  if (card.body) body.insert(0, card.body);
  for (const u of card.assignees ?? []) assignees.set(u, true);
  for (const l of card.labels ?? []) labels.set(l, true);
  return map;
}

export function insertColumn(
  doc: Y.Doc,
  id: string,
  column: { title: string; order: string; color?: string },
): ColumnMap {
  const map = new Y.Map<unknown>();
  map.set('title', column.title);
  map.set('order', column.order);
  if (column.color !== undefined) map.set('color', column.color);
  boardRoots(doc).columns.set(id, map);
  return map;
}

// ---- seeding (server only) -------------------------------------------------------

export interface SeedBoardArgs {
  readonly title: string;
  readonly template: BoardTemplate;
  /** The user creating the board; author of any template card. */
  readonly createdBy: string;
  /** The clinic's language: the template's titles, labels and cards are written in it (default 'en'). */
  readonly locale?: Locale;
}

/** Order keys for the n-th seeded item: 'V', 'g', … spaced, identical on every server. */
const seedOrder = (i: number): string =>
  `V${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[((i + 1) * 4) % 62]}`;

/**
 * Seeds a fresh board doc with its template (B3), in the clinic's language.
 * Idempotent: a doc that already has a schema version is left untouched
 * (`seeded: false`, whatever the language asked). Throws
 * BoardError('invalid-argument') for a bad title, template, user or locale:
 * the server validates its request before calling this.
 */
export function seedBoardDoc(
  doc: Y.Doc,
  args: SeedBoardArgs,
  now: number,
  origin: unknown = { kind: 'seed' },
): { seeded: boolean } {
  if (
    typeof args.title !== 'string' ||
    args.title.trim() === '' ||
    args.title.length > BOARD_LIMITS.title
  )
    throw new BoardError('invalid-argument', 'board title must be 1–200 characters');
  if (!isBoardTemplate(args.template))
    throw new BoardError('invalid-argument', `unknown template ${JSON.stringify(args.template)}`);
  if (!isUserId(args.createdBy))
    throw new BoardError('invalid-argument', `invalid user id ${JSON.stringify(args.createdBy)}`);
  const locale = args.locale ?? 'en';
  if (!(LOCALES as readonly unknown[]).includes(locale))
    throw new BoardError('invalid-argument', `unknown locale ${JSON.stringify(args.locale)}`);
  const roots = boardRoots(doc);
  if (roots.meta.has('schemaVersion')) return { seeded: false };
  const content = templateContent(args.template, locale);
  doc.transact(() => {
    roots.meta.set('title', cleanText(args.title));
    roots.meta.set('template', args.template);
    roots.meta.set('createdBy', args.createdBy);
    roots.meta.set('createdAt', now);
    content.columns.forEach((c, i) =>
      insertColumn(doc, c.id, {
        title: c.title,
        order: seedOrder(i),
        ...(c.color && isColor(c.color) ? { color: c.color } : {}),
      }),
    );
    for (const l of content.labels) roots.labels.set(l.id, { name: l.name, color: l.color });
    content.cards.forEach((c, i) =>
      insertCard(doc, c.id, {
        column: c.column,
        order: seedOrder(i),
        title: c.title,
        body: c.body ?? '',
        createdBy: args.createdBy,
        createdAt: now,
      }),
    );
    // Last: a doc with a version is a complete doc.
    roots.meta.set('schemaVersion', BOARD_SCHEMA_VERSION);
  }, origin);
  return { seeded: true };
}
