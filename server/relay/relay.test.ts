import { updateFrame } from './frames.js';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/ids.js';
import { CloseCode, MessageType, SyncMessageType } from '../../shared/protocol.js';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer({
    limits: { keepaliveMs: 300, ackDebounceMs: 20, revocationPollMs: 200, messageBurst: 5000 },
  });
});
afterEach(async () => {
  await t.close();
});

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
  it('makes three unmodified y-websocket clients converge on concurrent edits', async () => {
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
    // Everything every client has seen from the server is in the store.
    await until(
      () => providers.every((p) => p.doc.getText('t').length === texts[0]!.length),
      10_000,
    );
    const stored = await t.storedDoc('staff:c1');
    expect(stored.getMap('notes').size).toBe(expected);
    expect(stored.getText('t').toString()).toBe(texts[0]);
  });

  it('relays awareness to every writer with the authenticated identity stamped in', async () => {
    const tokens = await Promise.all(
      ['Alice', 'Bob', 'Chloé'].map((label) => t.token('receptionist', 'c1', { label })),
    );
    const providers = tokens.map((tok) => t.provider('staff:c1', tok));
    await Promise.all(providers.map(synced));
    providers.forEach((p, i) =>
      p.awareness.setLocalState({
        user: { id: 'forged', name: 'Mallory', role: 'admin', color: '#000' },
        activity: { screen: 'reception', entryId: `e${i}` },
      }),
    );
    await until(
      () => providers.every((p) => p.awareness.getStates().size === 3),
      10_000,
      'awareness everywhere',
    );
    const seen = [...providers[0]!.awareness.getStates().entries()]
      .filter(([id]) => id !== providers[0]!.doc.clientID)
      .map(([, s]) => (s as { user: { name: string; role: string } }).user);
    expect(seen.map((u) => u.name).sort()).toEqual(['Bob', 'Chloé']);
    expect(seen.every((u) => u.role === 'receptionist')).toBe(true);
    // A closed connection's states are removed for the others.
    providers[2]!.destroy();
    await until(() => providers[0]!.awareness.getStates().size === 2, 10_000, 'awareness removal');
  });

  it('drops awareness entries for clientIDs a connection does not own', async () => {
    const victim = t.provider('staff:c1', await t.token('receptionist', 'c1', { label: 'Victim' }));
    await synced(victim);
    victim.awareness.setLocalState({ activity: { screen: 'reception' } });
    const observer = t.provider(
      'staff:c1',
      await t.token('receptionist', 'c1', { label: 'Observer' }),
    );
    await synced(observer);
    await until(
      () => observer.awareness.getStates().has(victim.doc.clientID),
      10_000,
      'victim visible',
    );
    const raw = t.raw('staff:c1', await t.token('receptionist', 'c1', { label: 'Mallory' }));
    await raw.opened;
    raw.send(
      awarenessMessage([
        { clientId: victim.doc.clientID, clock: 999, state: { activity: { screen: 'hacked' } } },
      ]),
    );
    raw.send(
      awarenessMessage([{ clientId: 4242, clock: 1, state: { activity: { screen: 'mine' } } }]),
    );
    await until(() => observer.awareness.getStates().has(4242), 10_000, 'own state relayed');
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
    const writer = t.provider('staff:c1', await t.token('receptionist'));
    const reader = t.provider('staff:c1', await t.token('receptionist'));
    await Promise.all([synced(writer), synced(reader)]);
    let relayed = 0;
    reader.doc.on('update', () => relayed++);
    const before = await t.server.store.pendingStats(parseDocName('staff:c1').name);
    const source = new Y.Doc();
    source.getMap('m').set('k', 'v');
    const update = Y.encodeStateAsUpdate(source);
    const raw = t.raw('staff:c1', await t.token('receptionist'));
    await raw.opened;
    for (let i = 0; i < 2000; i++) raw.send(updateFrame(update));
    await until(() => reader.doc.getMap('m').get('k') === 'v', 10_000, 'relay');
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
    await until(() => reader.doc.getMap('m').get('done') === 1, 10_000, 'marker');
    expect(relayed).toBe(2);
    const after = await t.server.store.pendingStats(parseDocName('staff:c1').name);
    expect(after.count - before.count).toBe(2);
  });

  it('lets read-only connections sync but drops their writes and hides awareness from them', async () => {
    const staff = t.provider('queue:c1', await t.token('receptionist'));
    await synced(staff);
    staff.doc.getMap('probe').set('from', 'staff');
    const display = t.provider('queue:c1', await t.token('display'));
    await synced(display);
    await until(() => display.doc.getMap('probe').get('from') === 'staff', 10_000, 'display reads');
    // The stock client sends its local edit; the relay must drop it.
    display.doc.getMap('probe').set('evil', 'display');
    const raw = t.raw('queue:c1', await t.token('patient'));
    await raw.opened;
    const crafted = new Y.Doc();
    crafted.getMap('probe').set('evil2', 'patient');
    raw.send(updateFrame(Y.encodeStateAsUpdate(crafted)));
    // A later staff write proves the crafted ones were processed (and dropped) in order.
    staff.doc.getMap('probe').set('after', 1);
    await until(() => display.doc.getMap('probe').get('after') === 1, 10_000, 'later write');
    expect(staff.doc.getMap('probe').get('evil')).toBeUndefined();
    expect(staff.doc.getMap('probe').get('evil2')).toBeUndefined();
    const stored = await t.storedDoc('queue:c1');
    expect(stored.getMap('probe').get('evil')).toBeUndefined();
    expect(stored.getMap('probe').get('evil2')).toBeUndefined();
    // No awareness message ever reaches a read-only connection.
    staff.awareness.setLocalState({ activity: { screen: 'reception' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(raw.received.map(decodeFrame).some((f) => f.type === MessageType.awareness)).toBe(false);
    expect(display.awareness.getStates().size).toBe(1);
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

  it('sends every connection an application message at least every keepalive interval', async () => {
    const raw = t.raw('queue:c1', await t.token('display'));
    await raw.opened;
    await until(() => raw.received.length >= 1, 5000);
    const n = raw.received.length;
    await until(() => raw.received.length > n, 3000, 'keepalive');
    expect(decodeFrame(raw.received.at(-1)!)).toMatchObject({
      type: MessageType.sync,
      sub: SyncMessageType.step1,
    });
  });

  it('does not ping-pong acknowledgements with an idle writer', async () => {
    const p = t.provider('staff:c1', await t.token('receptionist'));
    await synced(p);
    let frames = 0;
    p.ws!.addEventListener('message', () => frames++);
    p.doc.getMap('m').set('once', 1);
    await until(() => frames > 0, 5000, 'ack');
    const start = frames;
    await new Promise((r) => setTimeout(r, 1000));
    // keepalive every 300 ms at most, versus one ack every 20 ms if it looped
    expect(frames - start).toBeLessThanOrEqual(5);
  });

  it("acknowledges a writer's edits with the server's state vector", async () => {
    const p = t.provider('staff:c1', await t.token('receptionist'));
    await synced(p);
    const acks: Map<number, number>[] = [];
    p.ws!.addEventListener('message', (ev: MessageEvent) => {
      const f = decodeFrame(new Uint8Array(ev.data as ArrayBuffer));
      if (f.type === MessageType.sync && f.sub === SyncMessageType.step1)
        acks.push(Y.decodeStateVector(f.payload!));
    });
    p.doc.getMap('m').set('x', 1);
    const mine = Y.decodeStateVector(Y.encodeStateVector(p.doc)).get(p.doc.clientID)!;
    await until(() => acks.some((sv) => sv.get(p.doc.clientID) === mine), 5000, 'ack');
  });
});
