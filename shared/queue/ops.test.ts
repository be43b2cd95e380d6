import { beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { configureClinic, configureRoom, configureService, removeRoom } from './config-ops.js';
import { clinicDay } from './day.js';
import { waitingList } from './derive.js';
import { getEntry } from './entries.js';
import { grantNumberBlock } from './numbering.js';
import {
  callNext,
  callTicket,
  finishService,
  markNoShow,
  recall,
  sendBack,
  startService,
} from './call-ops.js';
import {
  addEntry,
  cancelEntry,
  reactivateEntry,
  reorderEntry,
  setPriority,
  setQueueOpen,
  transferEntry,
  type AddEntryArgs,
} from './ops.js';
import { serverOrigin } from './origins.js';
import { parseRoomId, parseServiceId, readRooms, readServices } from './schema.js';
import {
  codeOf,
  DAY_MS,
  makeCtx,
  MIN,
  must,
  SETTINGS,
  seededClinic,
  T0,
} from './test-support/fixtures.js';
import type { EntryId, EntryView } from './types.js';

const R1 = parseRoomId('1');
const R3 = parseRoomId('Room 3');
const LAB = parseServiceId('lab');
const DEVICE = 'desk-1';
const day = clinicDay(T0, SETTINGS);

let doc: Y.Doc;
let t: number;
/** Each call gets a later time, like clicks. */
const ctx = () => makeCtx((t += MIN), { device: DEVICE });
const add = (args: Partial<AddEntryArgs> = {}): EntryView =>
  must(addEntry(doc, { source: 'walk-in', ...args }, ctx())).entry;
const view = (id: EntryId) => getEntry(doc, id)!;
const ids = (list: readonly EntryView[]) => list.map((e) => e.label);

beforeEach(() => {
  doc = seededClinic().doc;
  t = T0;
  must(
    grantNumberBlock(
      doc,
      { device: DEVICE, day, start: 1, size: 50 },
      { now: T0, origin: serverOrigin },
    ),
  );
});

describe('open and close the queue (rule O4)', () => {
  it('rejects new tickets while closed and accepts them again once reopened', () => {
    expect(must(setQueueOpen(doc, { open: false }, ctx())).changed).toBe(true);
    expect(codeOf(addEntry(doc, { source: 'qr' }, ctx()))).toBe('queue-closed');
    expect(must(setQueueOpen(doc, { open: false }, ctx())).changed).toBe(false);
    must(setQueueOpen(doc, { open: true }, ctx()));
    expect(add().label).toBe('A-001');
  });

  it('still lets rooms call waiting tickets while closed', () => {
    add();
    must(setQueueOpen(doc, { open: false }, ctx()));
    expect(must(callNext(doc, { room: R1 }, ctx())).entry.status).toBe('called');
  });
});

describe('add entry (rules O0, O1, N3)', () => {
  it('issues A-001, A-002… from the device block, waiting, in arrival order', () => {
    const a = add({ source: 'qr' });
    const b = add({ source: 'phone' });
    expect([a.label, b.label]).toEqual(['A-001', 'A-002']);
    expect(a).toMatchObject({
      status: 'waiting',
      number: 1,
      provisional: false,
      source: 'qr',
      day,
      service: 'main',
      priority: 'normal',
    });
    expect(ids(waitingList(doc, t))).toEqual(['A-001', 'A-002']);
  });

  it('uses the service prefix and the shared day numbering', () => {
    must(configureService(doc, { id: LAB, name: 'Prélèvements', prefix: 'L' }, ctx()));
    expect(add().label).toBe('A-001');
    expect(add({ service: LAB }).label).toBe('L-002');
  });

  it('rejects an unknown service, a closed service and bad arguments', () => {
    expect(
      codeOf(addEntry(doc, { source: 'walk-in', service: parseServiceId('nope') }, ctx())),
    ).toBe('not-found');
    must(configureService(doc, { id: LAB, open: false }, ctx()));
    expect(codeOf(addEntry(doc, { source: 'walk-in', service: LAB }, ctx()))).toBe(
      'service-closed',
    );
    expect(codeOf(addEntry(doc, { source: 'fax' as never }, ctx()))).toBe('invalid-argument');
    expect(codeOf(addEntry(doc, { source: 'qr', priority: 'vip' as never }, ctx()))).toBe(
      'invalid-argument',
    );
    expect(codeOf(addEntry(doc, { source: 'qr' }, makeCtx(t, { device: 'desk 1' })))).toBe(
      'invalid-argument',
    );
  });

  it('falls back to a provisional label when the device has no block', () => {
    const e = must(addEntry(doc, { source: 'walk-in' }, makeCtx(T0, { device: 'other' }))).entry;
    expect(e.provisional).toBe(true);
    expect(e.number).toBeNull();
    expect(e.label).toMatch(/^A-[0-9A-Z]+-1$/);
  });

  it('writes exactly one transaction with the typed origin', () => {
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const c = ctx();
    must(addEntry(doc, { source: 'walk-in' }, c));
    expect(origins).toEqual([c.origin]);
  });
});

describe('call next (rule C1)', () => {
  it('calls the urgent class first, then by order', () => {
    add();
    add({ priority: 'priority' });
    add({ priority: 'urgent' });
    const order = [1, 2, 3].map(() => must(callNext(doc, { room: R1 }, ctx())).entry.label);
    expect(order).toEqual(['A-003', 'A-002', 'A-001']);
  });

  it('rejects call-next when nobody waits', () => {
    expect(codeOf(callNext(doc, { room: R1 }, ctx()))).toBe('nobody-waiting');
  });

  it('rejects call-next from a closed room and only calls the services a room serves', () => {
    must(configureService(doc, { id: LAB, prefix: 'L' }, ctx()));
    add();
    const lab = add({ service: LAB });
    must(configureRoom(doc, { id: R3, services: [LAB] }, ctx()));
    expect(must(callNext(doc, { room: R3 }, ctx())).entry.id).toBe(lab.id);
    expect(codeOf(callNext(doc, { room: R3 }, ctx()))).toBe('nobody-waiting');
    must(configureRoom(doc, { id: R3, open: false }, ctx()));
    expect(codeOf(callNext(doc, { room: R3 }, ctx()))).toBe('room-closed');
  });

  it('records the room, call time and a claim', () => {
    add();
    const e = must(callNext(doc, { room: R3 }, ctx())).entry;
    expect(e).toMatchObject({
      status: 'called',
      room: 'Room 3',
      calledAt: t,
      firstCalledAt: t,
      round: 0,
    });
    expect(e.claims).toEqual([{ room: 'Room 3', round: 0, at: t, client: doc.clientID }]);
  });
});

describe('call a specific ticket, recall, start, finish (rules O3, C4)', () => {
  it('runs the full happy path', () => {
    const e = add();
    add();
    expect(must(callTicket(doc, { entryId: e.id, room: R1 }, ctx())).entry.status).toBe('called');
    const r = must(recall(doc, { entryId: e.id, room: R1 }, ctx())).entry;
    expect(r).toMatchObject({ recalls: 1, calledAt: t });
    const started = t + MIN;
    expect(must(startService(doc, { entryId: e.id, room: R1 }, ctx())).entry).toMatchObject({
      status: 'in-service',
      startedAt: started,
    });
    expect(must(finishService(doc, { entryId: e.id, room: R1 }, ctx())).entry).toMatchObject({
      status: 'done',
      room: '1',
      startedAt: started,
      finishedAt: t,
    });
  });

  it('rejects calling a ticket already with another room as a conflict naming that room', () => {
    const e = add();
    must(callTicket(doc, { entryId: e.id, room: R1 }, ctx()));
    const res = callTicket(doc, { entryId: e.id, room: R3 }, ctx());
    expect(codeOf(res)).toBe('conflict');
    expect(!res.ok && res.error.details.room).toBe('1');
  });

  it('rejects room actions from a room that does not hold the ticket', () => {
    const e = add();
    must(callTicket(doc, { entryId: e.id, room: R1 }, ctx()));
    for (const op of [recall, startService, finishService, markNoShow, sendBack]) {
      expect(codeOf(op(doc, { entryId: e.id, room: R3 }, ctx()))).toBe('conflict');
    }
  });

  it('rejects invalid transitions', () => {
    const e = add();
    expect(codeOf(recall(doc, { entryId: e.id }, ctx()))).toBe('invalid-transition');
    expect(codeOf(startService(doc, { entryId: e.id }, ctx()))).toBe('invalid-transition');
    expect(codeOf(finishService(doc, { entryId: e.id }, ctx()))).toBe('invalid-transition');
    expect(codeOf(markNoShow(doc, { entryId: e.id }, ctx()))).toBe('invalid-transition');
    expect(codeOf(sendBack(doc, { entryId: e.id }, ctx()))).toBe('invalid-transition');
    expect(codeOf(reactivateEntry(doc, { entryId: e.id }, ctx()))).toBe('invalid-transition');
    must(callTicket(doc, { entryId: e.id, room: R1 }, ctx()));
    expect(codeOf(callTicket(doc, { entryId: e.id, room: R1 }, ctx()))).toBe('invalid-transition');
    must(startService(doc, { entryId: e.id }, ctx()));
    expect(codeOf(cancelEntry(doc, { entryId: e.id }, ctx()))).toBe('invalid-transition');
    must(finishService(doc, { entryId: e.id }, ctx()));
    expect(codeOf(transferEntry(doc, { entryId: e.id, room: R3 }, ctx()))).toBe(
      'invalid-transition',
    );
    expect(codeOf(setPriority(doc, { entryId: e.id, priority: 'urgent' }, ctx()))).toBe(
      'invalid-transition',
    );
  });

  it('finishes straight from called, counting the call as the start', () => {
    const e = add();
    const called = must(callTicket(doc, { entryId: e.id, room: R1 }, ctx())).entry;
    expect(must(finishService(doc, { entryId: e.id }, ctx())).entry.startedAt).toBe(
      called.calledAt,
    );
  });

  it('reports not-found for an unknown entry', () => {
    expect(codeOf(recall(doc, { entryId: 'nope' as EntryId }, ctx()))).toBe('not-found');
  });
});

describe('no-show, send back, cancel, reactivate (rule O3)', () => {
  it('marks a called ticket no-show and brings it back with reactivate, in its old place', () => {
    const a = add();
    add();
    must(callNext(doc, { room: R1 }, ctx()));
    expect(must(markNoShow(doc, { entryId: a.id }, ctx())).entry.status).toBe('no-show');
    expect(ids(waitingList(doc, t))).toEqual(['A-002']);
    const back = must(reactivateEntry(doc, { entryId: a.id }, ctx())).entry;
    expect(back).toMatchObject({ status: 'waiting', round: 1, room: null });
    expect(ids(waitingList(doc, t))).toEqual(['A-001', 'A-002']);
  });

  it('sends a called or in-service ticket back to the queue in a new call round', () => {
    const a = add();
    must(callNext(doc, { room: R1 }, ctx()));
    must(startService(doc, { entryId: a.id }, ctx()));
    const back = must(sendBack(doc, { entryId: a.id, room: R1 }, ctx())).entry;
    expect(back).toMatchObject({
      status: 'waiting',
      round: 1,
      room: null,
      firstCalledAt: T0 + 2 * MIN,
    });
    expect(must(callNext(doc, { room: R3 }, ctx())).entry.room).toBe('Room 3');
  });

  it('cancels waiting or called tickets and reactivates them', () => {
    const a = add();
    expect(must(cancelEntry(doc, { entryId: a.id }, ctx())).entry.status).toBe('cancelled');
    expect(codeOf(cancelEntry(doc, { entryId: a.id }, ctx()))).toBe('invalid-transition');
    expect(codeOf(callNext(doc, { room: R1 }, ctx()))).toBe('nobody-waiting');
    must(reactivateEntry(doc, { entryId: a.id }, ctx()));
    expect(must(callNext(doc, { room: R1 }, ctx())).entry.id).toBe(a.id);
  });
});

describe('reorder and priority (rule O2)', () => {
  it('moves an entry before or after another, touching only its key', () => {
    const [a, b, c] = [add(), add(), add()];
    must(reorderEntry(doc, { entryId: c.id, before: a.id }, ctx()));
    expect(ids(waitingList(doc, t))).toEqual(['A-003', 'A-001', 'A-002']);
    must(reorderEntry(doc, { entryId: c.id, after: b.id }, ctx()));
    expect(ids(waitingList(doc, t))).toEqual(['A-001', 'A-002', 'A-003']);
    must(reorderEntry(doc, { entryId: a.id, after: b.id }, ctx()));
    expect(ids(waitingList(doc, t))).toEqual(['A-002', 'A-001', 'A-003']);
    expect(view(b.id).orderKey).toBe(b.orderKey);
  });

  it('gives the moved entry the priority class of its new neighbour', () => {
    const a = add({ priority: 'urgent' });
    const b = add();
    const res = must(reorderEntry(doc, { entryId: b.id, before: a.id }, ctx()));
    expect(res.priorityChanged).toBe(true);
    expect(ids(waitingList(doc, t))).toEqual(['A-002', 'A-001']);
  });

  it('rejects reorders that name no target, itself, or a non-waiting entry', () => {
    const [a, b] = [add(), add()];
    expect(codeOf(reorderEntry(doc, { entryId: a.id }, ctx()))).toBe('invalid-argument');
    expect(codeOf(reorderEntry(doc, { entryId: a.id, before: a.id }, ctx()))).toBe(
      'invalid-argument',
    );
    expect(codeOf(reorderEntry(doc, { entryId: a.id, before: b.id, after: b.id }, ctx()))).toBe(
      'invalid-argument',
    );
    must(callTicket(doc, { entryId: b.id, room: R1 }, ctx()));
    expect(codeOf(reorderEntry(doc, { entryId: a.id, before: b.id }, ctx()))).toBe(
      'invalid-transition',
    );
  });

  it('sets the priority class, which moves the entry ahead of normal tickets', () => {
    add();
    const b = add();
    must(setPriority(doc, { entryId: b.id, priority: 'priority' }, ctx()));
    expect(ids(waitingList(doc, t))).toEqual(['A-002', 'A-001']);
    expect(codeOf(setPriority(doc, { entryId: b.id, priority: 'vip' as never }, ctx()))).toBe(
      'invalid-argument',
    );
  });
});

describe('transfer to a service or a room (rule O5)', () => {
  it('moves a ticket to another service, keeping its label', () => {
    must(configureService(doc, { id: LAB, prefix: 'L' }, ctx()));
    const a = add();
    must(callNext(doc, { room: R1 }, ctx()));
    const moved = must(transferEntry(doc, { entryId: a.id, service: LAB }, ctx())).entry;
    expect(moved).toMatchObject({ label: 'A-001', service: 'lab', status: 'waiting', round: 1 });
  });

  it('reserves a transferred ticket for the target room', () => {
    const a = add();
    add();
    must(transferEntry(doc, { entryId: a.id, room: R3 }, ctx()));
    expect(must(callNext(doc, { room: R1 }, ctx())).entry.label).toBe('A-002');
    expect(codeOf(callNext(doc, { room: R1 }, ctx()))).toBe('nobody-waiting');
    expect(must(callNext(doc, { room: R3 }, ctx())).entry.label).toBe('A-001');
  });

  it('rejects a transfer with no destination, to an unknown service, or to a room that cannot serve it', () => {
    must(configureService(doc, { id: LAB, prefix: 'L' }, ctx()));
    const a = add();
    expect(codeOf(transferEntry(doc, { entryId: a.id }, ctx()))).toBe('invalid-argument');
    expect(
      codeOf(transferEntry(doc, { entryId: a.id, service: parseServiceId('zz') }, ctx())),
    ).toBe('not-found');
    must(configureRoom(doc, { id: R3, services: [LAB] }, ctx()));
    expect(codeOf(transferEntry(doc, { entryId: a.id, room: R3 }, ctx()))).toBe('invalid-argument');
    expect(
      must(transferEntry(doc, { entryId: a.id, room: R3, service: LAB }, ctx())).entry.targetRoom,
    ).toBe('Room 3');
  });
});

describe('failures (rule O0)', () => {
  it('writes nothing when an operation fails', () => {
    const e = add();
    must(callTicket(doc, { entryId: e.id, room: R1 }, ctx()));
    must(configureRoom(doc, { id: R1 }, ctx()));
    must(configureRoom(doc, { id: parseRoomId('2') }, ctx()));
    must(configureRoom(doc, { id: R3, open: false }, ctx()));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const failures = [
      callTicket(doc, { entryId: e.id, room: parseRoomId('2') }, ctx()),
      callNext(doc, { room: R3 }, ctx()),
      transferEntry(doc, { entryId: e.id, room: R3 }, ctx()),
      startService(doc, { entryId: e.id, room: R3 }, ctx()),
      reactivateEntry(doc, { entryId: e.id }, ctx()),
      reorderEntry(doc, { entryId: e.id, before: e.id }, ctx()),
      configureService(doc, { id: LAB, prefix: '?' }, ctx()),
      configureClinic(doc, { timezone: 'Nowhere/City' }, ctx()),
    ];
    expect(failures.map(codeOf)).toEqual([
      'conflict',
      'room-closed',
      'room-closed',
      'conflict',
      'invalid-transition',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
    ]);
    expect(updates).toEqual([]);
  });

  it('refuses a room that is not configured once rooms are (rule S7), writing nothing', () => {
    const e = add();
    must(configureRoom(doc, { id: R1 }, ctx()));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const typo = parseRoomId('11');
    expect(codeOf(callNext(doc, { room: typo }, ctx()))).toBe('invalid-argument');
    expect(codeOf(callTicket(doc, { entryId: e.id, room: typo }, ctx()))).toBe('invalid-argument');
    expect(codeOf(transferEntry(doc, { entryId: e.id, room: typo }, ctx()))).toBe(
      'invalid-argument',
    );
    expect(updates).toEqual([]);
    expect(must(callNext(doc, { room: R1 }, ctx())).entry.room).toBe(R1);
  });
});

describe('configuration (rules S5, D1)', () => {
  it('configures services with name, prefix and open flag, rejecting bad prefixes', () => {
    must(configureService(doc, { id: LAB, name: 'Prélèvements', prefix: 'L' }, ctx()));
    expect(readServices(doc).map((s) => `${s.id}:${s.prefix}:${s.open}`)).toEqual([
      'main:A:true',
      'lab:L:true',
    ]);
    expect(codeOf(configureService(doc, { id: LAB, prefix: 'l' }, ctx()))).toBe('invalid-argument');
    expect(codeOf(configureService(doc, { id: 'Bad' as never }, ctx()))).toBe('invalid-argument');
  });

  it('configures and removes rooms', () => {
    must(configureRoom(doc, { id: R3, name: 'Salle 3' }, ctx()));
    expect(readRooms(doc)).toEqual([{ id: 'Room 3', name: 'Salle 3', open: true, services: null }]);
    expect(must(removeRoom(doc, { id: R3 }, ctx())).removed).toBe(true);
    expect(readRooms(doc)).toEqual([]);
    expect(codeOf(configureRoom(doc, { id: '' as never }, ctx()))).toBe('invalid-argument');
  });

  it('changes the daily reset time, which moves the start of the next day', () => {
    must(configureClinic(doc, { resetTime: '04:00' }, ctx()));
    expect(codeOf(configureClinic(doc, { resetTime: '4h' }, ctx()))).toBe('invalid-argument');
    // 02:00 the next night still belongs to today with a 04:00 reset.
    const night = T0 + 18 * 60 * MIN;
    const e = must(addEntry(doc, { source: 'walk-in' }, makeCtx(night, { device: DEVICE }))).entry;
    expect(e.day).toBe(day);
    const morning = T0 + DAY_MS;
    expect(
      must(addEntry(doc, { source: 'walk-in' }, makeCtx(morning, { device: DEVICE }))).entry.day,
    ).not.toBe(day);
  });
});
