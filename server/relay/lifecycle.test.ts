import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import {
  startTestServer,
  synced,
  until,
  untilAsync,
  type TestServer,
} from '../test-support/harness.js';

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const staff = parseDocName('staff:c1').name;

describe('document lifecycle', () => {
  it('compacts a busy document into one snapshot and keeps later updates', async () => {
    t = await startTestServer({ limits: { compactAfterUpdates: 20 } });
    const p = t.provider('staff:c1', await t.token('receptionist'));
    await synced(p);
    for (let i = 0; i < 45; i++) p.doc.getMap('m').set(`k${i}`, i);
    const reader = t.provider('staff:c1', await t.token('receptionist'));
    await until(() => reader.doc.getMap('m').size >= 45, 10_000, 'all relayed');
    await untilAsync(
      async () => (await t!.server.store.load(staff)).snapshot !== null,
      10_000,
      'compaction',
    );
    const stored = await t.server.store.load(staff);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeLessThan(45);
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, stored.snapshot!);
    for (const u of stored.updates) Y.applyUpdate(rebuilt, u);
    expect(rebuilt.getMap('m').size).toBe(p.doc.getMap('m').size);
  });

  it('unloads an idle document into one snapshot and reloads it intact', async () => {
    t = await startTestServer({ limits: { idleUnloadMs: 50 } });
    const p = t.provider('staff:c1', await t.token('receptionist'));
    await synced(p);
    p.doc.getMap('m').set('before-unload', true);
    const observer = t.provider('staff:c1', await t.token('receptionist'));
    await until(() => observer.doc.getMap('m').get('before-unload') === true, 10_000);
    p.destroy();
    observer.destroy();
    await until(() => t!.server.relay.roomCount === 0, 10_000, 'unload');
    await untilAsync(
      async () => (await t!.server.store.load(staff)).updates.length === 0,
      10_000,
      'final snapshot',
    );
    const stored = await t.server.store.load(staff);
    expect(stored.updates).toHaveLength(0);
    const fresh = t.provider('staff:c1', await t.token('receptionist'));
    await synced(fresh);
    expect(fresh.doc.getMap('m').get('before-unload')).toBe(true);
  });

  it('closes a reader that stops reading with 4508 while the others keep syncing', async () => {
    t = await startTestServer({
      limits: {
        sendBufferSoftBytes: 1024,
        sendBufferHardBytes: 256 * 1024,
        slowConsumerGraceMs: 60_000,
      },
    });
    const token = await t.token('receptionist');
    const writer = t.provider('staff:c1', token);
    const healthy = t.provider('staff:c1', token);
    await Promise.all([synced(writer), synced(healthy)]);
    const slow = t.raw('staff:c1', token);
    await slow.opened;
    // Sync step 1 so the relay starts relaying to it, then stop reading.
    slow.send(new Uint8Array([0, 0, 1, 0]));
    await until(() => slow.received.length >= 2, 5000, 'slow synced');
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const chunk = 'x'.repeat(16 * 1024);
    let i = 0;
    let closedCode = 0;
    void slow.closed.then((c) => (closedCode = c.code));
    const lastHealthy = () => healthy.doc.getMap('m').get(`k${i - 1}`) !== undefined;
    while (closedCode === 0 && i < 2000) {
      writer.doc.getMap('m').set(`k${i++}`, chunk);
      if (i % 20 === 0) await until(lastHealthy, 10_000, 'healthy reader keeps up');
      const stats = t.server.relay.connectionCount;
      if (stats < 3) break;
    }
    await until(() => t!.server.relay.connectionCount === 2, 10_000, 'slow reader closed');
    const closes = t.logs.filter(
      (l) => l.msg === 'closing connection' && l.code === CloseCode.slowConsumer,
    );
    expect(closes).toHaveLength(1);
    await until(lastHealthy, 10_000, 'healthy reader has everything');
  });
});
