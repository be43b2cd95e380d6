/**
 * A board survives SIGKILL of a real server process: its row (so the relay
 * still admits its staff), its seeded template, a title changed just before
 * the kill, the staff doc's list, and every card another client had seen.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addCard, boardRoots } from '../../shared/board/index.js';
import { staffBoardList } from '../../shared/staff/boards.js';
import { apiClient } from '../http/test-support/api-client.js';
import { synced, until, webSocketWithHeaders } from '../test-support/harness.js';
import { CLI_ENTRY, CLI_ENV, REPO_ROOT, startServeProcess } from '../test-support/serve-process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-board-kill-'));
const PASSWORD = 'correct horse battery';

function runCli(args: string[], input?: string): string {
  const r = spawnSync(process.execPath, [...CLI_ENTRY, ...args, '--data', dataDir], {
    cwd: REPO_ROOT,
    env: CLI_ENV,
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
  if (r.status !== 0) throw new Error(`queuemed ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

const children: ChildProcess[] = [];
const providers: WebsocketProvider[] = [];
afterAll(() => {
  for (const p of providers) p.destroy();
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const { child, port } = await startServeProcess(dataDir);
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  const call = apiClient(base);
  const login = await call('/api/auth/login', {
    body: { email: 'ana@demo.example', password: PASSWORD },
  });
  expect(login.status).toBe(200);
  const session = {
    cookie: login.headers.get('set-cookie')!.split(';')[0]!,
    csrfToken: login.json.csrfToken as string,
  };
  const open = (docName: string) => {
    const p = new WebsocketProvider(`ws://127.0.0.1:${port}/ws`, docName, new Y.Doc(), {
      WebSocketPolyfill: webSocketWithHeaders({ cookie: session.cookie, origin: base }),
      disableBc: true,
    });
    providers.push(p);
    return p;
  };
  return { child, call, session, userId: login.json.user.id as string, open };
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('board durability', () => {
  it('keeps a board, its title change and every card a client saw across SIGKILL of the server', async () => {
    runCli(['clinic', 'add', 'demo', '--name', 'Kill test']);
    runCli(
      [
        'user',
        'add',
        'ana@demo.example',
        '--clinic',
        'demo',
        '--role',
        'doctor',
        '--password-stdin',
      ],
      `${PASSWORD}\n`,
    );

    const first = await start();
    const created = await first.call('/api/clinics/demo/boards', {
      session: first.session,
      body: { title: 'Retro', template: 'retro' },
    });
    expect(created.status).toBe(201);
    const boardId = created.json.board.id as string;
    const docName = `board:${boardId}`;

    const writer = first.open(docName);
    const reader = first.open(docName);
    await Promise.all([synced(writer), synced(reader)]);
    const ctx = () => ({ actor: first.userId, now: Date.now() });
    for (let i = 0; i < 30; i++) {
      const r = addCard(writer.doc, { column: 'went-well', title: `Card ${i}` }, ctx());
      expect(r.ok).toBe(true);
    }
    await until(() => boardRoots(reader.doc).cards.size >= 30, 15_000, 'reader sees the cards');
    const seen = [...boardRoots(reader.doc).cards.keys()];

    // Answered only once durable: the kill right after must not lose it.
    const renamed = await first.call(`/api/clinics/demo/boards/${boardId}`, {
      method: 'PATCH',
      session: first.session,
      body: { title: 'Retro (final)' },
    });
    expect(renamed.status).toBe(200);
    await killed(first.child);
    writer.destroy();
    reader.destroy();

    const second = await start();
    const list = await second.call('/api/clinics/demo/boards', { session: second.session });
    expect(list.json.boards).toEqual([
      expect.objectContaining({ id: boardId, title: 'Retro (final)' }),
    ]);
    const fresh = second.open(docName);
    await synced(fresh);
    const roots = boardRoots(fresh.doc);
    expect(roots.meta.get('title')).toBe('Retro (final)');
    expect([...roots.columns.keys()].sort()).toEqual(['actions', 'to-improve', 'went-well']);
    expect(seen.filter((id) => !roots.cards.has(id))).toEqual([]);
    const staff = second.open('staff:demo');
    await synced(staff);
    expect(staffBoardList(staff.doc)).toEqual([
      expect.objectContaining({ id: boardId, title: 'Retro (final)', archived: false }),
    ]);
    second.child.kill('SIGTERM');
  }, 120_000);
});
