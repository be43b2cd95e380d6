/**
 * The board list in `staff:<clinicId>` (issue 14): root Y.Map `boards`,
 * `<boardId>` → plain object `{ title, template, archived, createdAt }`, a
 * mirror of the server's `boards` table written by the server only (on
 * create and patch, and backfilled at startup). Clients read it to list a
 * clinic's boards offline; entries they cannot read are skipped.
 */
import type * as Y from 'yjs';
import { ID_PATTERN } from '../ids.js';

export const STAFF_BOARDS_ROOT = 'boards'; // STAFF_ROOTS.boards

export interface StaffBoardEntry {
  readonly title: string;
  readonly template: string;
  readonly archived: boolean;
  readonly createdAt: number;
}

export interface StaffBoardListItem extends StaffBoardEntry {
  readonly id: string;
}

export const staffBoardsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(STAFF_BOARDS_ROOT);

/** A well-formed entry, or null (a malformed value is never trusted). */
export function readStaffBoardEntry(value: unknown): StaffBoardEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.title !== 'string' || typeof v.template !== 'string') return null;
  if (typeof v.archived !== 'boolean' || typeof v.createdAt !== 'number') return null;
  return { title: v.title, template: v.template, archived: v.archived, createdAt: v.createdAt };
}

/** Server-only: writes a board's entry unless it already says exactly that (no empty updates). */
export function mirrorStaffBoard(
  doc: Y.Doc,
  boardId: string,
  entry: StaffBoardEntry,
  origin?: unknown,
): boolean {
  const current = readStaffBoardEntry(staffBoardsMap(doc).get(boardId));
  if (
    current &&
    current.title === entry.title &&
    current.template === entry.template &&
    current.archived === entry.archived &&
    current.createdAt === entry.createdAt
  )
    return false;
  const plain: StaffBoardEntry = {
    title: entry.title,
    template: entry.template,
    archived: entry.archived,
    createdAt: entry.createdAt,
  };
  doc.transact(() => staffBoardsMap(doc).set(boardId, plain), origin);
  return true;
}

/** The clinic's boards as the staff doc lists them, newest first (ties by id). */
export function staffBoardList(doc: Y.Doc): StaffBoardListItem[] {
  const out: StaffBoardListItem[] = [];
  staffBoardsMap(doc).forEach((value, id) => {
    const entry = ID_PATTERN.test(id) ? readStaffBoardEntry(value) : null;
    if (entry) out.push({ id, ...entry });
  });
  return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
