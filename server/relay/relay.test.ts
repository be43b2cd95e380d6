/**
 * The relay's protocol with the stock client and crafted frames, over the
 * in-memory socket pair on a fake clock; the WebSocket host (real `ws`,
 * real tokens, the upgrade's refusals) at the end.
 */
import { updateFrame } from './frames.js';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/ids.js';
import { CloseCode, MessageType, SyncMessageType } from '../../shared/protocol.js';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';
import { startMemoryRelay, useRelayClock, type MemoryRelay } from './test-support/memory-relay.js';

function awarenessMessage(
  entries: { clientId: number; clock: number; state: unknown }[],
): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, JSON.stringify(e.state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

function decodeFrame(bytes: Uint8Array): { type: number; sub?: number; payload?: Uint8Array } {
  const d = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(d);
  if (type === MessageType.sync) {
    const sub = decoding.readVarUint(d);
    return { type, sub, payload: decoding.readVarUint8Array(d) };
  }
  if (type === MessageType.awareness) return { type, payload: decoding.readVarUint8Array(d) };
  return { type };
}

describe('relay', () => {
  let m: MemoryRelay;
  beforeEach(() => {
    useRelayClock();
    m = startMemoryRelay({
      limits: { keepaliveMs: 300, ackDebounceMs: 20, revocationPollMs: 200, messageBurst: 5000 },
    });
  });
  afterEach(async () => {
    await m.close();
    vi.useRealTimers();
  });

  it('makes three unmodified y-websocket clients converge on concurrent edits', async () => {
    const providers = [0, 1, 2].map(() => m.provider('staff:c1', 'receptionist@c1'));
    await m.settle();
    expect(providers.every((p) => p.synced)).toBe(true);
    const base = providers[0]!.doc.getMap('notes').size;
    providers.forEach((p, i) => {
      p.doc.transact(() => {
        for (let k = 0; k < 20; k++) p.doc.getMap('notes').set(`p${i}-${k}`, k);
        p.doc.getText('t').insert(0, `hello from ${i} `);
      });
    });
    const expected = base + 60;
    await m.settle();
    expect(providers.every((p) => p.doc.getMap('notes').size === expected)).toBe(true);
    const texts = providers.map((p) => p.doc.getText('t').toString());
    expect(new Set(texts).size).toBe(1);
    // Everything every client has seen from the server is in the store.
    expect(providers.every((p) => p.doc.getText('t').length === texts[0]!.length)).toBe(true);
    const stored = await m.storedDoc('staff:c1');
    expect(stored.getMap('notes').size).toBe(expected);
    expect(stored.getText('t').toString()).toBe(texts[0]);
  });

  it('relays awareness to every writer with the authenticated identity stamped in', async () => {
    const providers = ['Alice', 'Bob', 'Chloé'].map((label) =>
      m.provider('staff:c1', `receptionist@c1#${label}`),
    );
    await m.settle();
    providers.forEach((p, i) =>
      p.awareness.setLocalState({
        user: { id: 'forged', name: 'Mallory', role: 'admin', color: '#000' },
        activity: { screen: 'reception', entryId: `e${i}` },
      }),
    );
    await m.settle();
    expect(providers.every((p) => p.awareness.getStates().size === 3)).toBe(true);
    const seen = [...providers[0]!.awareness.getStates().entries()]
      .filter(([id]) => id !== providers[0]!.doc.clientID)
      .map(([, s]) => (s as { user: { name: string; role: string } }).user);
    expect(seen.map((u) => u.name).sort()).toEqual(['Bob', 'Chloé']);
    expect(seen.every((u) => u.role === 'receptionist')).toBe(true);
    // A closed connection's states are removed for the others.
    providers[2]!.destroy();
    await m.settle();
    expect(providers[0]!.awareness.getStates().size).toBe(2);
  });

  it('drops awareness entries for clientIDs a connection does not own', async () => {
    const victim = m.provider('staff:c1', 'receptionist@c1#Victim');
    await m.settle();
    expect(victim.synced).toBe(true);
    victim.awareness.setLocalState({ activity: { screen: 'reception' } });
    const observer = m.provider('staff:c1', 'receptionist@c1#Observer');
    await m.settle();
    expect(observer.synced).toBe(true);
    expect(observer.awareness.getStates().has(victim.doc.clientID)).toBe(true);
    const raw = m.raw('staff:c1', 'receptionist@c1#Mallory');
    await m.settle();
    raw.send(
      awarenessMessage([
        { clientId: victim.doc.clientID, clock: 999, state: { activity: { screen: 'hacked' } } },
      ]),
    );
    raw.send(
      awarenessMessage([{ clientId: 4242, clock: 1, state: { activity: { screen: 'mine' } } }]),
    );
    await m.settle();
    expect(observer.awareness.getStates().has(4242)).toBe(true);
    const victimState = observer.awareness.getStates().get(victim.doc.clientID) as {
      activity: { screen: string };
      user: { name: string };
    };
    expect(victimState.activity.screen).toBe('reception');
    expect(victimState.user.name).toBe('Victim');
    expect((observer.awareness.getStates().get(4242) as { user: { name: string } }).user.name).toBe(
      'Mallory',
    );
  });

  it('relays and stores an update replayed 2000 times only once', async () => {
    const writer = m.provider('staff:c1', 'receptionist@c1');
    const reader = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(writer.synced && reader.synced).toBe(true);
    let relayed = 0;
    reader.doc.on('update', () => relayed++);
    const before = await m.store.pendingStats(parseDocName('staff:c1').name);
    const source = new Y.Doc();
    source.getMap('m').set('k', 'v');
    const update = Y.encodeStateAsUpdate(source);
    const raw = m.raw('staff:c1', 'receptionist@c1');
    await m.settle();
    for (let i = 0; i < 2000; i++) raw.send(updateFrame(update));
    await m.settle();
    expect(reader.doc.getMap('m').get('k')).toBe('v');
    // A marker sent after the replays proves they were all processed.
    raw.send(
      updateFrame(
        (() => {
          const d = new Y.Doc();
          d.getMap('m').set('done', 1);
          return Y.encodeStateAsUpdate(d);
        })(),
      ),
    );
    await m.settle();
    expect(reader.doc.getMap('m').get('done')).toBe(1);
    expect(relayed).toBe(2);
    const after = await m.store.pendingStats(parseDocName('staff:c1').name);
    expect(after.count - before.count).toBe(2);
  });

  it('lets read-only connections sync but drops their writes and hides awareness from them', async () => {
    const staff = m.provider('queue:c1', 'receptionist@c1');
    await m.settle();
    expect(staff.synced).toBe(true);
    staff.doc.getMap('probe').set('from', 'staff');
    const display = m.provider('queue:c1', 'display@c1');
    await m.settle();
    expect(display.synced).toBe(true);
    expect(display.doc.getMap('probe').get('from')).toBe('staff');
    // The stock client sends its local edit; the relay must drop it.
    display.doc.getMap('probe').set('evil', 'display');
    const raw = m.raw('queue:c1', 'patient@c1');
    await m.settle();
    const crafted = new Y.Doc();
    crafted.getMap('probe').set('evil2', 'patient');
    raw.send(updateFrame(Y.encodeStateAsUpdate(crafted)));
    // A later staff write proves the crafted ones were processed (and dropped) in order.
    staff.doc.getMap('probe').set('after', 1);
    await m.settle();
    expect(display.doc.getMap('probe').get('after')).toBe(1);
    expect(staff.doc.getMap('probe').get('evil')).toBeUndefined();
    expect(staff.doc.getMap('probe').get('evil2')).toBeUndefined();
    const stored = await m.storedDoc('queue:c1');
    expect(stored.getMap('probe').get('evil')).toBeUndefined();
    expect(stored.getMap('probe').get('evil2')).toBeUndefined();
    // No awareness message ever reaches a read-only connection.
    staff.awareness.setLocalState({ activity: { screen: 'reception' } });
    await m.elapse(300);
    expect(raw.received.map(decodeFrame).some((f) => f.type === MessageType.awareness)).toBe(false);
    expect(display.awareness.getStates().size).toBe(1);
  });

  it('sends every connection an application message at least every keepalive interval', async () => {
    const raw = m.raw('queue:c1', 'display@c1');
    await m.settle();
    expect(raw.received.length).toBeGreaterThanOrEqual(1);
    const n = raw.received.length;
    await m.elapse(300 + 100);
    expect(raw.received.length).toBeGreaterThan(n);
    expect(decodeFrame(raw.received.at(-1)!)).toMatchObject({
      type: MessageType.sync,
      sub: SyncMessageType.step1,
    });
  });

  it('does not ping-pong acknowledgements with an idle writer', async () => {
    const p = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(p.synced).toBe(true);
    let frames = 0;
    p.ws!.addEventListener('message', () => frames++);
    p.doc.getMap('m').set('once', 1);
    await m.elapse(20);
    expect(frames).toBeGreaterThan(0);
    const start = frames;
    await m.elapse(1000);
    // keepalive every 300 ms at most, versus one ack every 20 ms if it looped
    expect(frames - start).toBeLessThanOrEqual(5);
  });

  it("acknowledges a writer's edits with the server's state vector", async () => {
    const p = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(p.synced).toBe(true);
    const acks: Map<number, number>[] = [];
    p.ws!.addEventListener('message', (ev: MessageEvent) => {
      const f = decodeFrame(new Uint8Array(ev.data as ArrayBuffer));
      if (f.type === MessageType.sync && f.sub === SyncMessageType.step1)
        acks.push(Y.decodeStateVector(f.payload!));
    });
    p.doc.getMap('m').set('x', 1);
    const mine = Y.decodeStateVector(Y.encodeStateVector(p.doc)).get(p.doc.clientID)!;
    await m.elapse(20);
    expect(acks.some((sv) => sv.get(p.doc.clientID) === mine)).toBe(true);
  });
});

describe('relay over real ws (the WebSocket host)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      limits: { keepaliveMs: 300, ackDebounceMs: 20, revocationPollMs: 200, messageBurst: 5000 },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('syncs three stock clients over ws and stores what they wrote', async () => {
    const token = await t.token('receptionist');
    const providers = [0, 1, 2].map(() => t.provider('staff:c1', token));
    await Promise.all(providers.map(synced));
    const base = providers[0]!.doc.getMap('notes').size;
    providers.forEach((p, i) => {
      p.doc.transact(() => {
        for (let k = 0; k < 20; k++) p.doc.getMap('notes').set(`p${i}-${k}`, k);
        p.doc.getText('t').insert(0, `hello from ${i} `);
      });
    });
    const expected = base + 60;
    await until(
      () => providers.every((p) => p.doc.getMap('notes').size === expected),
      10_000,
      'convergence',
    );
    const texts = providers.map((p) => p.doc.getText('t').toString());
    expect(new Set(texts).size).toBe(1);
    await until(
      () => providers.every((p) => p.doc.getText('t').length === texts[0]!.length),
      10_000,
    );
    const stored = await t.storedDoc('staff:c1');
    expect(stored.getMap('notes').size).toBe(expected);
    expect(stored.getText('t').toString()).toBe(texts[0]);
  });

  it.each([
    ['a display on the staff doc', 'display', 'c1', 'staff:c1', CloseCode.forbidden],
    ['a patient on the staff doc', 'patient', 'c1', 'staff:c1', CloseCode.forbidden],
    ['a receptionist on another clinic', 'receptionist', 'c1', 'queue:c2', CloseCode.forbidden],
    ['a doctor on an unregistered board', 'doctor', 'c1', 'board:retro', CloseCode.forbidden],
    ['a bad document name', 'admin', 'c1', 'Queue:C1', CloseCode.badDocName],
    ['an unknown kind', 'admin', 'c1', 'files:c1', CloseCode.badDocName],
  ] as const)('closes %s with the right code', async (_label, role, clinic, doc, code) => {
    const raw = t.raw(doc, await t.token(role, clinic));
    expect((await raw.closed).code).toBe(code);
  });

  it('closes with 4401 when the token is missing, unknown or expired', async () => {
    expect((await t.raw('queue:c1', null).closed).code).toBe(CloseCode.unauthenticated);
    expect((await t.raw('queue:c1', 'qm_nope').closed).code).toBe(CloseCode.unauthenticated);
    const expired = await t.token('display', 'c1', { ttlMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    expect((await t.raw('queue:c1', expired).closed).code).toBe(CloseCode.unauthenticated);
  });

  it('closes the sockets of a revoked token within 5 s, and the stock client stops retrying', async () => {
    const token = await t.token('receptionist');
    const p = t.provider('queue:c1', token);
    await synced(p);
    const closed = new Promise<number>((resolve) =>
      p.on('connection-close', (e: { code: number } | null) => e && resolve(e.code)),
    );
    const started = Date.now();
    expect(await t.server.tokens.revoke(token, Date.now())).toBe(true);
    expect(await closed).toBe(CloseCode.unauthenticated);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(p.shouldConnect).toBe(false);
  });
});
