import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_TEMPLATES,
  boardRoots,
  TEMPLATE_CONTENT,
  voteKey,
} from '../../shared/board/index.js';
import { staffBoardList } from '../../shared/staff/boards.js';
import { ID_PATTERN, parseClinicId } from '../../shared/ids.js';
import { startTestServer, type LoggedIn, type TestServer } from '../test-support/harness.js';
import { exportFileName } from './board-routes.js';
import { apiClient } from './test-support/api-client.js';

let t: TestServer;
let call: ReturnType<typeof apiClient>;
let doctor: LoggedIn;
let doctorId: string;
let other: LoggedIn;

beforeAll(async () => {
  t = await startTestServer();
  call = apiClient(t.httpUrl);
  const d = await t.staff('doc@c1.example', { c1: 'doctor' }, { name: 'Dr Alice Martin' });
  doctorId = d.user.id;
  await t.staff('rec@c2.example', { c2: 'receptionist' });
  doctor = await t.login('doc@c1.example', 'correct horse battery');
  other = await t.login('rec@c2.example', 'correct horse battery');
});
afterAll(async () => {
  await t?.close();
});

const create = (body: unknown, session: LoggedIn = doctor, clinic = 'c1') =>
  call(`/api/clinics/${clinic}/boards`, { session, body });

describe('creating boards', () => {
  it.each(BOARD_TEMPLATES)(
    'creates a %s board: 201, a fresh id, the doc seeded with its template, listed in the staff doc',
    async (template) => {
      const r = await create({ title: `  Board ${template} `, template });
      expect(r.status).toBe(201);
      const board = r.json.board;
      expect(board).toEqual({
        id: expect.stringMatching(ID_PATTERN),
        title: `Board ${template}`,
        template,
        archived: false,
        createdAt: expect.any(Number),
      });
      const doc = await t.storedDoc(`board:${board.id}`);
      const roots = boardRoots(doc);
      expect(roots.meta.get('title')).toBe(`Board ${template}`);
      expect(roots.meta.get('template')).toBe(template);
      expect([...roots.columns.keys()].sort()).toEqual(
        TEMPLATE_CONTENT[template].columns.map((c) => c.id).sort(),
      );
      for (const card of roots.cards.values()) expect(card.get('createdBy')).toBe(doctorId);
      const listed = staffBoardList(await t.storedDoc('staff:c1')).find((b) => b.id === board.id);
      expect(listed).toEqual({ ...board });
    },
  );

  it('makes a blank board when no template is given', async () => {
    const r = await create({ title: 'Sans modèle' });
    expect(r.status).toBe(201);
    expect(r.json.board.template).toBe('blank');
  });

  it('seeds the template in the clinic’s language: French by default, English for an English clinic', async () => {
    const titles = async (id: string) => {
      const roots = boardRoots(await t.storedDoc(`board:${id}`));
      return {
        columns: [...roots.columns.entries()].map(([cid, c]) => [cid, c.get('title')]).sort(),
        labels: [...roots.labels.entries()]
          .map(([lid, l]) => [lid, (l as { name: string }).name])
          .sort(),
        card: String(roots.cards.get('how-to')?.get('title')),
      };
    };
    const fr = await create({ title: 'Point du matin', template: 'huddle' });
    expect(await titles(fr.json.board.id)).toMatchObject({
      columns: expect.arrayContaining([['safety', 'Sécurité']]),
      labels: expect.arrayContaining([['near-miss', 'Presqu’accident']]),
      card: 'Comment utiliser ce tableau',
    });
    await t.server.clinics.update(parseClinicId('c2'), { locale: 'en-GB' });
    try {
      const en = await create({ title: 'Morning huddle', template: 'huddle' }, other, 'c2');
      expect(en.status).toBe(201);
      const [a, b] = [await titles(fr.json.board.id), await titles(en.json.board.id)];
      expect(b).toMatchObject({
        columns: expect.arrayContaining([['safety', 'Safety concerns']]),
        labels: expect.arrayContaining([['near-miss', 'Near miss']]),
        card: 'How we use this board',
      });
      // One structure: the same column and label ids in both languages.
      expect(b.columns.map(([id]) => id)).toEqual(a.columns.map(([id]) => id));
      expect(b.labels.map(([id]) => id)).toEqual(a.labels.map(([id]) => id));
    } finally {
      await t.server.clinics.update(parseClinicId('c2'), { locale: 'fr' });
    }
  });

  it('works with a staff token from the CLI, no CSRF needed; its cards are by the id the relay stamps for it', async () => {
    const r = await call('/api/clinics/c1/boards', {
      bearer: await t.token('receptionist'),
      body: { title: 'Par jeton', template: 'huddle' },
    });
    expect(r.status).toBe(201);
    const roots = boardRoots(await t.storedDoc(`board:${r.json.board.id}`));
    const creators = [...roots.cards.values()].map((card) => card.get('createdBy'));
    expect(creators.length).toBeGreaterThan(0);
    for (const by of creators) expect(by).toMatch(/^token:[^:]+$/);
  });

  it.each([
    ['no title', {}],
    ['an empty title', { title: '   ' }],
    ['a title of 201 characters', { title: 'x'.repeat(201) }],
    ['a title with a newline', { title: 'a\nb' }],
    ['a title that is not a string', { title: 42 }],
    ['an unknown template', { title: 'X', template: 'kanban' }],
    ['an unknown field', { title: 'X', owner: 'me' }],
  ])('answers 400 with a clear message for %s', async (_what, body) => {
    const r = await create(body);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('bad-request');
    expect(r.json.error.message).toBeTruthy();
  });

  it('answers 400 for a body that is not JSON', async () => {
    const r = await call('/api/clinics/c1/boards', { session: doctor, raw: '{nope' });
    expect(r.status).toBe(400);
  });

  it('refuses a session without its CSRF token', async () => {
    const r = await call('/api/clinics/c1/boards', {
      session: doctor,
      csrf: null,
      body: { title: 'X' },
    });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('csrf');
  });

  it('refuses displays, patients, anonymous callers and staff of another clinic', async () => {
    for (const role of ['display', 'patient'] as const) {
      const r = await call('/api/clinics/c1/boards', {
        bearer: await t.token(role),
        body: { title: 'X' },
      });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('forbidden');
    }
    expect((await create({ title: 'X' }, other)).status).toBe(403);
    expect((await call('/api/clinics/c1/boards', { body: { title: 'X' } })).status).toBe(401);
  });
});

describe('listing and changing boards', () => {
  it("lists the clinic's boards, archived ones flagged, and no other clinic's", async () => {
    const mine = (await create({ title: 'Liste' })).json.board;
    const theirs = (await create({ title: 'Ailleurs' }, other, 'c2')).json.board;
    await call(`/api/clinics/c1/boards/${mine.id}`, {
      method: 'PATCH',
      session: doctor,
      body: { archived: true },
    });
    const r = await call('/api/clinics/c1/boards', { session: doctor });
    expect(r.status).toBe(200);
    const ids = r.json.boards.map((b: { id: string }) => b.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(r.json.boards.find((b: { id: string }) => b.id === mine.id).archived).toBe(true);
    const display = await call('/api/clinics/c1/boards', { bearer: await t.token('display') });
    expect(display.status).toBe(403);
  });

  it("retitles a board: the row, the doc's meta.title and the staff doc's list", async () => {
    const board = (await create({ title: 'Avant', template: 'retro' })).json.board;
    const r = await call(`/api/clinics/c1/boards/${board.id}`, {
      method: 'PATCH',
      session: doctor,
      body: { title: 'Après' },
    });
    expect(r.status).toBe(200);
    expect(r.json.board).toEqual({ ...board, title: 'Après' });
    expect(boardRoots(await t.storedDoc(`board:${board.id}`)).meta.get('title')).toBe('Après');
    const listed = staffBoardList(await t.storedDoc('staff:c1')).find((b) => b.id === board.id);
    expect(listed?.title).toBe('Après');
  });

  it('archives and restores a board, mirrored into the staff doc', async () => {
    const board = (await create({ title: 'Archivable' })).json.board;
    const patch = (body: unknown) =>
      call(`/api/clinics/c1/boards/${board.id}`, { method: 'PATCH', session: doctor, body });
    expect((await patch({ archived: true })).json.board.archived).toBe(true);
    const mirrored = () =>
      t.storedDoc('staff:c1').then((d) => staffBoardList(d).find((b) => b.id === board.id));
    expect((await mirrored())?.archived).toBe(true);
    expect((await patch({ archived: false })).json.board.archived).toBe(false);
    expect((await mirrored())?.archived).toBe(false);
  });

  it('answers 404 for an unknown board and for another clinic’s board, 400 for a bad patch', async () => {
    const theirs = (await create({ title: 'Secret' }, other, 'c2')).json.board;
    for (const id of ['nope', theirs.id]) {
      const r = await call(`/api/clinics/c1/boards/${id}`, {
        method: 'PATCH',
        session: doctor,
        body: { archived: true },
      });
      expect(r.status).toBe(404);
      expect(r.json.error.code).toBe('not-found');
    }
    const mine = (await create({ title: 'Mine' })).json.board;
    for (const body of [{}, { title: '' }, { archived: 'yes' }, { color: 'red' }]) {
      const r = await call(`/api/clinics/c1/boards/${mine.id}`, {
        method: 'PATCH',
        session: doctor,
        body,
      });
      expect(r.status).toBe(400);
    }
    const byOther = await call(`/api/clinics/c1/boards/${mine.id}`, {
      method: 'PATCH',
      session: other,
      body: { archived: true },
    });
    expect(byOther.status).toBe(403);
  });
});

describe('exporting a board', () => {
  let boardId: string;

  beforeAll(async () => {
    boardId = (await create({ title: 'Réunion, "lundi"', template: 'huddle' })).json.board.id;
    // Content as a screen would write it, through the relay's write path.
    await t.server.relay.change(`board:${boardId}` as never, (doc: Y.Doc) => {
      const roots = boardRoots(doc);
      doc.transact(() => {
        const card = roots.cards.get('how-to')!;
        (card.get('body') as Y.Text).insert(0, 'Ligne 1, "citée"\n');
        (card.get('assignees') as Y.Map<boolean>).set(doctorId, true);
        roots.votes.set(voteKey('how-to', doctorId), Date.now());
        roots.comments.set('m1', {
          cardId: 'how-to',
          text: 'Vu en réunion',
          author: doctorId,
          at: Date.now(),
        });
      });
    });
  });

  const exp = (format: string, session: LoggedIn = doctor) =>
    call(`/api/clinics/c1/boards/${boardId}/export?format=${format}`, { session });

  it('exports JSON: board, columns, cards with votes, comments and checklist, labels', async () => {
    const r = await exp('json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="reunion-lundi-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(r.json.board).toMatchObject({ id: boardId, title: 'Réunion, "lundi"', archived: false });
    expect(r.json.columns.map((c: { id: string }) => c.id)).toEqual(
      TEMPLATE_CONTENT.huddle.columns.map((c) => c.id),
    );
    const card = r.json.cards.find((c: { id: string }) => c.id === 'how-to');
    expect(card).toMatchObject({
      votes: [doctorId],
      assignees: [doctorId],
      createdByName: 'Dr Alice Martin',
      checklist: [],
      comments: [{ author: doctorId, authorName: 'Dr Alice Martin', text: 'Vu en réunion' }],
    });
    expect(r.json.labels.length).toBe(TEMPLATE_CONTENT.huddle.labels.length);
  });

  it('exports CSV with the fixed header and RFC 4180 quoting', async () => {
    const r = await exp('csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/filename="reunion-lundi-.*\.csv"/);
    const text = r.json as string;
    expect(text.split('\r\n')[0]).toBe(
      'card_id,column,title,body,assignees,labels,due,votes,archived,created_by,created_at',
    );
    expect(text).toContain('"Ligne 1, ""citée""\nUne carte par point');
    expect(text).toContain(',Dr Alice Martin,,,1,false,Dr Alice Martin,');
  });

  it('exports Markdown minutes with names, in the clinic’s language', async () => {
    const r = await exp('md');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/markdown/);
    const md = r.json as string;
    expect(md).toMatch(/^# Réunion, "lundi"\n/);
    expect(md).toContain('(Europe/Paris)');
    expect(md).toContain('_Exporté le ');
    expect(md).toContain('- Assignés: Dr Alice Martin');
    expect(md).toContain('**Dr Alice Martin**');
    expect(md).toContain('- Votes: 1');
  });

  it('answers 400 for an unknown format, 404 for an unknown board, 403 for another clinic', async () => {
    expect((await exp('xlsx')).status).toBe(400);
    expect(
      (await call('/api/clinics/c1/boards/nope/export?format=csv', { session: doctor })).status,
    ).toBe(404);
    expect((await exp('csv', other)).status).toBe(403);
    const patient = await call(`/api/clinics/c1/boards/${boardId}/export`, {
      bearer: await t.token('patient'),
    });
    expect(patient.status).toBe(403);
  });

  it('defaults to JSON', async () => {
    const r = await call(`/api/clinics/c1/boards/${boardId}/export`, { session: doctor });
    expect(r.status).toBe(200);
    expect(r.json.board.id).toBe(boardId);
  });
});

describe('export file names', () => {
  it('keep letters and digits of the title, accents folded, and the date', () => {
    const at = Date.UTC(2026, 11, 2);
    expect(exportFileName('Réunion, "lundi" / 3', at, 'csv')).toBe(
      'reunion-lundi-3-2026-12-02.csv',
    );
    expect(exportFileName('…', at, 'md')).toBe('board-2026-12-02.md');
    expect(exportFileName('a'.repeat(100), at, 'json')).toBe(`${'a'.repeat(60)}-2026-12-02.json`);
  });
});
