import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  boardView,
  cardComments,
  patientIdentifierHints,
  TEMPLATE_CONTENT_BY_LOCALE,
} from '../shared/board/index.js';
import { parseDocName } from '../shared/ids.js';
import { staffBoardList } from '../shared/staff/boards.js';
import { createClinic } from './clinic-setup.js';
import type { Config } from './config.js';
import {
  DEMO_BOARD,
  DEMO_CLINIC_ID,
  DEMO_STAFF,
  ensureDemoBoard,
  seedDemoIfEmpty,
} from './demo-clinic.js';
import { defaultRelayLimits } from './relay/limits.js';
import { startServer, type RunningServer } from './server.js';
import { TEST_SCRYPT } from './test-support/harness.js';

const dirs: string[] = [];
const running: RunningServer[] = [];

/** A server on an empty database (the test harness always adds two clinics). */
async function start(dataDir?: string): Promise<{ server: RunningServer; dataDir: string }> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-demo-'));
  if (!dataDir) dirs.push(dir);
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    databaseUrl: null,
    synchronous: 'normal',
    publicUrl: null,
    trustProxy: false,
    logLevel: 'silent',
    appDir: path.join(dir, 'no-app'),
    limits: defaultRelayLimits,
  };
  const server = await startServer(config, pino({ level: 'silent' }), { scrypt: TEST_SCRYPT });
  running.push(server);
  return { server, dataDir: dir };
}

async function stop(server: RunningServer): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.stop();
}

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function storedDoc(server: RunningServer, docName: string): Promise<Y.Doc> {
  const stored = await server.store.load(parseDocName(docName).name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

async function staffIds(server: RunningServer): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const s of DEMO_STAFF) ids[s.role] = (await server.users.findByEmail(s.email))!.id;
  return ids;
}

describe('the demo clinic’s board', () => {
  it('is created with the demo clinic: one French huddle board, in the table, its doc and the staff doc’s list', async () => {
    const { server } = await start();
    const now = Date.UTC(2026, 11, 2, 8, 0);
    expect(await seedDemoIfEmpty(server, now)).not.toBeNull();

    const boards = await server.boards.list(DEMO_CLINIC_ID);
    expect(boards).toHaveLength(1);
    const [board] = boards;
    const ids = await staffIds(server);
    expect(board).toMatchObject({
      title: 'Point d’équipe du matin',
      template: 'huddle',
      archivedAt: null,
      createdBy: ids.admin,
    });
    expect(staffBoardList(await storedDoc(server, 'staff:demo'))).toEqual([
      {
        id: board!.id,
        title: 'Point d’équipe du matin',
        template: 'huddle',
        archived: false,
        createdAt: board!.createdAt,
      },
    ]);

    const doc = await storedDoc(server, `board:${board!.id}`);
    const view = boardView(doc, ids.doctor!);
    expect(view.meta.title).toBe('Point d’équipe du matin');
    expect(view.columns.map((c) => c.title)).toEqual(
      TEMPLATE_CONTENT_BY_LOCALE.fr.huddle.columns.map((c) => c.title),
    );
    // The template's how-to card, then the demo cards, each by the demo account that raised it.
    expect(view.cardCount).toBe(1 + DEMO_BOARD.fr.cards.length);
    const byTitle = new Map(view.cards.map((c) => [c.title, c]));
    for (const c of DEMO_BOARD.fr.cards) {
      const card = byTitle.get(c.title)!;
      expect(card, c.title).toBeDefined();
      expect(card).toMatchObject({ column: c.column, createdBy: ids[c.by] });
    }
    const slippery = byTitle.get('Sol glissant à l’entrée les jours de pluie')!;
    expect(slippery).toMatchObject({ labels: ['urgent'], assignees: [ids.admin] });
    const call = byTitle.get('Deux personnes se sont levées au même appel')!;
    expect(call.votes).toEqual([ids.admin, ids.receptionist].sort());
    expect(cardComments(doc, call.id).map((m) => m.author)).toEqual([ids.receptionist]);
    const printer = byTitle.get('Imprimante de l’accueil : cartouche presque vide')!;
    expect(printer.due).toBe('2026-12-05');
    expect(printer.checklist.map((i) => [i.text, i.done])).toEqual([
      ['Commander la cartouche', true],
      ['La changer à réception', false],
    ]);
  });

  it('holds no patient data: nothing a privacy hint would flag', () => {
    for (const { cards } of Object.values(DEMO_BOARD))
      for (const c of cards) {
        const texts = [
          c.title,
          c.body,
          ...(c.checklist ?? []),
          ...(c.comments ?? []).map((m) => m.text),
        ];
        for (const text of texts) expect(patientIdentifierHints(text), text).toEqual([]);
      }
  });

  it('is not created again on restart, nor when the team archived it', async () => {
    const { server, dataDir } = await start();
    await seedDemoIfEmpty(server, Date.now());
    const [board] = await server.boards.list(DEMO_CLINIC_ID);
    const cards = boardView(await storedDoc(server, `board:${board!.id}`), 'x').cardCount;
    await stop(server);

    const again = (await start(dataDir)).server;
    expect(await seedDemoIfEmpty(again, Date.now())).toBeNull();
    expect((await again.boards.list(DEMO_CLINIC_ID)).map((b) => b.id)).toEqual([board!.id]);
    expect(boardView(await storedDoc(again, `board:${board!.id}`), 'x').cardCount).toBe(cards);

    await again.boards.update(DEMO_CLINIC_ID, board!.id, { archived: true });
    expect(await ensureDemoBoard(again, Date.now())).toBeNull();
    expect(await again.boards.list(DEMO_CLINIC_ID)).toHaveLength(1);
  });

  it('is added on the next start to a demo clinic seeded before boards existed, in its language', async () => {
    const { server } = await start();
    const now = Date.now();
    await createClinic(
      { clinics: server.clinics, store: server.store },
      { id: DEMO_CLINIC_ID, name: 'Demo clinic', locale: 'en' },
      now,
    );
    for (const s of DEMO_STAFF)
      await server.users.add(
        {
          email: s.email,
          name: s.name,
          password: 'demo password',
          clinics: [{ clinicId: DEMO_CLINIC_ID, role: s.role }],
        },
        now,
      );
    expect(await seedDemoIfEmpty(server, now)).toBeNull();
    const boards = await server.boards.list(DEMO_CLINIC_ID);
    expect(boards.map((b) => b.title)).toEqual(['Morning huddle']);
    const view = boardView(await storedDoc(server, `board:${boards[0]!.id}`), 'x');
    expect(view.columns[0]?.title).toBe('Safety concerns');
    expect(view.cards.map((c) => c.title)).toContain('Put up the queue QR code poster');
  });

  it('is never added to a clinic called demo that the demo did not seed (no demo accounts)', async () => {
    const { server } = await start();
    await createClinic(
      { clinics: server.clinics, store: server.store },
      { id: DEMO_CLINIC_ID, name: 'Our real clinic' },
      Date.now(),
    );
    expect(await seedDemoIfEmpty(server, Date.now())).toBeNull();
    expect(await server.boards.list(DEMO_CLINIC_ID)).toEqual([]);
  });
});
