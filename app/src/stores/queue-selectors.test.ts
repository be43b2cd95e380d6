import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  addPatientEntry,
  callNext,
  callOutcome,
  configureRoom,
  configureService,
  parseRoomId,
  parseServiceId,
  transferEntry,
  cancelEntry,
} from '../../../shared/queue/index.js';
import {
  MIN,
  T0,
  fork,
  makeCtx,
  must,
  seededClinic,
  sync,
} from '../../../shared/queue/test-support/fixtures.js';
import {
  selectCallLostTo,
  selectEntry,
  selectEntryLabel,
  selectOpenServices,
  selectQueueOpen,
  selectRoom,
  selectRoomCurrent,
  selectRoomWaiting,
  selectRoomsServing,
  selectServiceName,
} from './queue-selectors.js';
import { deriveView, type QueueState } from './queue-store.js';

const one = parseRoomId('1');
const two = parseRoomId('2');
const lab = parseServiceId('lab');
const main = parseServiceId('main');

/** A clinic with rooms 1 (every service) and 2 (lab only), services main and lab (and closed x-ray). */
function clinic() {
  const { doc, staff } = seededClinic();
  let t = T0;
  const ctx = () => makeCtx((t += MIN));
  must(configureService(doc, { id: lab, name: 'Laboratoire', prefix: 'L', open: true }, ctx()));
  must(
    configureService(
      doc,
      { id: parseServiceId('x-ray'), name: 'Radio', prefix: 'R', open: false },
      ctx(),
    ),
  );
  must(configureRoom(doc, { id: one, name: 'Salle 1', open: true }, ctx()));
  must(configureRoom(doc, { id: two, name: 'Labo', open: true, services: [lab] }, ctx()));
  const add = (name: string, service: typeof main = main) =>
    must(addPatientEntry(doc, staff, { source: 'walk-in', service, patient: { name } }, ctx()))
      .entry;
  const view = () => deriveView(doc, staff, t, undefined);
  return { doc, staff, ctx, add, view };
}

describe('queue selectors', () => {
  it('find a ticket of today wherever it is, and its label', () => {
    const c = clinic();
    const called = c.add('Anne');
    const waiting = c.add('Bruno');
    const cancelled = c.add('Chloé');
    expect(must(callNext(c.doc, { room: one }, c.ctx())).entry.id).toBe(called.id);
    must(cancelEntry(c.doc, { entryId: cancelled.id }, c.ctx()));
    const v = c.view();
    expect(selectEntry(waiting.id)(v)).toBe(v.waiting[0]?.entry);
    expect(selectEntry(called.id)(v)).toBe(v.active[0]);
    expect(selectEntry(cancelled.id)(v)?.status).toBe('cancelled');
    expect(selectEntry(null)(v)).toBeNull();
    expect(selectEntry('nope')(v)).toBeNull();
    expect(selectEntryLabel(cancelled.id)(v)).toBe(cancelled.label);
    expect(selectEntryLabel('nope')(v)).toBeNull();
    expect(selectQueueOpen(v)).toBe(true);
  });

  it('name services, fall back to the id, and list the open ones, the same objects while services do not change', () => {
    const c = clinic();
    const v = c.view();
    expect(selectServiceName(v)(lab)).toBe('Laboratoire');
    expect(selectServiceName(v)(parseServiceId('gone'))).toBe('gone');
    expect(selectOpenServices(v).map((s) => s.id)).toEqual(
      v.services.filter((s) => s.open).map((s) => s.id),
    );
    expect(selectOpenServices(v).map((s) => s.id)).not.toContain('x-ray');
    // Same input, same output: React sees no change.
    expect(selectServiceName({ services: v.services })).toBe(selectServiceName(v));
    expect(selectOpenServices({ services: v.services })).toBe(selectOpenServices(v));
    // A new derivation of unchanged services is a new array: a new result, equal in content.
    const again = c.view();
    expect(selectOpenServices(again)).toEqual(selectOpenServices(v));
  });

  it('list each room with its current ticket, configured rooms first, then rooms no longer configured', () => {
    const c = clinic();
    c.add('Anne');
    c.add('Bruno', lab);
    const toOne = must(callNext(c.doc, { room: one }, c.ctx())).entry;
    const v = c.view();
    const rooms = selectRoomsServing(v);
    expect(rooms.map((r) => [r.id, r.name, r.entry?.id ?? null])).toEqual([
      ['1', 'Salle 1', toOne.id],
      ['2', 'Labo', null],
    ]);
    expect(selectRoomsServing(v)).toBe(rooms);
    expect(selectRoom('1')(v)?.name).toBe('Salle 1');
    expect(selectRoom('9')(v)).toBeUndefined();
    expect(selectRoom(null)(v)).toBeUndefined();
    expect(selectRoomCurrent(one)(v)?.id).toBe(toOne.id);
    expect(selectRoomCurrent(two)(v)).toBeNull();

    // A ticket in a room that is not configured (any more) still shows, by its id.
    const stray = parseRoomId('7');
    const other = fork(c.doc, 2);
    must(configureRoom(other, { id: stray, name: '7', open: true }, c.ctx()));
    must(callNext(other, { room: stray }, c.ctx()));
    sync(c.doc, other);
    // Rooms as before room 7 was configured: it shows by its id, without a name.
    const withStray = selectRoomsServing({ ...c.view(), rooms: v.rooms });
    expect(withStray.map((r) => [r.id, r.name, r.entry !== null])).toEqual([
      ['1', 'Salle 1', true],
      ['2', 'Labo', false],
      ['7', null, true],
    ]);
  });

  it('give a room the waiting tickets it may call: its services, any room or this one', () => {
    const c = clinic();
    const anne = c.add('Anne');
    const bruno = c.add('Bruno', lab);
    const chloe = c.add('Chloé', lab);
    must(transferEntry(c.doc, { entryId: chloe.id, room: one }, c.ctx()));
    const v = c.view();
    const ids = (items: readonly { entry: { id: string } }[]) => items.map((w) => w.entry.id);
    expect(ids(selectRoomWaiting(one)(v))).toEqual([anne.id, bruno.id, chloe.id]);
    expect(ids(selectRoomWaiting(two)(v))).toEqual([bruno.id]);
    // Stable while the view is: the same selector and the same list.
    expect(selectRoomWaiting(two)).toBe(selectRoomWaiting(two));
    expect(selectRoomWaiting(two)(v)).toBe(selectRoomWaiting(two)(v));
    // A room with no configuration takes every service.
    expect(ids(selectRoomWaiting(parseRoomId('9'))(v))).toEqual([anne.id, bruno.id]);
  });

  it('tell the room that lost a concurrent call which room won', () => {
    const c = clinic();
    c.add('Seul', lab);
    const other: Y.Doc = fork(c.doc, 2);
    const mine = must(callNext(c.doc, { room: one }, c.ctx())).entry;
    const theirs = must(callNext(other, { room: two }, c.ctx())).entry;
    expect(theirs.id).toBe(mine.id);
    // What the store's action does, over each room's replica.
    const outcomeOf = (doc: Y.Doc): Pick<QueueState, 'callOutcome'> => ({
      callOutcome: (id, room) => callOutcome(doc, id, room),
    });
    expect(selectCallLostTo(null, one)(outcomeOf(c.doc))).toBeNull();
    expect(selectCallLostTo(mine.id, one)(outcomeOf(c.doc))).toBeNull();
    sync(c.doc, other);
    const lost = [
      selectCallLostTo(mine.id, one)(outcomeOf(c.doc)),
      selectCallLostTo(theirs.id, two)(outcomeOf(other)),
    ];
    expect(lost.filter((r) => r !== null)).toHaveLength(1);
    expect(lost).toContain(lost[0] === null ? one : two);
  });
});
