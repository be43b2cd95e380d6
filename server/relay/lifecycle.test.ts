/**
 * A document's life in the relay — compaction, idle unload, a slow reader
 * — over the in-memory socket pair on a fake clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import { startMemoryRelay, useRelayClock, type MemoryRelay } from './test-support/memory-relay.js';

let m: MemoryRelay | null = null;
afterEach(async () => {
  await m?.close();
  m = null;
  vi.useRealTimers();
});

const staff = parseDocName('staff:c1').name;

describe('document lifecycle', () => {
  it('compacts a busy document into one snapshot and keeps later updates', async () => {
    useRelayClock();
    m = startMemoryRelay({ limits: { compactAfterUpdates: 20 } });
    const p = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(p.synced).toBe(true);
    for (let i = 0; i < 45; i++) p.doc.getMap('m').set(`k${i}`, i);
    const reader = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(reader.doc.getMap('m').size).toBeGreaterThanOrEqual(45);
    const stored = await m.store.load(staff);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeLessThan(45);
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, stored.snapshot!);
    for (const u of stored.updates) Y.applyUpdate(rebuilt, u);
    expect(rebuilt.getMap('m').size).toBe(p.doc.getMap('m').size);
  });

  it('unloads an idle document into one snapshot and reloads it intact', async () => {
    useRelayClock();
    m = startMemoryRelay({ limits: { idleUnloadMs: 50 } });
    const p = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(p.synced).toBe(true);
    p.doc.getMap('m').set('before-unload', true);
    const observer = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(observer.doc.getMap('m').get('before-unload')).toBe(true);
    p.destroy();
    observer.destroy();
    await m.settle();
    // Not before its idle time.
    await m.elapse(40);
    expect(m.relay.roomCount).toBe(1);
    await m.elapse(20);
    expect(m.relay.roomCount).toBe(0);
    const stored = await m.store.load(staff);
    expect(stored.updates).toHaveLength(0);
    const fresh = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(fresh.synced).toBe(true);
    expect(fresh.doc.getMap('m').get('before-unload')).toBe(true);
  });

  it('closes a reader that stops reading with 4508 while the others keep syncing', async () => {
    useRelayClock();
    m = startMemoryRelay({
      limits: {
        sendBufferSoftBytes: 1024,
        sendBufferHardBytes: 256 * 1024,
        slowConsumerGraceMs: 60_000,
      },
    });
    const writer = m.provider('staff:c1', 'receptionist@c1');
    const healthy = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    expect(writer.synced && healthy.synced).toBe(true);
    const slow = m.raw('staff:c1', 'receptionist@c1');
    await m.settle();
    // Sync step 1 so the relay starts relaying to it, then stop reading.
    slow.send(new Uint8Array([0, 0, 1, 0]));
    await m.settle();
    expect(slow.received.length).toBeGreaterThanOrEqual(2);
    slow.pair.pauseReading();
    const chunk = 'x'.repeat(16 * 1024);
    let i = 0;
    const lastHealthy = () => healthy.doc.getMap('m').get(`k${i - 1}`) !== undefined;
    while (slow.pair.closedBy === null && i < 2000) {
      writer.doc.getMap('m').set(`k${i++}`, chunk);
      // The backlog sweep runs every 25 ms.
      await m.elapse(25, 25);
      if (i % 20 === 0) expect(lastHealthy()).toBe(true);
      if (m.relay.connectionCount < 3) break;
    }
    expect(m.relay.connectionCount).toBe(2);
    expect(slow.pair.closedBy).toMatchObject({ code: CloseCode.slowConsumer });
    const closes = m.logs.filter(
      (l) => l.msg === 'closing connection' && l.code === CloseCode.slowConsumer,
    );
    expect(closes).toHaveLength(1);
    await m.settle();
    expect(lastHealthy()).toBe(true);
  });
});
