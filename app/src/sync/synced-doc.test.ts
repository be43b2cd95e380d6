/**
 * The sync layer against a real relay (in-process server, port 0) with
 * Node's WebSocket: the unsynced count falls to 0 once the relay
 * acknowledges, a 44xx close stops the retries and says why, and presence
 * survives several reconnects.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, until, type TestServer } from '../../../server/test-support/harness.js';
import { openSyncedDoc, type SyncedDoc } from './synced-doc.js';

let server: TestServer;
const open: SyncedDoc[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  open.forEach((d) => d.destroy());
  await server.close();
});

const connect = (doc: string, token: string, readOnly = false, presence = false) => {
  const d = openSyncedDoc(doc, {
    token,
    persist: false,
    readOnly,
    presence,
    url: server.wsUrl,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  open.push(d);
  return d;
};

describe('openSyncedDoc', () => {
  it('counts local changes until the relay acknowledges them, then shows 0', async () => {
    const token = await server.token('receptionist', 'c1');
    const a = connect('staff:c1', token);
    await until(() => a.connection.getState().status === 'synced', 10_000, 'synced');
    expect(a.connection.getState().light).toBe('green');
    const seen: number[] = [];
    const off = a.connection.subscribe((s) => seen.push(s.unsynced));
    a.doc.getMap('m').set('x', 1);
    a.doc.getMap('m').set('y', 2);
    expect(a.connection.getState().unsynced).toBe(2);
    await until(() => a.connection.getState().unsynced === 0, 10_000, 'acknowledged');
    off();
    expect(Math.max(...seen)).toBe(2);
    // A delete-only change is acknowledged too.
    a.doc.getMap('m').delete('x');
    expect(a.connection.getState().unsynced).toBe(1);
    await until(() => a.connection.getState().unsynced === 0, 10_000, 'delete acknowledged');
  });

  it('a read-only doc never reports unsynced changes', async () => {
    const token = await server.token('display', 'c1');
    const d = connect('queue:c1', token, true);
    await until(() => d.connection.getState().status === 'synced', 10_000, 'synced');
    d.doc.getMap('local').set('x', 1);
    expect(d.connection.getState().unsynced).toBe(0);
  });

  it('stops retrying on a 44xx close and says why', async () => {
    const token = await server.token('display', 'c1');
    const d = connect('staff:c1', token);
    await until(() => d.connection.getState().status === 'closed', 10_000, 'closed');
    const s = d.connection.getState();
    expect(s.light).toBe('red');
    expect(s.closedCode).toBe(4403);
    expect(d.provider.shouldConnect).toBe(false);
  });

  it('with presence, survives reconnects: our awareness id changes, the socket reopens, destroy does not throw', async () => {
    const token = await server.token('receptionist', 'c1');
    const d = connect('staff:c1', token, false, true);
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    try {
      await until(() => d.connection.getState().status === 'synced', 10_000, 'synced');
      const ids = [d.provider.awareness.clientID];
      // Two cuts: after the first, presence moves to a fresh awareness id (the
      // relay tombstones the old one) while the stock client still names its
      // own entry by the doc's clientID, at every socket open and close.
      for (let cut = 1; cut <= 2; cut++) {
        d.provider.ws?.close();
        await until(() => d.connection.getState().status === 'reconnecting', 10_000, 'cut');
        await until(() => d.connection.getState().status === 'synced', 10_000, 'resynced');
        ids.push(d.provider.awareness.clientID);
      }
      expect(new Set(ids).size).toBe(3);
      expect(d.provider.awareness.getLocalState()).not.toBeNull();
      d.provider.ws?.close();
      await until(() => d.connection.getState().status === 'reconnecting', 10_000, 'cut');
      expect(() => d.destroy()).not.toThrow();
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});
