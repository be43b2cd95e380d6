/**
 * Changes the server makes itself (HTTP API): they take the write path of a
 * client's update — stored, then relayed — and answer only once durable.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName, type DocName } from '../../shared/ids.js';
import { createMemoryDocStore } from '../store/memory-store.js';
import { defaultRelayLimits } from './limits.js';
import { createRelay, StoreUnavailableError } from './relay.js';
import { startMemoryRelay, type MemoryRelay } from './test-support/memory-relay.js';

const QUEUE = parseDocName('queue:c1').name;

describe('server-side changes', () => {
  let m: MemoryRelay | null = null;
  afterEach(async () => {
    await m?.close();
    m = null;
  });

  it('reach connected clients and the store, and resolve with the result once durable', async () => {
    m = startMemoryRelay();
    const client = m.provider(QUEUE, 'receptionist@c1');
    await m.settle();
    expect(client.synced).toBe(true);

    const result = await m.relay.change(QUEUE, (doc) => {
      doc.getMap('api-test').set('k', 'v');
      return 42;
    });
    expect(result).toBe(42);
    const copy = await m.storedDoc(QUEUE);
    expect(copy.getMap('api-test').get('k')).toBe('v');
    await m.settle();
    expect(client.doc.getMap('api-test').get('k')).toBe('v');
  });

  it('load an unloaded document, and a change that changes nothing stores nothing', async () => {
    m = startMemoryRelay();
    // Stored before the relay ever loaded it (as a new clinic's seed would be).
    const seed = new Y.Doc();
    seed.getMap('x').set('seeded', true);
    await m.store.appendMany([{ doc: QUEUE, update: Y.encodeStateAsUpdate(seed) }]);
    const before = await m.store.load(QUEUE);
    await m.relay.change(QUEUE, (doc) => doc.getMap('x').set('a', 1));
    await m.relay.change(QUEUE, () => undefined);
    const after = await m.store.load(QUEUE);
    expect(after.updates.length).toBe(before.updates.length + 1);
    expect(await m.relay.read(QUEUE, (doc) => doc.getMap('x').get('a'))).toBe(1);
    expect(await m.relay.read(QUEUE, (doc) => doc.getMap('x').get('seeded'))).toBe(true);
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
      board: async () => null,
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
