/**
 * The forged-write guard on two real servers sharing one database (SQLite
 * file: board-guard-servers.test.ts; PostgreSQL: board-guard-servers.pg.test.ts).
 * The clientID registry is the database's: a clientID claimed through one
 * server is someone else's on the other. A full-state step 2 carrying what
 * the other server stored is accepted after catching up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, syncStep1Frame, updateFrame } from '../../shared/protocol.js';
import {
  startTestServer,
  synced,
  until,
  untilAsync,
  type TestServer,
} from '../test-support/harness.js';

const BOARD = 'board:b1';

export function describeGuardOnTwoServers(
  name: string,
  open: () => Promise<{
    options: Parameters<typeof startTestServer>[0];
    cleanup: () => Promise<void>;
  }>,
): void {
  describe(`the forged-write guard on two servers (${name})`, () => {
    let servers: TestServer[] = [];
    let cleanup: () => Promise<void> = async () => {};
    afterEach(async () => {
      for (const s of servers) await s.close();
      servers = [];
      await cleanup();
    });

    async function twoServers() {
      const opened = await open();
      cleanup = opened.cleanup;
      const one = await startTestServer(opened.options);
      const two = await startTestServer(opened.options);
      servers = [one, two];
      await one.server.db.execute(
        `INSERT INTO boards (id, clinic_id, title, template, created_by, created_at)
         VALUES ('b1', 'c1', 'Huddle', 'blank', 'x', 0)`,
      );
      return [one, two] as const;
    }

    /** Sends one update on a fresh raw connection: the close code, or null once acknowledged. */
    async function send(server: TestServer, token: string, update: Uint8Array) {
      const raw = server.raw(BOARD, token);
      await raw.opened;
      let code: number | null = null;
      void raw.closed.then((c) => (code = c.code));
      raw.send(syncStep1Frame(Y.encodeStateVector(new Y.Doc())));
      raw.send(updateFrame(update));
      // Decided: closed, or acknowledged (a sync step 1 after the first one).
      const step1s = () => raw.received.filter((f) => f[0] === 0 && f[1] === 0).length;
      await until(() => code !== null || step1s() >= 2, 10_000, 'a decision');
      return code;
    }

    it("refuses another user's clientID on either server, and accepts a step 2 of what the other stored", async () => {
      const [one, two] = await twoServers();
      const [alice, bob, carol, dave, mallory] = await Promise.all(
        ['Alice', 'Bob', 'Carol', 'Dave', 'Mallory'].map((label) =>
          one.token('receptionist', 'c1', { label }),
        ),
      );
      // The user id the server gives a CLI token's connection.
      const userOf = async (token: string) =>
        `token:${(await one.server.tokens.verify(token, Date.now()))!.id}`;
      const a = one.provider(BOARD, alice!);
      const c = one.provider(BOARD, carol!);
      await Promise.all([synced(a), synced(c)]);
      const aliceUser = await userOf(alice!);
      const card = new Y.Map<unknown>();
      a.doc.transact(() => {
        a.doc.getMap('cards').set('c1', card);
        card.set('createdBy', aliceUser);
      });
      await until(() => c.doc.getMap('cards').has('c1'), 10_000, 'card at Carol');
      const d = two.provider(BOARD, dave!); // server two loads the board now
      await synced(d);
      const b = one.provider(BOARD, bob!);
      await synced(b);
      const bobUser = await userOf(bob!);
      b.doc.getMap('votes').set(`c1:${bobUser}`, 1);
      await until(() => c.doc.getMap('votes').size === 1, 10_000, "Bob's vote at Carol");
      await untilAsync(
        async () => (await two.storedDoc(BOARD)).getMap('votes').size === 1,
        10_000,
        "Bob's vote stored",
      );
      expect(d.doc.getMap('votes').size).toBe(0); // server two has not loaded it

      // Carol's whole state through server two: accepted after a catch-up.
      expect(await send(two, carol!, Y.encodeStateAsUpdate(c.doc))).toBeNull();
      await until(() => d.doc.getMap('votes').size === 1, 10_000, "Bob's vote at Dave");

      // Mallory under Alice's clientID, claimed through server one: refused by server two.
      const hijack = new Y.Doc();
      Y.applyUpdate(hijack, Y.encodeStateAsUpdate(a.doc));
      hijack.clientID = a.doc.clientID;
      const before = Y.encodeStateVector(hijack);
      (hijack.getMap('cards').get('c1') as Y.Map<unknown>).set('column', 'todo');
      const forged = Y.encodeStateAsUpdate(hijack, before);
      expect(await send(two, mallory!, forged)).toBe(CloseCode.forgedWrite);
      expect(d.doc.getMap('cards').toJSON().c1).not.toHaveProperty('column');
      expect(two.logs.some((l) => l.msg === 'forged write refused')).toBe(true);
      // The claims are in the database, one owner per clientID.
      const rows = await one.server.db.query<{ client_id: number; user_id: string }>(
        'SELECT client_id, user_id FROM doc_clients WHERE doc = $1',
        [BOARD],
      );
      const owners = new Map(rows.map((r) => [Number(r.client_id), r.user_id]));
      expect(owners.get(a.doc.clientID)).toBe(aliceUser);
      expect(owners.get(b.doc.clientID)).toBe(bobUser);
    }, 30_000);
  });
}
