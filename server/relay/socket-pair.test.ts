/**
 * The in-memory socket pair carries the relay's protocol to the unmodified
 * y-websocket client: what the rest of the relay tests stand on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { awarenessFrame, CloseCode } from '../../shared/protocol.js';
import { pairOf, startMemoryRelay, type MemoryRelay } from './test-support/memory-relay.js';

let m: MemoryRelay;
afterEach(() => m?.close());

describe('relay over the in-memory socket pair', () => {
  it('syncs two stock clients and stores what they wrote, with no traffic until flushed', async () => {
    m = startMemoryRelay();
    const a = m.provider('staff:c1', 'receptionist@c1');
    const b = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(a.synced && b.synced).toBe(true);

    a.doc.getMap('m').set('x', 1);
    expect(b.doc.getMap('m').get('x')).toBeUndefined();
    await m.settle();
    expect(b.doc.getMap('m').get('x')).toBe(1);
    expect((await m.storedDoc('staff:c1')).getMap('m').get('x')).toBe(1);
  });

  it('closes with the code the upgrade would: 4401 without credential, 4403 on another clinic', async () => {
    m = startMemoryRelay();
    const nobody = m.network.open('ws://memory.invalid/ws/staff:c1');
    const stranger = m.network.open('ws://memory.invalid/ws/staff:c1?token=receptionist@c2');
    const display = m.network.open('ws://memory.invalid/ws/staff:c1?token=display@c1');
    await m.settle();
    expect(nobody.closedBy).toMatchObject({ code: CloseCode.unauthenticated });
    expect(stranger.closedBy).toMatchObject({ code: CloseCode.forbidden });
    expect(display.closedBy).toMatchObject({ code: CloseCode.forbidden });
  });

  it('closes a connection that sends garbage with 1007 and keeps the others syncing', async () => {
    m = startMemoryRelay();
    const good = m.provider('staff:c1', 'receptionist@c1');
    const peer = m.provider('staff:c1', 'receptionist@c1');
    const bad = m.network.open('ws://memory.invalid/ws/staff:c1?token=receptionist@c1');
    await m.settle();
    bad.clientSend(Uint8Array.of(0, 2, 200));
    await m.settle();
    expect(bad.closedBy).toMatchObject({ code: CloseCode.invalidPayload });
    good.doc.getMap('m').set('alive', true);
    await m.settle();
    expect(peer.doc.getMap('m').get('alive')).toBe(true);
  });

  it('closes only the flooder on an awareness flood: the writers echoing it are not charged', async () => {
    m = startMemoryRelay({ limits: { awarenessBurst: 20, awarenessPerSecond: 5 } });
    const witness = m.provider('staff:c1', 'receptionist@c1#Witness');
    const peer = m.provider('staff:c1', 'receptionist@c1#Peer');
    await m.settle();
    witness.awareness.setLocalStateField('activity', { screen: 'reception' });
    peer.awareness.setLocalStateField('activity', { screen: 'room' });
    const flooder = m.raw('staff:c1', 'receptionist@c1#Flood');
    await m.settle();
    for (let i = 0; i < 60; i++) {
      const entry = encodeAwareness(777, i + 1, { activity: { screen: 'x' } });
      flooder.send(awarenessFrame(entry));
      if (i % 5 === 4) await m.settle();
    }
    await m.settle();
    expect(flooder.closed?.code).toBe(CloseCode.rateLimited);
    for (const p of [witness, peer]) expect(pairOf(p)?.closedBy ?? null).toBeNull();
    witness.doc.getMap('m').set('after', true);
    await m.settle();
    expect(peer.doc.getMap('m').get('after')).toBe(true);
  });
});

/** One awareness entry, as the stock client encodes it. */
function encodeAwareness(clientId: number, clock: number, state: unknown): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, clock);
  encoding.writeVarString(e, JSON.stringify(state));
  return encoding.toUint8Array(e);
}
