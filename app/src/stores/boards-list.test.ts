import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { StoreApi } from 'zustand/vanilla';
import { parseClinicId } from '../../../shared/ids.js';
import { mirrorStaffBoard, staffBoardsMap } from '../../../shared/staff/boards.js';
import { HttpError, type HttpClient } from '../sync/http.js';
import { createBoardsListStore, type BoardsListState } from './boards-list.js';

const T0 = Date.UTC(2026, 11, 2, 9, 0);
let now = T0;
const clock = { now: () => now };
const stores: StoreApi<BoardsListState>[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.getState().destroy());
  now = T0;
});

interface Call {
  route: string;
  options: { params?: unknown; body?: unknown };
}

/** An HTTP client answering from `answer`, recording the calls. */
function fakeHttp(answer: (call: Call) => unknown) {
  const calls: Call[] = [];
  const http = {
    request: (route: string, options: Call['options']) => {
      const call = { route, options };
      calls.push(call);
      try {
        return Promise.resolve(answer(call));
      } catch (err) {
        return Promise.reject(err);
      }
    },
  } as unknown as HttpClient;
  return { http, calls };
}

function open(staffDoc: Y.Doc, http: HttpClient) {
  const store = createBoardsListStore({ clinicId: parseClinicId('c1'), staffDoc, http, clock });
  stores.push(store);
  return store;
}

const settle = () => new Promise<void>((r) => queueMicrotask(r));
const entry = (title: string, createdAt: number, archived = false) => ({
  title,
  template: 'blank',
  archived,
  createdAt,
});

describe('boards list', () => {
  it('lists the staff doc mirror, newest first, archived apart, malformed entries skipped', async () => {
    const staff = new Y.Doc();
    mirrorStaffBoard(staff, 'b1', entry('Huddle', T0));
    mirrorStaffBoard(staff, 'b2', entry('Retro', T0 + 1));
    mirrorStaffBoard(staff, 'b3', entry('Old', T0 - 1, true));
    staffBoardsMap(staff).set('bad', { title: 42 });
    const store = open(staff, fakeHttp(() => ({})).http);
    const s = store.getState();
    expect(s.boards.map((b) => b.id)).toEqual(['b2', 'b1']);
    expect(s.archived.map((b) => [b.id, b.archived])).toEqual([['b3', true]]);
    expect(s.find('b3')?.title).toBe('Old');
    expect(s.find('bad')).toBeNull();
    mirrorStaffBoard(staff, 'b1', entry('Huddle', T0, true));
    await settle();
    expect(store.getState().archived.map((b) => b.id)).toEqual(['b1', 'b3']);
  });

  it('creates through the API and shows the new board before the mirror reaches this tab', async () => {
    const staff = new Y.Doc();
    const board = { id: 'nb', title: 'Ideas', template: 'ideas', archived: false, createdAt: T0 };
    const { http, calls } = fakeHttp(() => ({ board }));
    const store = open(staff, http);
    const result = await store.getState().create({ title: '  Ideas ', template: 'ideas' });
    expect(result).toEqual({ ok: true, board });
    expect(calls).toEqual([
      {
        route: 'POST /api/clinics/:clinicId/boards',
        options: { params: { clinicId: 'c1' }, body: { title: 'Ideas', template: 'ideas' } },
      },
    ]);
    expect(store.getState().boards).toEqual([board]);
    // The mirror agrees, then moves on (a colleague renames it): the mirror wins.
    mirrorStaffBoard(staff, 'nb', { ...board });
    await settle();
    mirrorStaffBoard(staff, 'nb', { ...board, title: 'Ideas 2027' });
    await settle();
    expect(store.getState().boards.map((b) => b.title)).toEqual(['Ideas 2027']);
  });

  it('renames and archives with PATCH; a server answer outranks a lagging mirror for a while only', async () => {
    const staff = new Y.Doc();
    mirrorStaffBoard(staff, 'b1', entry('Huddle', T0));
    const { http, calls } = fakeHttp(() => ({ board: { id: 'b1', ...entry('Huddle', T0, true) } }));
    const store = open(staff, http);
    expect(await store.getState().setArchived('b1', true)).toMatchObject({ ok: true });
    expect(calls[0]).toEqual({
      route: 'PATCH /api/clinics/:clinicId/boards/:boardId',
      options: { params: { clinicId: 'c1', boardId: 'b1' }, body: { archived: true } },
    });
    expect(store.getState().archived.map((b) => b.id)).toEqual(['b1']);
    now += 60_000;
    mirrorStaffBoard(staff, 'b1', entry('Huddle (old)', T0));
    await settle();
    expect(store.getState().boards.map((b) => b.title)).toEqual(['Huddle (old)']);
    await store.getState().rename('b1', 'Safety huddle');
    expect(calls[1]?.options.body).toEqual({ title: 'Safety huddle' });
  });

  it('answers codes, never throws: a blank title, a refusal, no network', async () => {
    const staff = new Y.Doc();
    let fail: Error = new HttpError(403, 'forbidden', 'no');
    const store = open(
      staff,
      fakeHttp(() => {
        throw fail;
      }).http,
    );
    expect(await store.getState().create({ title: ' ', template: 'blank' })).toEqual({
      ok: false,
      code: 'invalid-argument',
      status: 0,
    });
    expect(await store.getState().rename('b1', 'x')).toEqual({
      ok: false,
      code: 'forbidden',
      status: 403,
    });
    fail = new TypeError('fetch failed');
    expect(await store.getState().setArchived('b1', false)).toEqual({
      ok: false,
      code: 'network',
      status: 0,
    });
  });
});
