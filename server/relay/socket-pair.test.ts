/**
 * The in-memory socket pair carries the relay's protocol to the unmodified
 * y-websocket client: what the rest of the relay tests stand on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol.js';
import { startMemoryRelay, type MemoryRelay } from './test-support/memory-relay.js';

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
});
