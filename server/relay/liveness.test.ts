/**
 * A peer that lost the network keeps its TCP socket open for minutes; the
 * relay pings every connection and drops one it has not heard from within
 * the deadline, with its presence.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';

let t: TestServer | null = null;
const providers: WebsocketProvider[] = [];
afterEach(async () => {
  for (const p of providers) p.destroy();
  providers.length = 0;
  await t?.close();
  t = null;
});

/** A client whose machine went silent: it never answers the relay's pings. */
class DeafWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols, { autoPong: false });
  }
}

describe('liveness', () => {
  it('drops a connection that answers no ping within the deadline, and its presence with it', async () => {
    t = await startTestServer({ limits: { pingIntervalMs: 100, deadAfterMs: 600 } });
    const silent = new WebsocketProvider(t.wsUrl, 'staff:c1', new Y.Doc(), {
      WebSocketPolyfill: DeafWebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: await t.token('receptionist') },
      disableBc: true,
    });
    providers.push(silent);
    const watcher = t.provider('staff:c1', await t.token('receptionist'));
    await Promise.all([synced(silent), synced(watcher)]);

    silent.awareness.setLocalStateField('activity', { screen: 'reception' });
    const id = silent.awareness.clientID;
    await until(() => watcher.awareness.getStates().has(id), 5_000, 'presence seen');
    // Its network is gone: it must not come back on its own either.
    silent.shouldConnect = false;

    await until(() => !watcher.awareness.getStates().has(id), 10_000, 'presence dropped');
    await until(() => !silent.wsconnected, 5_000, 'socket dropped');
    expect(t.logs.some((l) => l.msg === 'connection dead: no message or pong')).toBe(true);
    // A peer that answers pings stays, long past the deadline.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(watcher.wsconnected).toBe(true);
    expect(t.server.relay.connectionCount).toBe(1);
  });
});
