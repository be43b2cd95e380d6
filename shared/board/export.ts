/**
 * A board as a file: plain data (JSON), a spreadsheet (CSV, one row per
 * card) and meeting minutes (Markdown). Pure: the server loads the doc and
 * the names of the users it knows, these functions only read and format.
 * Everything is read defensively (a malformed value is skipped or shown
 * empty, never a crash): the doc is written by clients.
 */
import * as Y from 'yjs';
import { isValidTimezone, localParts } from '../queue/day.js';
import { compareOrdered, orderOf } from './order.js';
import { boardRoots, parseVoteKey } from './schema.js';

/** What the server's boards table says about the board. */
export interface BoardExportInfo {
  readonly id: string;
  readonly title: string;
  readonly template: string;
  readonly archived: boolean;
  readonly createdAt: number;
}

export interface ExportColumn {
  readonly id: string;
  readonly title: string;
  readonly order: string;
  readonly color?: string;
  readonly archivedAt?: number;
}

export interface ExportChecklistItem {
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
  readonly order: string;
}

export interface ExportComment {
  readonly id: string;
  readonly text: string;
  readonly author: string;
  readonly authorName?: string;
  readonly at: number;
}

export interface ExportCard {
  readonly id: string;
  /** The card's column id (may name an archived or missing column). */
  readonly column: string;
  /** That column's title; "Unsorted" lane cards keep their column's title when it exists. */
  readonly columnTitle: string;
  readonly order: string;
  readonly title: string;
  readonly body: string;
  readonly createdBy: string;
  readonly createdByName?: string;
  readonly createdAt: number;
  readonly assignees: readonly string[];
  /** Label ids. */
  readonly labels: readonly string[];
  readonly due?: string;
  readonly checklist: readonly ExportChecklistItem[];
  readonly archivedAt?: number;
  /** Who voted: user ids. */
  readonly votes: readonly string[];
  /** Oldest first. */
  readonly comments: readonly ExportComment[];
}

export interface ExportLabel {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

export interface BoardExport {
  readonly board: BoardExportInfo & { readonly exportedAt: number };
  /** Every column, archived ones too, in board order. */
  readonly columns: readonly ExportColumn[];
  /** Every card, archived ones too: by column order, then card order. */
  readonly cards: readonly ExportCard[];
  readonly labels: readonly ExportLabel[];
  /** Names of the users the export mentions, where the server knows them. */
  readonly users: Readonly<Record<string, string>>;
}

/** Display name of a user id (undefined: unknown to the server). */
export type NameOf = (userId: string) => string | undefined;

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v instanceof Y.Text ? v.toString() : '';
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const plain = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !(v instanceof Y.AbstractType)
    ? (v as Record<string, unknown>)
    : null;
const mapKeys = (v: unknown): string[] =>
  v instanceof Y.Map ? [...v.keys()].filter((k) => v.get(k) === true).sort() : [];
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The board's content as plain data, names resolved where known. */
export function boardExportData(
  doc: Y.Doc,
  board: BoardExportInfo,
  nameOf: NameOf = () => undefined,
  exportedAt: number = board.createdAt,
): BoardExport {
  const roots = boardRoots(doc);
  const users: Record<string, string> = {};
  const named = (id: string): { name?: string } => {
    const name = nameOf(id);
    if (name === undefined) return {};
    users[id] = name;
    return { name };
  };

  const columns: ExportColumn[] = [];
  roots.columns.forEach((value, id) => {
    if (!(value instanceof Y.Map)) return;
    const color = value.get('color');
    const archivedAt = num(value.get('archivedAt'));
    columns.push({
      id,
      title: str(value.get('title')),
      order: orderOf(value.get('order')),
      ...(typeof color === 'string' ? { color } : {}),
      ...(archivedAt !== undefined ? { archivedAt } : {}),
    });
  });
  columns.sort(compareOrdered);
  const columnIndex = new Map(columns.map((c, i) => [c.id, i]));

  const labels: ExportLabel[] = [];
  roots.labels.forEach((value, id) => {
    const l = plain(value);
    if (l) labels.push({ id, name: str(l.name), color: str(l.color) });
  });
  labels.sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));

  const votes = new Map<string, string[]>();
  roots.votes.forEach((_at, key) => {
    const parsed = parseVoteKey(key);
    if (parsed) votes.set(parsed.cardId, [...(votes.get(parsed.cardId) ?? []), parsed.userId]);
  });

  const comments = new Map<string, ExportComment[]>();
  roots.comments.forEach((value, id) => {
    const c = plain(value);
    if (!c || typeof c.cardId !== 'string') return;
    const author = str(c.author);
    const { name } = named(author);
    const list = comments.get(c.cardId) ?? [];
    list.push({
      id,
      text: str(c.text),
      author,
      ...(name !== undefined ? { authorName: name } : {}),
      at: num(c.at) ?? 0,
    });
    comments.set(c.cardId, list);
  });

  const cards: ExportCard[] = [];
  roots.cards.forEach((value, id) => {
    if (!(value instanceof Y.Map)) return;
    const column = str(value.get('column'));
    const createdBy = str(value.get('createdBy'));
    const { name: createdByName } = named(createdBy);
    const assignees = mapKeys(value.get('assignees'));
    for (const a of assignees) named(a);
    const checklist: ExportChecklistItem[] = [];
    const items = value.get('checklist');
    if (items instanceof Y.Map) {
      items.forEach((item: unknown, itemId: string) => {
        if (!(item instanceof Y.Map)) return;
        checklist.push({
          id: itemId,
          text: str(item.get('text')),
          done: item.get('done') === true,
          order: orderOf(item.get('order')),
        });
      });
    }
    checklist.sort(compareOrdered);
    const due = value.get('due');
    const archivedAt = num(value.get('archivedAt'));
    const voters = (votes.get(id) ?? []).sort();
    for (const v of voters) named(v);
    cards.push({
      id,
      column,
      columnTitle: columns[columnIndex.get(column) ?? -1]?.title ?? '',
      order: orderOf(value.get('order')),
      title: str(value.get('title')),
      body: str(value.get('body')),
      createdBy,
      ...(createdByName !== undefined ? { createdByName } : {}),
      createdAt: num(value.get('createdAt')) ?? 0,
      assignees,
      labels: mapKeys(value.get('labels')),
      ...(typeof due === 'string' ? { due } : {}),
      checklist,
      ...(archivedAt !== undefined ? { archivedAt } : {}),
      votes: voters,
      comments: (comments.get(id) ?? []).sort((a, b) => a.at - b.at || cmp(a.id, b.id)),
    });
  });
  // Cards of a missing column come after every column's cards.
  const colRank = (c: ExportCard) => columnIndex.get(c.column) ?? columns.length;
  cards.sort((a, b) => colRank(a) - colRank(b) || compareOrdered(a, b));

  return { board: { ...board, exportedAt }, columns, cards, labels, users };
}

// ---- CSV (RFC 4180) -------------------------------------------------------------

export const BOARD_CSV_HEADER = [
  'card_id',
  'column',
  'title',
  'body',
  'assignees',
  'labels',
  'due',
  'votes',
  'archived',
  'created_by',
  'created_at',
] as const;

/**
 * One field: quoted when it holds a comma, a quote, CR or LF (quotes
 * doubled). A text starting like a spreadsheet formula (= + - @, tab, CR)
 * gets a leading apostrophe, so opening the file never runs a formula.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const nameOr = (data: BoardExport, id: string) => data.users[id] ?? id;
const iso = (ms: number) => new Date(ms).toISOString();

/** One row per card (archived ones flagged), CRLF line ends, header first. */
export function boardCsv(data: BoardExport): string {
  const labelName = new Map(data.labels.map((l) => [l.id, l.name]));
  const rows = [BOARD_CSV_HEADER.join(',')];
  for (const c of data.cards) {
    rows.push(
      [
        c.id,
        c.columnTitle || c.column,
        c.title,
        c.body,
        c.assignees.map((a) => nameOr(data, a)).join('; '),
        c.labels.map((l) => labelName.get(l) ?? l).join('; '),
        c.due ?? '',
        String(c.votes.length),
        c.archivedAt !== undefined ? 'true' : 'false',
        nameOr(data, c.createdBy),
        c.createdAt ? iso(c.createdAt) : '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

// ---- Markdown (meeting minutes) ---------------------------------------------------

export interface MarkdownOptions {
  /** IANA zone for dates and times (the clinic's); default UTC. */
  readonly timeZone?: string;
  /** Headings and words; default English. */
  readonly words?: Partial<MarkdownWords>;
}

export interface MarkdownWords {
  readonly exported: string;
  readonly unsorted: string;
  readonly archivedCards: string;
  readonly assignees: string;
  readonly due: string;
  readonly labels: string;
  readonly votes: string;
  readonly checklist: string;
  readonly comments: string;
  readonly noCards: string;
  readonly archivedBoard: string;
}

const ENGLISH: MarkdownWords = {
  exported: 'Exported',
  unsorted: 'Unsorted',
  archivedCards: 'Archived cards',
  assignees: 'Assignees',
  due: 'Due',
  labels: 'Labels',
  votes: 'Votes',
  checklist: 'Checklist',
  comments: 'Comments',
  noCards: 'No cards.',
  archivedBoard: 'This board is archived.',
};

const FRENCH: MarkdownWords = {
  exported: 'Exporté le',
  unsorted: 'Non classées',
  archivedCards: 'Cartes archivées',
  assignees: 'Assignés',
  due: 'Échéance',
  labels: 'Étiquettes',
  votes: 'Votes',
  checklist: 'Liste de contrôle',
  comments: 'Commentaires',
  noCards: 'Aucune carte.',
  archivedBoard: 'Ce tableau est archivé.',
};

/** The minutes' words in the clinic's language (the one its boards were seeded in). */
export const MARKDOWN_WORDS: Readonly<Record<'fr' | 'en', MarkdownWords>> = {
  fr: FRENCH,
  en: ENGLISH,
};

/** Inline text: one line, Markdown's punctuation escaped so a title cannot become a link or a heading. */
export function mdInline(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|#!~]/g, (ch) => `\\${ch}`)
    .trim();
}

/** `YYYY-MM-DD HH:MM` on the wall clock of `timeZone`; in UTC when the zone is unknown. */
function dateTime(ms: number, timeZone: string): string {
  if (!isValidTimezone(timeZone)) return iso(ms).slice(0, 16).replace('T', ' ');
  const p = localParts(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** Meeting minutes: title and date, then per column its cards with what was decided on them. */
export function boardMarkdown(data: BoardExport, options: MarkdownOptions = {}): string {
  const w = { ...ENGLISH, ...options.words };
  const tz = options.timeZone ?? 'UTC';
  const labelName = new Map(data.labels.map((l) => [l.id, l.name]));
  const out: string[] = [];
  out.push(`# ${mdInline(data.board.title) || data.board.id}`, '');
  out.push(`_${w.exported} ${dateTime(data.board.exportedAt, tz)} (${tz})_`, '');
  if (data.board.archived) out.push(`> ${w.archivedBoard}`, '');

  const card = (c: ExportCard) => {
    out.push(`### ${mdInline(c.title) || c.id}`, '');
    const facts: string[] = [];
    if (c.assignees.length > 0)
      facts.push(`${w.assignees}: ${c.assignees.map((a) => mdInline(nameOr(data, a))).join(', ')}`);
    if (c.due) facts.push(`${w.due}: ${c.due}`);
    if (c.labels.length > 0)
      facts.push(`${w.labels}: ${c.labels.map((l) => mdInline(labelName.get(l) ?? l)).join(', ')}`);
    if (c.votes.length > 0) facts.push(`${w.votes}: ${c.votes.length}`);
    for (const f of facts) out.push(`- ${f}`);
    if (facts.length > 0) out.push('');
    if (c.body.trim()) {
      for (const line of c.body.trim().split(/\r?\n/)) out.push(`> ${mdInline(line)}`.trimEnd());
      out.push('');
    }
    if (c.checklist.length > 0) {
      out.push(`${w.checklist}:`, '');
      for (const item of c.checklist)
        out.push(`- [${item.done ? 'x' : ' '}] ${mdInline(item.text)}`);
      out.push('');
    }
    if (c.comments.length > 0) {
      out.push(`${w.comments}:`, '');
      for (const m of c.comments)
        out.push(
          `- **${mdInline(m.authorName ?? m.author)}** (${dateTime(m.at, tz)}): ${mdInline(m.text)}`,
        );
      out.push('');
    }
  };

  const live = data.cards.filter((c) => c.archivedAt === undefined);
  const activeColumns = data.columns.filter((c) => c.archivedAt === undefined);
  const active = new Set(activeColumns.map((c) => c.id));
  for (const col of activeColumns) {
    out.push(`## ${mdInline(col.title) || col.id}`, '');
    const cards = live.filter((c) => c.column === col.id);
    if (cards.length === 0) out.push(`_${w.noCards}_`, '');
    cards.forEach(card);
  }
  const unsorted = live.filter((c) => !active.has(c.column));
  if (unsorted.length > 0) {
    out.push(`## ${w.unsorted}`, '');
    unsorted.forEach(card);
  }
  const archived = data.cards.filter((c) => c.archivedAt !== undefined);
  if (archived.length > 0) {
    out.push(`## ${w.archivedCards}`, '');
    archived.forEach(card);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
