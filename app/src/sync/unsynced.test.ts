import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { QUEUE_ROOTS, STAFF_ROOTS, patientNotes } from '../../../shared/queue/index.js';
import { T0, fork, must, seededClinic } from '../../../shared/queue/test-support/fixtures.js';
import { ticketChangeKey } from '../stores/clinic-session.js';
import { createQueueStore } from '../stores/queue-store.js';
import { reconnectDelay } from './synced-doc.js';
import {
  createUnsyncedTracker,
  keysBeyond,
  parsePersisted,
  transactionKeys,
  type PersistedUnsynced,
  type UnsyncedTracker,
} from './unsynced.js';

const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

/** Wires a doc to a tracker the way the sync layer does (every local transaction, sent or not). */
function track(
  doc: Y.Doc,
  changeKey: (where: string) => string,
  initial: PersistedUnsynced | null = null,
  sent = () => false,
): UnsyncedTracker {
  const t = createUnsyncedTracker({
    keysBeyond: (v) => [...keysBeyond(doc, v)].map(changeKey),
    initial,
  });
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (!tr.local) return;
    const inserted =
      (tr.afterState.get(doc.clientID) ?? 0) > (tr.beforeState.get(doc.clientID) ?? 0);
    if (!inserted && tr.deleteSet.clients.size === 0) return;
    t.local([...transactionKeys(tr)].map(changeKey), inserted, sent());
  });
  return t;
}

/** A reception on two docs, as a clinic session opens it, with a "server" copy of each. */
function reception() {
  const { doc, staff } = seededClinic();
  const server = { doc: fork(doc, 90), staff: fork(staff, 91) };
  const queueKey = ticketChangeKey('queue', QUEUE_ROOTS.entries);
  const staffKey = ticketChangeKey('staff', STAFF_ROOTS.patients);
  const tq = track(doc, queueKey);
  const ts = track(staff, staffKey);
  tq.serverVector(sv(server.doc));
  ts.serverVector(sv(server.staff));
  const store = createQueueStore({
    queueDoc: doc,
    staffDoc: staff,
    clock: { now: () => T0 },
    device: 'dev-a',
    tickMs: 0,
  });
  const count = () => new Set([...tq.keys(), ...ts.keys()]).size;
  return { doc, staff, server, store, tq, ts, count, queueKey, staffKey };
}

describe('unsynced changes', () => {
  it('counts two walk-ins and a typed note as two changes, not one per keystroke', async () => {
    const r = reception();
    const a = must(await r.store.getState().addWalkIn({ name: 'Claire', phone: '0600' }));
    must(await r.store.getState().addWalkIn({ name: 'David' }));
    const notes = patientNotes(r.staff, a.entry.id)!;
    const text = 'Allergique à la pénicilline, rappeler';
    for (const ch of text) notes.insert(notes.length, ch); // one transaction per keystroke
    must(r.store.getState().updatePatient(a.entry.id, { name: 'Claire Martin' }));
    expect(r.count()).toBe(2);
  });

  it('counts a setting and a ticket as two changes', async () => {
    const r = reception();
    must(await r.store.getState().addWalkIn({ name: 'Claire' }));
    must(r.store.getState().setOpen(false));
    expect(r.count()).toBe(2);
  });

  it('falls to zero once the relay’s state vector covers the changes, per change', async () => {
    const r = reception();
    must(await r.store.getState().addWalkIn({ name: 'Claire' }));
    const afterFirst = Y.encodeStateAsUpdate(r.doc, Y.encodeStateVector(r.server.doc));
    const staffFirst = Y.encodeStateAsUpdate(r.staff, Y.encodeStateVector(r.server.staff));
    must(await r.store.getState().addWalkIn({ name: 'David' }));
    expect(r.count()).toBe(2);
    Y.applyUpdate(r.server.doc, afterFirst);
    Y.applyUpdate(r.server.staff, staffFirst);
    r.tq.serverVector(sv(r.server.doc));
    r.ts.serverVector(sv(r.server.staff));
    expect(r.count()).toBe(1);
    Y.applyUpdate(r.server.doc, Y.encodeStateAsUpdate(r.doc));
    Y.applyUpdate(r.server.staff, Y.encodeStateAsUpdate(r.staff));
    r.tq.serverVector(sv(r.server.doc));
    r.ts.serverVector(sv(r.server.staff));
    expect(r.count()).toBe(0);
  });

  it('still counts the pending changes after a reload while offline', async () => {
    const r = reception();
    must(await r.store.getState().addWalkIn({ name: 'Claire' }));
    must(await r.store.getState().addWalkIn({ name: 'David' }));
    expect(r.count()).toBe(2);
    const saved = {
      queue: parsePersisted(JSON.stringify(r.tq.persisted())),
      staff: parsePersisted(JSON.stringify(r.ts.persisted())),
    };
    // The reload: a new clientID, the doc restored from IndexedDB, no network.
    const doc = fork(r.doc, 1234);
    const staff = fork(r.staff, 1235);
    const tq = track(doc, r.queueKey, saved.queue);
    const ts = track(staff, r.staffKey, saved.staff);
    tq.restored();
    ts.restored();
    expect(new Set([...tq.keys(), ...ts.keys()]).size).toBe(2);
    // back online: the relay takes them and says so
    Y.applyUpdate(r.server.doc, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(r.server.staff, Y.encodeStateAsUpdate(staff));
    tq.serverVector(sv(r.server.doc));
    ts.serverVector(sv(r.server.staff));
    expect(new Set([...tq.keys(), ...ts.keys()]).size).toBe(0);
  });

  it('does not count after a reload what the relay sent after its last state vector', async () => {
    const r = reception();
    // A colleague's change reaches us through the relay after its last vector.
    const colleague = fork(r.server.doc, 77);
    colleague.getMap('meta').set('title', 'Maison de santé');
    const fromRelay = Y.encodeStateAsUpdate(colleague, Y.encodeStateVector(r.doc));
    Y.applyUpdate(r.server.doc, fromRelay);
    Y.applyUpdate(r.doc, fromRelay, 'relay');
    r.tq.fromServer(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(fromRelay)));
    must(await r.store.getState().addWalkIn({ name: 'Claire' }));
    const saved = parsePersisted(JSON.stringify(r.tq.persisted()));
    const doc = fork(r.doc, 4242);
    const t = track(doc, r.queueKey, saved);
    t.restored();
    expect(t.count()).toBe(1);
  });

  it('keeps an offline deletion pending across a reload until it is sent and acknowledged', async () => {
    const r = reception();
    const a = must(await r.store.getState().addWalkIn({ name: 'Claire' }));
    const notes = patientNotes(r.staff, a.entry.id)!;
    notes.insert(0, 'abc');
    Y.applyUpdate(r.server.staff, Y.encodeStateAsUpdate(r.staff));
    r.ts.serverVector(sv(r.server.staff));
    expect([...r.ts.keys()]).toEqual([]);
    notes.delete(0, 3); // delete-only: no clock moves
    expect([...r.ts.keys()]).toEqual([`ticket:${a.entry.id}`]);
    const saved = parsePersisted(JSON.stringify(r.ts.persisted()));
    const staff = fork(r.staff, 4321);
    const t = track(staff, r.staffKey, saved);
    t.restored();
    expect(t.count()).toBe(1);
    t.serverVector(sv(r.server.staff)); // the relay's vector before our step 2 went out
    expect(t.count()).toBe(1);
    t.sentAll();
    t.serverVector(sv(r.server.staff));
    expect(t.count()).toBe(0);
  });

  it('counts nothing restored when no acknowledgement was ever recorded, but counts new work', async () => {
    const r = reception();
    const doc = fork(r.doc, 55);
    const t = track(doc, r.queueKey, null);
    doc.getMap('meta').set('open', false);
    t.restored();
    expect([...t.keys()]).toEqual(['queue:meta']);
  });

  it('reads a corrupt persisted value as nothing', () => {
    expect(parsePersisted('{')).toBeNull();
    expect(parsePersisted('{"acked":[[1,"x"]]}')).toBeNull();
    expect(parsePersisted('{"acked":[[1,2]],"deletes":["a",3]}')).toEqual({
      acked: [[1, 2]],
      deletes: ['a'],
    });
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
