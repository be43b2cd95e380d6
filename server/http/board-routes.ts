/**
 * Boards of a clinic (issue 14): create (the server seeds the `board:<id>`
 * doc with its template, once), list, retitle/archive, export. Staff of the
 * clinic — session cookie with CSRF, or a staff-role bearer token (CLI
 * token, API key) — as the clinic routes. The table, the doc seeding, the
 * staff doc mirror and the relay's cache live in server/boards.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  BoardExportQuery,
  BoardPatchRequest,
  NewBoardRequest,
  type BoardSummary,
} from '../../shared/api.js';
import {
  isBoardTemplate,
  templateLocale,
  type BoardTemplate,
} from '../../shared/board/templates.js';
import {
  boardCsv,
  boardExportData,
  boardMarkdown,
  MARKDOWN_WORDS,
  type BoardExport,
} from '../../shared/board/export.js';
import { boardDocName, type BoardId, type ClinicId } from '../../shared/ids.js';
import { InvalidBoardError, type Board } from '../boards/boards.js';
import { actorOf, requireClinicRole, STAFF } from './access.js';
import type { ApiDeps } from './deps.js';
import { HttpError, parseWith } from './errors.js';

const params = (req: FastifyRequest) => req.params as { clinicId: string; boardId?: string };

export const summaryOf = (b: Board): BoardSummary => ({
  id: b.id,
  title: b.title,
  template: (isBoardTemplate(b.template) ? b.template : 'blank') as BoardTemplate,
  archived: b.archivedAt !== null,
  createdAt: b.createdAt,
});

/**
 * Who a board is created by: the signed-in user, or for a bearer token the
 * user id the relay stamps into that token's presence (`token:<id>`), so its
 * template cards are its own on the board too.
 */
function creatorOf(req: FastifyRequest): string {
  if (req.bearer) return actorOf(req);
  if (req.auth) return req.auth.user.id;
  throw new HttpError(401, 'unauthenticated', 'sign in first');
}

/** A file name any system accepts: the title's letters and digits, then the date. */
export function exportFileName(title: string, at: number, ext: string): string {
  const stem =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'board';
  return `${stem}-${new Date(at).toISOString().slice(0, 10)}.${ext}`;
}

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
} as const;

export function registerBoardRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const base = '/api/clinics/:clinicId/boards';

  async function boardOr404(clinicId: ClinicId, boardId: string | undefined): Promise<Board> {
    const board = boardId === undefined ? null : await deps.boards.get(clinicId, boardId);
    // Another clinic's board is as unknown as a missing one.
    if (!board) throw new HttpError(404, 'not-found', `no board ${boardId ?? ''}`);
    return board;
  }

  const invalidAs400 = (e: unknown): never => {
    if (e instanceof InvalidBoardError) throw new HttpError(400, 'bad-request', e.message);
    throw e;
  };

  app.get(base, async (req): Promise<{ boards: BoardSummary[] }> => {
    const clinicId = requireClinicRole(req, params(req).clinicId, STAFF);
    return { boards: (await deps.boards.list(clinicId)).map(summaryOf) };
  });

  app.post(base, async (req, reply): Promise<{ board: BoardSummary }> => {
    const clinicId = requireClinicRole(req, params(req).clinicId, STAFF);
    const body = parseWith(NewBoardRequest, req.body);
    const board = await deps.boards
      .create(clinicId, {
        title: body.title,
        template: body.template ?? 'blank',
        createdBy: creatorOf(req),
      })
      .catch(invalidAs400);
    req.log.info({ clinicId, boardId: board.id, actor: actorOf(req) }, 'board created');
    void reply.status(201);
    return { board: summaryOf(board) };
  });

  app.patch(`${base}/:boardId`, async (req): Promise<{ board: BoardSummary }> => {
    const clinicId = requireClinicRole(req, params(req).clinicId, STAFF);
    const patch = parseWith(BoardPatchRequest, req.body);
    await boardOr404(clinicId, params(req).boardId);
    const board = await deps.boards
      .update(clinicId, params(req).boardId!, {
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.archived !== undefined ? { archived: patch.archived } : {}),
      })
      .catch(invalidAs400);
    if (!board) throw new HttpError(404, 'not-found', `no board ${params(req).boardId}`);
    req.log.info(
      { clinicId, boardId: board.id, actor: actorOf(req), fields: Object.keys(patch) },
      'board changed',
    );
    return { board: summaryOf(board) };
  });

  app.get(`${base}/:boardId/export`, async (req, reply: FastifyReply) => {
    const clinicId = requireClinicRole(req, params(req).clinicId, STAFF);
    const { format } = parseWith(BoardExportQuery, req.query);
    const board = await boardOr404(clinicId, params(req).boardId);
    const clinic = await deps.clinics.get(clinicId);
    const names = new Map((await deps.users.listForClinic(clinicId)).map((u) => [u.id, u.name]));
    const now = deps.now();
    const info = { ...summaryOf(board), id: board.id };
    const doc = boardDocName(board.id as BoardId);
    let data: BoardExport = await deps.relay.read(doc, (d) =>
      boardExportData(d, info, (id) => names.get(id), now),
    );
    // Authors who have left the clinic: named too, if the server still knows them.
    const others = mentionedUsers(data).filter((id) => !names.has(id));
    if (others.length > 0) {
      for (const id of others.slice(0, 200)) {
        const user = await deps.users.get(id);
        if (user) names.set(id, user.name);
      }
      data = await deps.relay.read(doc, (d) =>
        boardExportData(d, info, (id) => names.get(id), now),
      );
    }
    const body =
      format === 'csv'
        ? boardCsv(data)
        : format === 'md'
          ? boardMarkdown(
              data,
              clinic
                ? {
                    timeZone: clinic.timezone,
                    words: MARKDOWN_WORDS[templateLocale(clinic.locale)],
                  }
                : {},
            )
          : JSON.stringify(data, null, 2);
    return reply
      .header('content-type', CONTENT_TYPES[format])
      .header(
        'content-disposition',
        `attachment; filename="${exportFileName(board.title, now, format)}"`,
      )
      .header('cache-control', 'no-store')
      .send(body);
  });
}

/** Every user id the export mentions (authors, assignees, voters). */
function mentionedUsers(data: BoardExport): string[] {
  const ids = new Set<string>();
  for (const c of data.cards) {
    ids.add(c.createdBy);
    for (const id of [...c.assignees, ...c.votes]) ids.add(id);
    for (const m of c.comments) ids.add(m.author);
  }
  ids.delete('');
  return [...ids];
}
