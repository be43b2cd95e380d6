/**
 * The sync layer against a real relay (in-process server, port 0) with
 * Node's WebSocket: the unsynced count falls to 0 once the relay
 * acknowledges, and a 44xx close stops the retries and says why.
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

const connect = (doc: string, token: string, readOnly = false) => {
  const d = openSyncedDoc(doc, {
    token,
    persist: false,
    readOnly,
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
});
