/**
 * Who may open a board over the real relay: staff of the board's clinic
 * (session cookie, or a staff token from the CLI) read and write; an
 * archived board is read-only for everyone, also for sockets already open
 * when it is archived; displays, patients, API keys, other clinics' staff
 * and unregistered ids are closed with 4403. An archive made through one
 * server reaches the sockets of another server on the same database (sweep).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { boardRoots, renameColumn } from '../../shared/board/index.js';
import { parseClinicId } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import {
  startTestServer,
  synced,
  until,
  untilAsync,
  type LoggedIn,
  type TestServer,
} from '../test-support/harness.js';

let t: TestServer;
let doctor: LoggedIn;
let doctorId: string;
let otherClinic: LoggedIn;

beforeAll(async () => {
  t = await startTestServer();
  doctorId = (await t.staff('doc@c1.example', { c1: 'doctor' })).user.id;
  await t.staff('rec@c2.example', { c2: 'receptionist' });
  doctor = await t.login('doc@c1.example', 'correct horse battery');
  otherClinic = await t.login('rec@c2.example', 'correct horse battery');
});
afterAll(async () => {
  await t?.close();
});

const newBoard = async (title = 'Huddle') =>
  (
    await t.server.boards.create(parseClinicId('c1'), {
      title,
      template: 'huddle',
      createdBy: doctorId,
    })
  ).id;

/** A legitimate client edit: renames the huddle's first column. */
function write(p: WebsocketProvider, title: string): void {
  const r = renameColumn(
    p.doc,
    { columnId: 'safety', title },
    { actor: doctorId, now: Date.now() },
  );
  if (!r.ok) throw new Error(r.error.message);
}

const stored = async (boardId: string) =>
  boardRoots(await t.storedDoc(`board:${boardId}`))
    .columns.get('safety')
    ?.get('title');

/** Resolves with the code of the next close the provider sees. */
const nextClose = (p: WebsocketProvider): Promise<number> =>
  new Promise((resolve) =>
    p.once('connection-close', (event) => resolve((event as { code: number } | null)?.code ?? 0)),
  );

const droppedWrites = async () =>
  (await t.server.metrics.writesDropped.get()).values[0]?.value ?? 0;

async function closeCode(docName: string, who: { token?: string; session?: LoggedIn }) {
  const raw = who.session
    ? t.raw(docName, null, { cookie: who.session.cookie, origin: t.httpUrl })
    : t.raw(docName, who.token!);
  return (await raw.closed).code;
}

describe('board access over the relay', () => {
  it('lets a staff member of the clinic read and write the board (session cookie)', async () => {
    const id = await newBoard();
    const p = t.cookieProvider(`board:${id}`, doctor.cookie);
    await synced(p);
    expect(boardRoots(p.doc).meta.get('title')).toBe('Huddle');
    write(p, 'written by staff');
    await untilAsync(async () => (await stored(id)) === 'written by staff');
  });

  it('lets a staff token from the CLI read and write the board', async () => {
    const id = await newBoard();
    const p = t.provider(`board:${id}`, await t.token('receptionist'));
    await synced(p);
    write(p, 'by token');
    await untilAsync(async () => (await stored(id)) === 'by token');
  });

  it('closes displays, patients and API keys of the clinic with 4403', async () => {
    const id = await newBoard();
    const { token: apiKey } = await t.server.tokens.create(
      { kind: 'api-key', clinicId: parseClinicId('c1'), role: 'receptionist', label: 'EHR' },
      Date.now(),
    );
    for (const token of [await t.token('display'), await t.token('patient'), apiKey]) {
      expect(await closeCode(`board:${id}`, { token })).toBe(CloseCode.forbidden);
    }
  });

  it("closes another clinic's staff with 4403, by session and by token", async () => {
    const id = await newBoard();
    expect(await closeCode(`board:${id}`, { session: otherClinic })).toBe(CloseCode.forbidden);
    expect(await closeCode(`board:${id}`, { token: await t.token('admin', 'c2') })).toBe(
      CloseCode.forbidden,
    );
  });

  it('closes an unregistered board id with 4403, even for staff', async () => {
    expect(await closeCode('board:never-created', { session: doctor })).toBe(CloseCode.forbidden);
    expect(await closeCode('board:never-created', { token: await t.token('admin') })).toBe(
      CloseCode.forbidden,
    );
  });

  it('serves an archived board read-only: it syncs, but writes are dropped', async () => {
    const id = await newBoard();
    await t.server.boards.update(parseClinicId('c1'), id, { archived: true });
    const p = t.cookieProvider(`board:${id}`, doctor.cookie);
    await synced(p);
    expect(boardRoots(p.doc).meta.get('title')).toBe('Huddle');
    const before = await droppedWrites();
    write(p, 'should not stick');
    await untilAsync(async () => (await droppedWrites()) > before, 10_000, 'write dropped');
    expect(await stored(id)).toBe('Sécurité');
    // Still a reader: server changes reach it live.
    await t.server.boards.update(parseClinicId('c1'), id, { title: 'Huddle (archivé)' });
    await until(() => boardRoots(p.doc).meta.get('title') === 'Huddle (archivé)');
  });

  it('turns sockets already open read-only when the board is archived, and writable again when restored', async () => {
    const id = await newBoard();
    const p = t.cookieProvider(`board:${id}`, doctor.cookie);
    await synced(p);

    // Archive: the open socket is closed with 1012 and reconnects by itself, read-only.
    let closed = nextClose(p);
    await t.server.boards.update(parseClinicId('c1'), id, { archived: true });
    expect(await closed).toBe(CloseCode.restart);
    await until(() => p.wsconnected && p.synced, 10_000, 'reconnected');
    const before = await droppedWrites();
    write(p, 'after archive');
    await untilAsync(async () => (await droppedWrites()) > before, 10_000, 'write dropped');
    expect(await stored(id)).toBe('Sécurité');

    // Restore: closed again, and what it writes after reconnecting is stored.
    closed = nextClose(p);
    await t.server.boards.update(parseClinicId('c1'), id, { archived: false });
    expect(await closed).toBe(CloseCode.restart);
    await until(() => p.wsconnected && p.synced, 10_000, 'reconnected');
    write(p, 'after restore');
    await untilAsync(async () => (await stored(id)) === 'after restore');
  });

  it('admits a board created after a refused attempt on its id was cached', async () => {
    // The relay caches misses briefly; creating the board invalidates at once.
    expect(await closeCode('board:never-created', { session: doctor })).toBe(CloseCode.forbidden);
    const id = await newBoard('Fresh');
    const p = t.cookieProvider(`board:${id}`, doctor.cookie);
    await synced(p);
    expect(boardRoots(p.doc).meta.get('title')).toBe('Fresh');
  });
});

describe('board access across two servers on one database', () => {
  it('turns a socket on the other server read-only within the sweep when one server archives the board', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-board-two-'));
    const one = await startTestServer({ dataDir });
    const two = await startTestServer({ dataDir });
    try {
      const ana = await one.staff('ana@c1.example', { c1: 'doctor' });
      const session = await two.login('ana@c1.example', 'correct horse battery');
      const board = await one.server.boards.create(parseClinicId('c1'), {
        title: 'Shared',
        template: 'huddle',
        createdBy: ana.user.id,
      });
      const p = two.cookieProvider(`board:${board.id}`, session.cookie);
      await synced(p);
      const closed = nextClose(p);
      await one.server.boards.update(parseClinicId('c1'), board.id, { archived: true });
      expect(await closed).toBe(CloseCode.restart);
      await until(() => p.wsconnected && p.synced, 10_000, 'reconnected');
      const before = (await two.server.metrics.writesDropped.get()).values[0]?.value ?? 0;
      const r = renameColumn(
        p.doc,
        { columnId: 'safety', title: 'after archive' },
        { actor: ana.user.id, now: Date.now() },
      );
      expect(r.ok).toBe(true);
      await untilAsync(
        async () => ((await two.server.metrics.writesDropped.get()).values[0]?.value ?? 0) > before,
        10_000,
        'write dropped by server two',
      );
    } finally {
      await two.close();
      await one.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
