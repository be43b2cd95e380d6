import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { reconnectDelay } from './synced-doc.js';
import { createUnsyncedTracker } from './unsynced.js';

const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

describe('unsynced tracker', () => {
  it('counts local inserts until the server state vector covers them', () => {
    const local = new Y.Doc();
    const server = new Y.Doc();
    const t = createUnsyncedTracker(local.clientID);
    local.on('afterTransaction', (tr: Y.Transaction) =>
      t.local(tr.afterState.get(local.clientID) ?? null, true),
    );
    local.getMap('m').set('a', 1);
    local.getMap('m').set('b', 2);
    expect(t.count()).toBe(2);
    // the server got only the first change so far
    const first = Y.encodeStateAsUpdate(local);
    Y.applyUpdate(server, first);
    t.serverVector(new Map([[local.clientID, 1]]), sv(local));
    expect(t.count()).toBe(1);
    t.serverVector(sv(server), sv(local));
    expect(t.count()).toBe(0);
  });

  it('keeps offline deletes pending until they are sent and acknowledged', () => {
    const t = createUnsyncedTracker(7);
    t.local(null, false);
    t.serverVector(new Map(), new Map());
    expect(t.count()).toBe(1); // not sent yet: an ack cannot cover it
    t.sentAll();
    expect(t.count()).toBe(1);
    t.serverVector(new Map(), new Map());
    expect(t.count()).toBe(0);
  });

  it('counts changes restored from an earlier session that the server lacks', () => {
    const t = createUnsyncedTracker(7);
    t.serverVector(
      new Map([
        [3, 10],
        [4, 2],
      ]),
      new Map([
        [3, 10],
        [4, 5],
        [5, 1],
      ]),
    );
    expect(t.count()).toBe(2);
    t.serverVector(
      new Map([
        [3, 10],
        [4, 5],
        [5, 1],
      ]),
      new Map([
        [3, 10],
        [4, 5],
        [5, 1],
      ]),
    );
    expect(t.count()).toBe(0);
  });
});

describe('reconnect delay', () => {
  it('retries first within 0.5–1.5 s, backs off with jitter, and caps at 10 s', () => {
    expect(reconnectDelay(1, () => 0)).toBe(500);
    expect(reconnectDelay(1, () => 0.999)).toBeLessThan(1_500);
    expect(reconnectDelay(3, () => 0.5)).toBe(4_000);
    expect(reconnectDelay(50, () => 0.999)).toBeLessThanOrEqual(10_000);
    const spread = new Set(Array.from({ length: 20 }, () => reconnectDelay(4)));
    expect(spread.size).toBeGreaterThan(5);
  });
});
