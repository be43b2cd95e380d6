/**
 * A client sending bad frames is closed with the right code, and only it:
 * over the in-memory socket pair. What the WebSocket host refuses before the
 * relay sees a frame (oversized frames, bad names, refused upgrades) runs
 * over real ws at the end, with the awareness flood (see its comment).
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, MessageType, SyncMessageType } from '../../shared/protocol.js';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';
import type { WebsocketProvider } from 'y-websocket';
import { startMemoryRelay, type MemoryRelay } from './test-support/memory-relay.js';

const MAX_UPDATE = 64 * 1024;
const MAX_FRAME = 1024 * 1024;
const LIMITS = {
  maxUpdateBytes: MAX_UPDATE,
  maxFrameBytes: MAX_FRAME,
  awarenessBurst: 20,
  awarenessPerSecond: 5,
};

let m: MemoryRelay;
let witness: WebsocketProvider;
let peer: WebsocketProvider;
const writerToken = 'receptionist@c1';

beforeAll(async () => {
  m = startMemoryRelay({ limits: LIMITS });
  witness = m.provider('staff:c1', writerToken);
  peer = m.provider('staff:c1', writerToken);
  await m.settle();
  expect(witness.synced && peer.synced).toBe(true);
});
afterAll(async () => {
  await m.close();
});

function msg(
  type: number,
  sub: number | null,
  payload: Uint8Array | null,
  extra?: Uint8Array,
): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== null) encoding.writeVarUint(e, sub);
  if (payload) encoding.writeVarUint8Array(e, payload);
  if (extra) encoding.writeUint8Array(e, extra);
  return encoding.toUint8Array(e);
}

function validUpdate(key: string, value: unknown): Uint8Array {
  const d = new Y.Doc();
  d.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(d);
}

let round = 0;
/** The doc is intact and the other clients still sync after a bad client was thrown out. */
async function othersStillSync(): Promise<void> {
  const key = `alive-${round++}`;
  witness.doc.getMap('m').set(key, true);
  await m.settle();
  expect(peer.doc.getMap('m').get(key)).toBe(true);
  const doc = await m.storedDoc('staff:c1');
  expect(doc.getMap('m').get(key)).toBe(true);
  expect(doc.store.pendingStructs).toBeNull();
  expect(JSON.stringify(doc.getMap('m').toJSON())).toBe(
    JSON.stringify(witness.doc.getMap('m').toJSON()),
  );
}

async function expectClose(frames: (Uint8Array | string)[], code: number): Promise<void> {
  const raw = m.raw('staff:c1', writerToken);
  await m.settle();
  for (const f of frames) raw.send(f);
  await m.settle();
  expect(raw.closed?.code).toBe(code);
  await othersStillSync();
}

describe('bad input closes only the offending connection', () => {
  it('closes 1003 on a text frame', async () => {
    await expectClose(['hello'], CloseCode.unsupportedData);
  });

  it('closes 1003 on an unknown message type', async () => {
    await expectClose([msg(42, null, null)], CloseCode.unsupportedData);
  });

  it('closes 1003 on an unknown sync sub-type', async () => {
    await expectClose([msg(MessageType.sync, 9, new Uint8Array([0]))], CloseCode.unsupportedData);
  });

  it('closes 1007 on an empty frame', async () => {
    await expectClose([new Uint8Array(0)], CloseCode.invalidPayload);
  });

  it('closes 1007 on a garbage update', async () => {
    await expectClose(
      [
        msg(
          MessageType.sync,
          SyncMessageType.update,
          new Uint8Array([1, 200, 3, 4, 5, 6, 7, 8, 9, 250]),
        ),
      ],
      CloseCode.invalidPayload,
    );
  });

  it('closes 1007 on a truncated update and applies none of it', async () => {
    const update = validUpdate('truncated', 'x'.repeat(100));
    await expectClose(
      [msg(MessageType.sync, SyncMessageType.update, update.slice(0, update.length - 7))],
      CloseCode.invalidPayload,
    );
    expect(witness.doc.getMap('m').has('truncated')).toBe(false);
  });

  it('closes 1007 on a valid update followed by a garbage delete set, applying none of it', async () => {
    const update = validUpdate('tail', 'y');
    // Structs intact, delete-set section replaced with garbage.
    const broken = new Uint8Array([...update.slice(0, update.length - 1), 0xff, 0xff, 0xff]);
    await expectClose(
      [msg(MessageType.sync, SyncMessageType.update, broken)],
      CloseCode.invalidPayload,
    );
    expect(witness.doc.getMap('m').has('tail')).toBe(false);
  });

  it('closes 1007 when a frame has bytes after its message', async () => {
    await expectClose(
      [
        msg(
          MessageType.sync,
          SyncMessageType.update,
          validUpdate('trail', 1),
          new Uint8Array([1, 2, 3]),
        ),
      ],
      CloseCode.invalidPayload,
    );
    expect(witness.doc.getMap('m').has('trail')).toBe(false);
  });

  it('closes 1007 on a malformed state vector', async () => {
    await expectClose(
      [msg(MessageType.sync, SyncMessageType.step1, new Uint8Array([5, 1]))],
      CloseCode.invalidPayload,
    );
  });

  it('closes 1009 on a live update over the limit', async () => {
    await expectClose(
      [
        msg(
          MessageType.sync,
          SyncMessageType.update,
          validUpdate('big', 'z'.repeat(MAX_UPDATE + 10)),
        ),
      ],
      CloseCode.messageTooBig,
    );
  });

  it('accepts a sync step 2 larger than the live-update limit', async () => {
    const raw = m.raw('staff:c1', writerToken);
    await m.settle();
    raw.send(
      msg(
        MessageType.sync,
        SyncMessageType.step2,
        validUpdate('offline-day', 'w'.repeat(MAX_UPDATE * 4)),
      ),
    );
    await m.settle();
    expect(peer.doc.getMap('m').has('offline-day')).toBe(true);
    raw.close();
  });

  it('closes 1007 on a malformed awareness update', async () => {
    await expectClose(
      [msg(MessageType.awareness, null, new Uint8Array([3, 1, 1]))],
      CloseCode.invalidPayload,
    );
  });

  it('closes 4529 when one connection claims too many awareness clients', async () => {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 50);
    for (let i = 0; i < 50; i++) {
      encoding.writeVarUint(inner, 10_000 + i);
      encoding.writeVarUint(inner, 1);
      encoding.writeVarString(inner, '{}');
    }
    await expectClose(
      [msg(MessageType.awareness, null, encoding.toUint8Array(inner))],
      CloseCode.rateLimited,
    );
  });

  it('asks for a resync instead of keeping an update whose dependencies it lacks', async () => {
    const a = new Y.Doc();
    a.getMap('m').set('dep-1', 1);
    const first = Y.encodeStateAsUpdate(a);
    const sv = Y.encodeStateVector(a);
    a.getMap('m').set('dep-2', 2);
    const second = Y.encodeStateAsUpdate(a, sv);
    const raw = m.raw('staff:c1', writerToken);
    await m.settle();
    expect(raw.received.length).toBeGreaterThan(0);
    const before = raw.received.length;
    raw.send(msg(MessageType.sync, SyncMessageType.update, second));
    await m.settle();
    // The relay answers with its state vector (sync step 1) so the client sends what is missing.
    expect(raw.received.slice(before).some((f) => f[0] === 0 && f[1] === 0)).toBe(true);
    raw.send(msg(MessageType.sync, SyncMessageType.step2, Y.mergeUpdates([first, second])));
    await m.settle();
    expect(peer.doc.getMap('m').get('dep-2')).toBe(2);
    raw.close();
    await othersStillSync();
  });
});

describe('bad input over real ws: what the WebSocket host refuses, and the awareness flood', () => {
  let t: TestServer;
  let writerToken: string;
  let witness: WebsocketProvider;
  let peer: WebsocketProvider;
  beforeAll(async () => {
    t = await startTestServer({ limits: LIMITS });
    writerToken = await t.token('receptionist');
    witness = t.provider('staff:c1', writerToken);
    peer = t.provider('staff:c1', writerToken);
    await Promise.all([synced(witness), synced(peer)]);
  });
  afterAll(async () => {
    await t.close();
  });

  let round = 0;
  async function othersStillSync(): Promise<void> {
    const key = `alive-${round++}`;
    witness.doc.getMap('m').set(key, true);
    await until(() => peer.doc.getMap('m').get(key) === true, 10_000, 'peer keeps syncing');
    const doc = await t.storedDoc('staff:c1');
    expect(doc.getMap('m').get(key)).toBe(true);
    expect(doc.store.pendingStructs).toBeNull();
    expect(JSON.stringify(doc.getMap('m').toJSON())).toBe(
      JSON.stringify(witness.doc.getMap('m').toJSON()),
    );
  }

  async function expectClose(frames: (Uint8Array | string)[], code: number): Promise<void> {
    const raw = t.raw('staff:c1', writerToken);
    await raw.opened;
    for (const f of frames) raw.ws.send(f);
    const closed = await raw.closed;
    expect(closed.code).toBe(code);
    await othersStillSync();
  }

  it('closes 1009 on a frame over the absolute limit', async () => {
    await expectClose(
      [msg(MessageType.sync, SyncMessageType.step2, new Uint8Array(MAX_FRAME + 100))],
      CloseCode.messageTooBig,
    );
  });

  // The honest writers' side of a flood (they echo it, and are not charged
  // for echoes) is tested over the pair in socket-pair.test.ts.
  it('closes 4529 on an awareness flood, which the client retries later', async () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 100; i++) {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, 777);
      encoding.writeVarUint(inner, i + 1);
      encoding.writeVarString(inner, JSON.stringify({ activity: { screen: 'x' } }));
      frames.push(msg(MessageType.awareness, null, encoding.toUint8Array(inner)));
    }
    await expectClose(frames, CloseCode.rateLimited);
  });

  it('refuses a bad document name with 4400 after completing the handshake', async () => {
    const raw = t.raw('queue:' + 'x'.repeat(80), writerToken);
    expect((await raw.closed).code).toBe(CloseCode.badDocName);
  });

  it('writes one log line per refused connection, without the token', async () => {
    const count = t.logs.length;
    const raw = t.raw('queue:c1', 'qm_secret-token-value');
    await raw.closed;
    const lines = t.logs.slice(count).filter((l) => l.msg === 'websocket refused');
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(t.logs)).not.toContain('qm_secret-token-value');
    expect(JSON.stringify(t.logs)).not.toContain(writerToken);
  });
});
