/**
 * What the board routes and the server do with a board beyond its row:
 * seed its `board:<id>` document once (template applied server-side, in the
 * clinic's language, through the relay's write path, so it is durable and
 * relayed), mirror the row into
 * the clinic's staff doc (`boards` root), keep the relay's lookup cache
 * fresh, and on archive/restore close the sockets open on the board (1012):
 * the clients reconnect and are authorised afresh — read-only once archived.
 */
import { boardDocName, staffDocName, type BoardId, type ClinicId } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import { serverOrigin } from '../../shared/queue/index.js';
import {
  BOARD_ROOTS,
  seedBoardDoc,
  templateLocale,
  type BoardTemplate,
} from '../../shared/board/index.js';
import type { Locale } from '../../shared/queue/index.js';
import { mirrorStaffBoard, type StaffBoardEntry } from '../../shared/staff/boards.js';
import type { ClinicRepo } from '../auth/clinics.js';
import type { Relay } from '../relay/relay.js';
import type { BoardLookupCache } from './board-lookup.js';
import type { Board, BoardPatch, BoardRepo } from './boards.js';

export interface BoardServiceDeps {
  readonly boards: BoardRepo;
  readonly lookup: Pick<BoardLookupCache, 'invalidate'>;
  readonly relay: Pick<Relay, 'change' | 'closeDoc'>;
  /** The clinic's locale: templates are seeded in its language. */
  readonly clinics: Pick<ClinicRepo, 'get'>;
  readonly now: () => number;
}

export interface NewBoard {
  readonly title: string;
  readonly template: BoardTemplate;
  /** The creating user's id (a token's id for a CLI token). */
  readonly createdBy: string;
}

export interface BoardService {
  /** Registers, seeds and mirrors a board. Throws like BoardRepo.create, or StoreUnavailableError. */
  create(clinicId: ClinicId, input: NewBoard): Promise<Board>;
  /** The clinic's board, or null (unknown, or another clinic's: the same answer). */
  get(clinicId: ClinicId, boardId: string): Promise<Board | null>;
  list(clinicId: ClinicId): Promise<Board[]>;
  /** Retitles (also the doc's meta.title) and/or archives; null when not the clinic's board. */
  update(clinicId: ClinicId, boardId: string, patch: BoardPatch): Promise<Board | null>;
  /** Writes every board into its clinic's staff doc (startup; a no-op where already right). */
  backfillMirrors(): Promise<number>;
}

export const staffEntryOf = (b: Board): StaffBoardEntry => ({
  title: b.title,
  template: b.template,
  archived: b.archivedAt !== null,
  createdAt: b.createdAt,
});

export function createBoardService(deps: BoardServiceDeps): BoardService {
  const { boards, relay } = deps;

  const mirror = (b: Board) =>
    relay.change(staffDocName(b.clinicId), (doc) =>
      mirrorStaffBoard(doc, b.id, staffEntryOf(b), serverOrigin),
    );

  /** The language a clinic's new boards are seeded in (French unless its locale is English). */
  const localeOf = async (clinicId: ClinicId): Promise<Locale> =>
    templateLocale((await deps.clinics.get(clinicId))?.locale);

  const get = async (clinicId: ClinicId, boardId: string) => {
    const board = await boards.get(boardId);
    return board && board.clinicId === clinicId ? board : null;
  };

  return {
    async create(clinicId, input) {
      const board = await boards.create(
        { clinicId, title: input.title, template: input.template, createdBy: input.createdBy },
        deps.now(),
      );
      deps.lookup.invalidate(board.id);
      const locale = await localeOf(clinicId);
      await relay.change(boardDocName(board.id), (doc) =>
        seedBoardDoc(
          doc,
          { title: board.title, template: input.template, createdBy: input.createdBy, locale },
          board.createdAt,
        ),
      );
      await mirror(board);
      return board;
    },

    get,

    list: (clinicId) => boards.listForClinic(clinicId),

    async update(clinicId, boardId, patch) {
      const before = await get(clinicId, boardId);
      if (!before) return null;
      const after = await boards.update(before.id, patch, deps.now());
      if (!after) return null;
      deps.lookup.invalidate(after.id);
      const doc = boardDocName(after.id as BoardId);
      const locale = await localeOf(clinicId);
      await relay.change(doc, (d) => {
        // A board whose seeding failed at creation is seeded now (a no-op otherwise).
        seedBoardDoc(
          d,
          {
            title: after.title,
            template: after.template as BoardTemplate,
            createdBy: after.createdBy,
            locale,
          },
          after.createdAt,
        );
        const meta = d.getMap(BOARD_ROOTS.meta);
        if (meta.get('title') !== after.title)
          d.transact(() => meta.set('title', after.title), serverOrigin);
      });
      await mirror(after);
      if ((before.archivedAt === null) !== (after.archivedAt === null))
        relay.closeDoc(
          doc,
          CloseCode.restart,
          after.archivedAt ? 'board archived' : 'board restored',
        );
      return after;
    },

    async backfillMirrors() {
      const all = await boards.listAll();
      const byClinic = new Map<ClinicId, Board[]>();
      for (const b of all) byClinic.set(b.clinicId, [...(byClinic.get(b.clinicId) ?? []), b]);
      let written = 0;
      for (const [clinicId, list] of byClinic) {
        written += await relay.change(staffDocName(clinicId), (doc) => {
          let n = 0;
          for (const b of list) if (mirrorStaffBoard(doc, b.id, staffEntryOf(b), serverOrigin)) n++;
          return n;
        });
      }
      return written;
    },
  };
}
