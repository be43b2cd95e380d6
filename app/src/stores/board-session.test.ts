/**
 * The board session against a real server (in-process, port 0; sessions by
 * cookie; Node's WebSocket; no IndexedDB copy): two colleagues on one board
 * see each other's presence and moves, and a write the relay refuses as
 * forged (4422) reloads the board from the server and says what was lost —
 * after a network cut too, and when deleting the local copy fails once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import {
  addCard,
  boardRoots,
  parseVoteKey,
  setCardText,
  vote,
  voteKey,
} from '../../../shared/board/index.js';
import { parseBoardId, parseClinicId } from '../../../shared/ids.js';
import { colorFor, type PresenceUser } from '../../../shared/presence.js';
import { CloseCode } from '../../../shared/protocol.js';
import {
  startTestServer,
  until,
  untilAsync,
  webSocketWithHeaders,
  type LoggedIn,
  type TestServer,
} from '../../../server/test-support/harness.js';
import { openBoardSession, type BoardSession } from './board-session.js';
import type { BoardSummary, BoardsListState } from './boards-list.js';

let t: TestServer;
const people: { user: PresenceUser; login: LoggedIn }[] = [];
const sessions: BoardSession[] = [];
const C1 = parseClinicId('c1');

beforeAll(async () => {
  t = await startTestServer();
  for (const [email, name] of [
    ['alice@c1.example', 'Alice'],
    ['claire@c1.example', 'Claire'],
  ] as const) {
    const { user, password } = await t.staff(email, { c1: 'doctor' }, { name });
    const login = await t.login(email, password);
    people.push({ user: { id: user.id, name, role: 'doctor', color: colorFor(user.id) }, login });
  }
});
afterAll(async () => {
  sessions.forEach((s) => s.destroy());
  await t?.close();
});

const newBoard = async () =>
  parseBoardId(
    (
      await t.server.boards.create(C1, {
        title: 'Huddle',
        template: 'blank',
        createdBy: people[0]!.user.id,
      })
    ).id,
  );

/** The clinic's boards list as far as the session reads it: `find`. */
function boardsList(boardId: string) {
  let board: BoardSummary = {
    id: boardId,
    title: 'Huddle',
    template: 'blank',
    archived: false,
    createdAt: 0,
  };
  const store = createStore<BoardsListState>()(
    () => ({ find: (id: string) => (id === boardId ? board : null) }) as unknown as BoardsListState,
  );
  return {
    store,
    setArchived(archived: boolean) {
      board = { ...board, archived };
      store.setState({});
    },
  };
}

function open(
  boardId: ReturnType<typeof parseBoardId>,
  who: 0 | 1,
  boards?: ReturnType<typeof boardsList>['store'],
  clearLocal?: (docNames: readonly string[]) => Promise<void>,
): BoardSession {
  const { user, login } = people[who]!;
  const s = openBoardSession({
    clinicId: C1,
    boardId,
    user,
    ...(boards ? { boards } : {}),
    clock: { now: () => Date.now() },
    url: t.wsUrl,
    WebSocketPolyfill: webSocketWithHeaders({ cookie: login.cookie, origin: t.httpUrl }),
    persist: false,
    ...(clearLocal ? { clearLocal } : {}),
  });
  sessions.push(s);
  return s;
}

const isSynced = (s: BoardSession) =>
  s.connection.getState().status === 'synced' && s.board.getState().ready;
const must = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as Extract<T, { ok: true }>;
};

/** Waits until `s` is synced, adds a card to the first column, waits until the relay has it; its id. */
async function syncedWithCard(s: BoardSession, title: string): Promise<string> {
  await until(() => isSynced(s), 10_000, 'synced');
  const column = s.board.getState().board!.columns[0]!.id;
  const cardId = must(s.board.getState().addCard(column, title)).id;
  await until(() => s.connection.getState().unsynced === 0, 10_000, 'card acknowledged');
  return cardId;
}

describe('board session', () => {
  it('shows a colleague on a card and says who moved it', async () => {
    const boardId = await newBoard();
    const alice = open(boardId, 0);
    const claire = open(boardId, 1);
    await until(() => isSynced(alice) && isSynced(claire), 10_000, 'both synced');
    const [todo, doing] = alice.board.getState().board!.columns.map((c) => c.id);
    const cardId = must(alice.board.getState().addCard(todo!, 'Restock gloves')).id;
    await until(() => claire.board.getState().board!.cards.length === 1, 10_000, 'card arrived');

    claire.presence.getState().setActivity({ cardId, dragging: true });
    await until(
      () =>
        alice.presence.getState().people.some((p) => p.user.name === 'Claire') &&
        alice.presence.getState().peers.some((p) => p.activity?.dragging),
      10_000,
      'Claire seen dragging',
    );
    must(claire.board.getState().moveCard(cardId, doing!, 0));
    await until(() => alice.board.getState().moves.length === 1, 10_000, 'move seen');
    expect(alice.board.getState().moves[0]).toMatchObject({
      cardId,
      from: todo,
      to: doing,
      by: { id: people[1]!.user.id, name: 'Claire' },
    });
    expect(claire.board.getState().moves).toEqual([]);

    // A card nobody had open: told by the Yjs clientID that wrote the move.
    const other = must(alice.board.getState().addCard(todo!, 'Call the lab')).id;
    await until(() => claire.board.getState().board!.cards.length === 2, 10_000, 'card arrived');
    must(claire.board.getState().moveCard(other, doing!, 1));
    await until(() => alice.board.getState().moves.some((m) => m.cardId === other), 10_000, 'move');
    expect(alice.board.getState().moves.find((m) => m.cardId === other)?.by?.name).toBe('Claire');
  });

  it('after a forged write (4422) reloads the board from the server and lists what was dropped', async () => {
    const boardId = await newBoard();
    const alice = open(boardId, 0);
    const cardId = await syncedWithCard(alice, 'Fix the printer');
    const board = alice.board;
    const connection = alice.connection;
    const first = alice.doc;
    board.getState().openCard(cardId);
    board.getState().setFilter({ text: 'printer' });

    // One update: our own (honest) title change and vote, and a vote in Claire's name.
    const doc = first.doc;
    const ctx = { actor: people[0]!.user.id, now: Date.now() };
    doc.transact(() => {
      must(setCardText(doc, { cardId, field: 'title', text: 'Fix the printer (room 2)' }, ctx));
      must(vote(doc, { cardId }, ctx));
      boardRoots(doc).votes.set(voteKey(cardId, people[1]!.user.id), Date.now());
    }, 'tampered');

    await until(() => alice.doc !== first, 10_000, 'reopened');
    await until(() => board.getState().droppedEdits.length > 0, 10_000, 'dropped edits listed');
    expect(first.connection.getState().closedCode).toBe(CloseCode.forgedWrite);
    // The same stores, now over the server's board.
    expect(alice.board).toBe(board);
    expect(alice.connection).toBe(connection);
    expect(connection.getState().status).toBe('synced');
    const state = board.getState();
    expect(state.board!.cards.map((c) => [c.title, c.votes])).toEqual([['Fix the printer', []]]);
    // The screen keeps its open card and filter, over the new doc.
    expect([state.detail?.card.id, state.filter]).toEqual([cardId, { text: 'printer' }]);
    expect(state.textOf(cardId, 'title')?.doc).toBe(alice.doc.doc);
    expect(state.droppedEdits).toEqual([
      { cardId, columnId: null, title: 'Fix the printer (room 2)', what: 'text' },
      { cardId, columnId: null, title: 'Fix the printer (room 2)', what: 'vote' },
    ]);
    const votes = [...boardRoots(alice.doc.doc).votes.keys()].map(parseVoteKey);
    expect(votes).toEqual([]);

    // Not stuck: the person edits again and it lands.
    must(state.setCardText(cardId, 'title', 'Fix the printer (room 2)'));
    await until(() => connection.getState().unsynced === 0, 10_000, 'acknowledged');
    state.dismissDroppedEdits();
    expect(board.getState().droppedEdits).toEqual([]);
    const stored = boardRoots(await t.storedDoc(`board:${boardId}`)).cards.get(cardId);
    expect(stored?.get('title')?.toString()).toBe('Fix the printer (room 2)');
  });

  it('after a network cut, a forged write sent with an honest one reopens the board and lists the honest card it dropped', async () => {
    const boardId = await newBoard();
    const alice = open(boardId, 0);
    const cardId = await syncedWithCard(alice, 'Fix the printer');
    const column = alice.board.getState().board!.columns[0]!.id;
    const first = alice.doc;
    // A cut and a reconnect: presence moves to a fresh awareness id.
    const awarenessId = first.provider.awareness.clientID;
    first.provider.ws?.close();
    await until(() => alice.connection.getState().status === 'reconnecting', 10_000, 'cut');
    await until(() => alice.connection.getState().status === 'synced', 10_000, 'resynced');
    expect(first.provider.awareness.clientID).not.toBe(awarenessId);

    // An honest card and a vote in Claire's name, in one update after the reconnect.
    const doc = first.doc;
    doc.transact(() => {
      must(
        addCard(
          doc,
          { column, title: 'Water the plants' },
          {
            actor: people[0]!.user.id,
            now: Date.now(),
          },
        ),
      );
      boardRoots(doc).votes.set(voteKey(cardId, people[1]!.user.id), Date.now());
    }, 'tampered');

    await until(() => alice.board.getState().droppedEdits.length > 0, 10_000, 'dropped listed');
    expect(first.connection.getState().closedCode).toBe(CloseCode.forgedWrite);
    expect(alice.doc).not.toBe(first);
    expect(alice.connection.getState()).toMatchObject({ status: 'synced', unsynced: 0 });
    expect(alice.board.getState().reopening).toBeNull();
    // Ours is listed; the vote in Claire's name was never ours to lose.
    expect(alice.board.getState().droppedEdits.map((d) => [d.title, d.what])).toEqual([
      ['Water the plants', 'card'],
    ]);
    expect(alice.board.getState().board!.cards.map((c) => [c.title, c.votes])).toEqual([
      ['Fix the printer', []],
    ]);
  });

  it('when the local copy cannot be deleted, says so in `reopening` and tries again until it reopens', async () => {
    const boardId = await newBoard();
    const calls: (readonly string[])[] = [];
    const alice = open(boardId, 0, undefined, async (names) => {
      calls.push(names);
      if (calls.length === 1) throw new Error('the disk says no');
    });
    const cardId = await syncedWithCard(alice, 'Fix the printer');
    const first = alice.doc;
    const seen: unknown[] = [];
    const off = alice.board.subscribe((s) => seen.push(s.reopening));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    first.doc.transact(() => {
      must(vote(first.doc, { cardId }, { actor: people[0]!.user.id, now: Date.now() }));
      boardRoots(first.doc).votes.set(voteKey(cardId, people[1]!.user.id), Date.now());
    }, 'tampered');

    await until(() => alice.doc !== first && isSynced(alice), 15_000, 'reopened on retry');
    off();
    expect(logged.mock.calls.map((c) => c[0])).toEqual([
      `board ${boardId}: reopening failed (attempt 1)`,
    ]);
    logged.mockRestore();
    expect(calls).toEqual([[`board:${boardId}`], [`board:${boardId}`]]);
    expect(seen).toContainEqual({
      why: 'forged',
      failures: 1,
      error: 'the disk says no',
      gaveUp: false,
    });
    expect(alice.board.getState().reopening).toBeNull();
    await until(() => alice.board.getState().droppedEdits.length > 0, 10_000, 'dropped listed');
    expect(alice.board.getState().droppedEdits).toEqual([
      { cardId, columnId: null, title: 'Fix the printer', what: 'vote' },
    ]);
  });

  it('reopens an archived board read-only, says which unsynced edits the relay dropped, and writable once restored', async () => {
    const boardId = await newBoard();
    const list = boardsList(boardId);
    const alice = open(boardId, 0, list.store);
    const cardId = await syncedWithCard(alice, 'Order masks');

    // Archived on the server: the relay reopens our socket read-only and drops what we write.
    const first = alice.doc;
    await t.server.boards.update(C1, boardId, { archived: true });
    await until(() => first.connection.getState().status !== 'synced', 10_000, 'socket closed');
    await until(() => first.connection.getState().status === 'synced', 10_000, 'reconnected');
    const dropped = async () => (await t.server.metrics.writesDropped.get()).values[0]?.value ?? 0;
    const before = await dropped();
    must(vote(first.doc, { cardId }, { actor: people[0]!.user.id, now: Date.now() }));
    await untilAsync(async () => (await dropped()) > before, 10_000, 'write dropped');
    expect(first.connection.getState().unsynced).toBe(1);

    // The list says so: read-only, nothing left unsynced, the dropped vote named.
    list.setArchived(true);
    await until(() => alice.board.getState().droppedEdits.length > 0, 10_000, 'dropped listed');
    expect(alice.doc).not.toBe(first);
    expect(alice.board.getState().droppedEdits).toEqual([
      { cardId, columnId: null, title: 'Order masks', what: 'vote' },
    ]);
    expect(alice.board.getState().readOnly).toBe(true);
    expect(alice.board.getState().vote(cardId)).toEqual({ ok: false, code: 'read-only' });
    expect(alice.connection.getState().unsynced).toBe(0);

    // Restored: writable again, and a vote now lands.
    await t.server.boards.update(C1, boardId, { archived: false });
    const readOnlyDoc = alice.doc;
    list.setArchived(false);
    await until(() => alice.doc !== readOnlyDoc && isSynced(alice), 10_000, 'reopened writable');
    expect(alice.board.getState().readOnly).toBe(false);
    must(alice.board.getState().vote(cardId));
    await until(() => alice.connection.getState().unsynced === 0, 10_000, 'vote acknowledged');
    const stored = boardRoots(await t.storedDoc(`board:${boardId}`)).votes;
    expect([...stored.keys()]).toEqual([voteKey(cardId, people[0]!.user.id)]);
  });
});
