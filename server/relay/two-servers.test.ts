/**
 * Two servers on one SQLite file (in this process): neither exchanges live
 * updates with the other yet, but each picks up what the other stored — when
 * its own append skips a seq, and before compacting — and relays it to its
 * own clients; a compaction never deletes what the other stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTestServer,
  synced,
  until,
  untilAsync,
  type TestServer,
} from '../test-support/harness.js';

let servers: TestServer[] = [];
let dataDir = '';
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function twoServers(limits: { compactAfterUpdates?: number } = {}) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-two-servers-'));
  const one = await startTestServer({ dataDir, limits });
  const two = await startTestServer({ dataDir, limits });
  servers = [one, two];
  return [one, two] as const;
}

describe('two servers on one database', () => {
  it("relays the other server's stored edit to its own clients when its own next append skips a seq", async () => {
    const [one, two] = await twoServers();
    const a = one.provider('staff:c1', await one.token('receptionist'));
    const b = two.provider('staff:c1', await two.token('receptionist'));
    await Promise.all([synced(a), synced(b)]);

    b.doc.getMap('m').set('from-two', 1);
    // Stored through server two; server one learns of it on its next append.
    await untilAsync(
      async () => (await two.storedDoc('staff:c1')).getMap('m').has('from-two'),
      10_000,
      'edit stored by server two',
    );
    expect(a.doc.getMap('m').has('from-two')).toBe(false);
    a.doc.getMap('m').set('from-one', 1);
    await until(
      () => a.doc.getMap('m').get('from-two') === 1,
      10_000,
      'edit relayed by server one',
    );
    expect((await one.storedDoc('staff:c1')).getMap('m').toJSON()).toMatchObject({
      'from-one': 1,
      'from-two': 1,
    });
  });

  it('compacts without deleting what the other server stored, and a fresh load has both', async () => {
    const [one, two] = await twoServers({ compactAfterUpdates: 10 });
    const a = one.provider('staff:c1', await one.token('receptionist'));
    const b = two.provider('staff:c1', await two.token('receptionist'));
    await Promise.all([synced(a), synced(b)]);
    for (let i = 0; i < 60; i++) {
      (i % 2 ? a : b).doc.getMap('m').set(`k${i}`, i);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const expected = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    await until(
      () => Object.keys(a.doc.getMap('m').toJSON()).length === 60,
      10_000,
      "server one's client has every edit",
    );
    // Both servers have compacted several times meanwhile.
    await servers[0]!.server.relay.stop();
    await servers[1]!.server.relay.stop();
    expect((await one.storedDoc('staff:c1')).getMap('m').toJSON()).toEqual(expected);
  });
});
