/**
 * Changes the server makes itself (HTTP API): they take the write path of a
 * client's update — stored, then relayed — and answer only once durable.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocName, type DocName } from '../../shared/ids.js';
import { createMemoryDocStore } from '../store/memory-store.js';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';
import { defaultRelayLimits } from './limits.js';
import { createRelay, StoreUnavailableError } from './relay.js';

const QUEUE = parseDocName('queue:c1').name;

describe('server-side changes', () => {
  let t: TestServer | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('reach connected clients and the store, and resolve with the result once durable', async () => {
    t = await startTestServer();
    const token = await t.token('receptionist');
    const client = t.provider(QUEUE, token);
    await synced(client);

    const result = await t.server.relay.change(QUEUE, (doc) => {
      doc.getMap('api-test').set('k', 'v');
      return 42;
    });
    expect(result).toBe(42);
    const copy = await t.storedDoc(QUEUE);
    expect(copy.getMap('api-test').get('k')).toBe('v');
    await until(() => client.doc.getMap('api-test').get('k') === 'v', 5000, 'relayed change');
  });

  it('load an unloaded document, and a change that changes nothing stores nothing', async () => {
    t = await startTestServer();
    const before = await t.server.store.load(QUEUE);
    await t.server.relay.change(QUEUE, (doc) => doc.getMap('x').set('a', 1));
    await t.server.relay.change(QUEUE, () => undefined);
    const after = await t.server.store.load(QUEUE);
    expect(after.updates.length).toBe(before.updates.length + 1);
    expect(await t.server.relay.read(QUEUE, (doc) => doc.getMap('x').get('a'))).toBe(1);
  });

  it('reject with StoreUnavailableError when the store refuses the write, and keep nothing', async () => {
    const store = createMemoryDocStore();
    const relay = createRelay({
      store,
      append: () => Promise.reject(new Error('disk full')),
      limits: defaultRelayLimits,
      logger: pino({ level: 'silent' }),
      now: () => Date.now(),
      authenticate: async () => null,
      boardClinic: async () => null,
      revocations: { head: async () => 0, since: async (seq) => ({ ids: [], seq }) },
      revokedAfter: 0,
    });
    const doc: DocName = QUEUE;
    await expect(relay.change(doc, (d) => d.getMap('x').set('lost', true))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(await relay.read(doc, (d) => d.getMap('x').get('lost'))).toBeUndefined();
    await relay.stop();
  });
});
