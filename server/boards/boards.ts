/**
 * The boards table (migration 8): which clinic a board belongs to, its
 * title and template, and whether it is archived. The content lives in the
 * `board:<id>` document; the relay asks here who may open it. Boards are
 * never deleted: archiving makes one read-only for everyone.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { ID_PATTERN, parseClinicId, type BoardId, type ClinicId } from '../../shared/ids.js';
import type { Database } from '../db/types.js';

export interface Board {
  readonly id: BoardId;
  readonly clinicId: ClinicId;
  readonly title: string;
  readonly template: string;
  /** A user id (`/api/auth/me`), or `token:<id>` for a board made with a bearer token. */
  readonly createdBy: string;
  /** ms since epoch */
  readonly createdAt: number;
  /** ms since epoch, or null while the board is live. */
  readonly archivedAt: number | null;
}

export interface NewBoardInput {
  readonly clinicId: ClinicId;
  readonly title: string;
  readonly template: string;
  readonly createdBy: string;
}

export interface BoardPatch {
  readonly title?: string;
  readonly archived?: boolean;
}

export interface BoardRepo {
  /** Registers a board under a fresh server-made id. Throws InvalidBoardError, UnknownBoardClinicError. */
  create(input: NewBoardInput, now: number): Promise<Board>;
  /** The board, or null when the id is unknown (or not an id at all). */
  get(id: string): Promise<Board | null>;
  /** A clinic's boards, archived ones included, newest first. */
  listForClinic(clinicId: ClinicId): Promise<Board[]>;
  /** Every board of every clinic (startup backfill of the staff docs), by clinic then newest first. */
  listAll(): Promise<Board[]>;
  /**
   * Retitles and/or archives (archived: false restores); null when the
   * board is unknown. Archiving an archived board keeps its first date.
   * Throws InvalidBoardError on a bad title, changing nothing.
   */
  update(id: string, patch: BoardPatch, now: number): Promise<Board | null>;
}

export const MAX_BOARD_TITLE = 200;

export class InvalidBoardError extends Error {
  override readonly name = 'InvalidBoardError';
  constructor(
    readonly field: 'title' | 'template' | 'createdBy',
    message: string,
  ) {
    super(`invalid board ${field}: ${message}`);
  }
}

export class UnknownBoardClinicError extends Error {
  override readonly name = 'UnknownBoardClinicError';
  constructor(readonly clinicId: ClinicId) {
    super(`no clinic ${clinicId}`);
  }
}

/** A title as stored: trimmed, 1–200 characters, no control characters. */
export function normalizeBoardTitle(title: unknown): string {
  if (typeof title !== 'string') throw new InvalidBoardError('title', 'not a string');
  const t = title.trim();
  if (t.length === 0) throw new InvalidBoardError('title', 'empty');
  if (t.length > MAX_BOARD_TITLE)
    throw new InvalidBoardError('title', `at most ${MAX_BOARD_TITLE} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(t)) throw new InvalidBoardError('title', 'control characters');
  return t;
}

export interface BoardRepoOptions {
  readonly randomBytes?: (size: number) => Uint8Array;
}

type BoardRow = {
  id: string;
  clinic_id: string;
  title: string;
  template: string;
  created_by: string;
  created_at: number;
  archived_at: number | null;
};

const COLUMNS = 'id, clinic_id, title, template, created_by, created_at, archived_at';

const boardOf = (r: BoardRow): Board => ({
  id: r.id as BoardId,
  clinicId: parseClinicId(r.clinic_id),
  title: r.title,
  template: r.template,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  archivedAt: r.archived_at === null ? null : Number(r.archived_at),
});

/** 80 random bits, lowercase base32: 16 characters matching ID_PATTERN. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export function newBoardId(random: (size: number) => Uint8Array = nodeRandomBytes): BoardId {
  const bytes = random(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out as BoardId;
}

export function createBoardRepo(db: Database, options: BoardRepoOptions = {}): BoardRepo {
  const random = options.randomBytes ?? nodeRandomBytes;

  const get = async (id: string): Promise<Board | null> => {
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) return null;
    const rows = await db.query<BoardRow>(`SELECT ${COLUMNS} FROM boards WHERE id = $1`, [id]);
    return rows[0] ? boardOf(rows[0]) : null;
  };

  return {
    async create(input, now) {
      const title = normalizeBoardTitle(input.title);
      if (typeof input.template !== 'string' || !ID_PATTERN.test(input.template))
        throw new InvalidBoardError('template', 'not a template name');
      if (typeof input.createdBy !== 'string' || input.createdBy.length === 0)
        throw new InvalidBoardError('createdBy', 'empty');
      const clinic = await db.query<{ id: string }>('SELECT id FROM clinics WHERE id = $1', [
        input.clinicId,
      ]);
      if (clinic.length === 0) throw new UnknownBoardClinicError(input.clinicId);
      // 80 random bits: a collision is not expected; retry once anyway rather than fail.
      for (let attempt = 0; ; attempt++) {
        const id = newBoardId(random);
        if (attempt < 3 && (await get(id)) !== null) continue;
        await db.execute(`INSERT INTO boards (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL)`, [
          id,
          input.clinicId,
          title,
          input.template,
          input.createdBy,
          now,
        ]);
        return {
          id,
          clinicId: input.clinicId,
          title,
          template: input.template,
          createdBy: input.createdBy,
          createdAt: now,
          archivedAt: null,
        };
      }
    },

    get,

    async listForClinic(clinicId) {
      const rows = await db.query<BoardRow>(
        `SELECT ${COLUMNS} FROM boards WHERE clinic_id = $1 ORDER BY created_at DESC, id`,
        [clinicId],
      );
      return rows.map(boardOf);
    },

    async listAll() {
      const rows = await db.query<BoardRow>(
        `SELECT ${COLUMNS} FROM boards ORDER BY clinic_id, created_at DESC, id`,
      );
      return rows.map(boardOf);
    },

    async update(id, patch, now) {
      const title = patch.title === undefined ? undefined : normalizeBoardTitle(patch.title);
      if (!(await get(id))) return null;
      await db.transaction(async (tx) => {
        if (title !== undefined)
          await tx.execute('UPDATE boards SET title = $2 WHERE id = $1', [id, title]);
        if (patch.archived === true)
          await tx.execute(
            'UPDATE boards SET archived_at = $2 WHERE id = $1 AND archived_at IS NULL',
            [id, now],
          );
        else if (patch.archived === false)
          await tx.execute('UPDATE boards SET archived_at = NULL WHERE id = $1', [id]);
      });
      return get(id);
    },
  };
}
