/**
 * The forged-write guard over the real relay (in-memory socket pairs): what
 * it refuses with 4422 (nothing of it applied, stored or relayed, the others
 * keep syncing) and what honest clients send that it must accept. Board docs
 * are built with raw Yjs in the board contract's layout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import * as ops from '../../shared/board/index.js';
import { seedBoardDoc, type BoardResult, type BoardTemplate } from '../../shared/board/index.js';
import { parseDocName } from '../../shared/ids.js';
import { CloseCode, syncStep1Frame, updateFrame } from '../../shared/protocol.js';
import { createMemoryDocStore } from '../store/memory-store.js';
import type { DocStore } from '../store/types.js';
import type { RelayLimits } from './limits.js';
import { identityFor, startMemoryRelay, type MemoryRelay } from './test-support/memory-relay.js';
import { MemoryNetwork, SocketPair } from './test-support/socket-pair.js';

const BOARD = 'board:b1';
const ALICE = 'receptionist@c1#Alice';
const BOB = 'doctor@c1#Bob';
const MALLORY = 'receptionist@c1#Mallory';
const CAROL = 'admin@c1#Carol';
const DAVE = 'doctor@c1#Dave';
/** Board user ids (`GET /api/auth/me`): the token's label, in lower case. */
const userOf = (token: string) => token.split('#')[1]!.toLowerCase();

function boardIdentity(token: string) {
  const identity = identityFor(token)!;
  return { ...identity, user: { ...identity.user, id: userOf(token) } };
}

/** A memory network whose clients reach board docs as writers (board access is not what is tested here). */
class BoardNetwork extends MemoryNetwork {
  override open(url: string): SocketPair {
    const parsed = new URL(url, 'ws://memory.invalid');
    const pair = new SocketPair();
    this.pairs.push(pair);
    const name = decodeURIComponent(parsed.pathname.split('/').pop() ?? '');
    const identity = boardIdentity(parsed.searchParams.get('token') ?? '');
    this.relay.connect(pair.server, parseDocName(name), identity, 'write');
    return pair;
  }
}

interface Process {
  readonly m: MemoryRelay;
  readonly net: BoardNetwork;
  provider(token: string, doc?: Y.Doc): WebsocketProvider;
  /** A raw client; its frames are sent as soon as the relay has connected it. */
  raw(token: string): SocketPair;
}

let processes: Process[] = [];
let providers: WebsocketProvider[] = [];
afterEach(async () => {
  for (const p of providers) {
    try {
      p.destroy();
    } catch {
      // A provider whose clientID Yjs replaced (after a forgery got through) fails to say goodbye.
    }
  }
  providers = [];
  for (const p of processes) await p.m.close();
  processes = [];
});

function startProcess(store?: DocStore, limits?: Partial<RelayLimits>): Process {
  const m = startMemoryRelay({ store, limits });
  const net = new BoardNetwork(m.relay, { identify: identityFor });
  const p: Process = {
    m,
    net,
    provider: (token, doc = new Y.Doc()) => {
      const provider = new WebsocketProvider('ws://memory.invalid/ws', BOARD, doc, {
        WebSocketPolyfill: net.WebSocket,
        params: { token },
        disableBc: true,
      });
      providers.push(provider);
      return provider;
    },
    raw: (token) => net.open(`ws://memory.invalid/ws/${BOARD}?token=${encodeURIComponent(token)}`),
  };
  processes.push(p);
  return p;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) for (const p of processes) await p.net.settle();
}

// ── the board contract's layout, in raw Yjs ────────────────────────────────

const votes = (doc: Y.Doc) => doc.getMap<number>('votes');
const cards = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('cards');
const columns = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('columns');
const comments = (doc: Y.Doc) => doc.getMap<Record<string, unknown>>('comments');

function addCard(doc: Y.Doc, id: string, createdBy: string): void {
  doc.transact(() => {
    const card = new Y.Map<unknown>();
    cards(doc).set(id, card);
    card.set('column', 'todo');
    card.set('order', 'a0');
    card.set('title', new Y.Text('A card'));
    card.set('body', new Y.Text(''));
    card.set('createdBy', createdBy);
    card.set('createdAt', 1);
    card.set('assignees', new Y.Map());
    card.set('labels', new Y.Map());
    card.set('checklist', new Y.Map());
  });
}

function addColumn(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    const column = new Y.Map<unknown>();
    columns(doc).set(id, column);
    column.set('title', 'To do');
    column.set('order', 'a0');
  });
}

const comment = (author: string, text = 'hello') => ({ cardId: 'c1', text, author, at: 1 });

/** A copy of `from` that writes under a clientID of its own (or the one given). */
function copyOf(from: Y.Doc, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  // After the copy: Yjs picks a new clientID when an update carries its own.
  if (clientID !== undefined) doc.clientID = clientID;
  return doc;
}

/** What `edit` adds to `doc`, as one update. */
function diff(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** Sends one update from a fresh raw connection of `token`; returns the pair (closed or not). */
async function send(p: Process, token: string, update: Uint8Array): Promise<SocketPair> {
  const pair = p.raw(token);
  await settle();
  pair.clientSend(syncStep1Frame(Y.encodeStateVector(new Y.Doc())));
  pair.clientSend(updateFrame(update));
  await settle();
  return pair;
}

const closeCode = (pair: SocketPair) =>
  pair.closedBy === null || pair.closedBy === 'terminated' ? pair.closedBy : pair.closedBy.code;

/** Alice and Bob on one process: a card c1 by Alice, a column, a comment by Alice, Bob's vote. */
async function boardWithPeople() {
  const p = startProcess();
  const alice = p.provider(ALICE);
  const bob = p.provider(BOB);
  await settle();
  addColumn(alice.doc, 'todo');
  addCard(alice.doc, 'c1', userOf(ALICE));
  comments(alice.doc).set('m1', comment(userOf(ALICE)));
  votes(bob.doc).set(`c1:${userOf(BOB)}`, 1);
  await settle();
  expect(votes(alice.doc).toJSON()).toEqual({ [`c1:${userOf(BOB)}`]: 1 });
  return { p, alice, bob };
}

/** The forged update is refused with 4422; Alice and Bob stay connected and keep syncing; the store has none of it. */
async function expectRefused(
  p: Process,
  alice: WebsocketProvider,
  bob: WebsocketProvider,
  forged: Uint8Array,
  by = MALLORY,
): Promise<void> {
  const storedBefore = Y.encodeStateVector(await p.m.storedDoc(BOARD));
  const pair = await send(p, by, forged);
  expect(closeCode(pair)).toBe(CloseCode.forgedWrite);
  expect(alice.wsconnected && bob.wsconnected).toBe(true);
  // Nothing of it stored (the state vector did not move) or relayed to Bob.
  expect(Y.encodeStateVector(await p.m.storedDoc(BOARD))).toEqual(storedBefore);
  const probe = `probe-${Math.random()}`;
  alice.doc.getMap('meta').set(probe, 1);
  await settle();
  expect(bob.doc.getMap('meta').get(probe)).toBe(1);
  const logged = p.m.logs.findLast((l) => l.msg === 'forged write refused');
  expect(logged).toMatchObject({ doc: BOARD, user: userOf(by) });
}

describe('the forged-write guard refuses with 4422', () => {
  it('a fresh vote in the name of another user', async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) => votes(d).set(`c1:${userOf(ALICE)}`, 2));
    await expectRefused(p, alice, bob, forged);
    expect(votes(bob.doc).has(`c1:${userOf(ALICE)}`)).toBe(false);
  });

  it("an overwrite of someone's existing vote key (encoded with an origin only)", async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) => votes(d).set(`c1:${userOf(BOB)}`, 99));
    await expectRefused(p, alice, bob, forged);
    expect(votes(alice.doc).get(`c1:${userOf(BOB)}`)).toBe(1);
  });

  it('an overwrite of a vote key its owner had un-voted (once existing, now deleted)', async () => {
    const { p, alice, bob } = await boardWithPeople();
    votes(bob.doc).delete(`c1:${userOf(BOB)}`);
    await settle();
    expect(votes(alice.doc).size).toBe(0);
    const forged = diff(copyOf(alice.doc), (d) => votes(d).set(`c1:${userOf(BOB)}`, 5));
    await expectRefused(p, alice, bob, forged);
    expect(votes(alice.doc).size).toBe(0);
  });

  it("a deletion of someone else's vote", async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) => votes(d).delete(`c1:${userOf(BOB)}`));
    await expectRefused(p, alice, bob, forged);
    expect(votes(alice.doc).get(`c1:${userOf(BOB)}`)).toBe(1);
  });

  it('a comment naming someone else as its author', async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) => comments(d).set('m2', comment(userOf(BOB))));
    await expectRefused(p, alice, bob, forged);
  });

  it("an edit of someone else's comment, even keeping their name as author", async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) =>
      comments(d).set('m1', comment(userOf(ALICE), 'rewritten')),
    );
    await expectRefused(p, alice, bob, forged);
    expect(comments(bob.doc).get('m1')?.text).toBe('hello');
  });

  it('a card naming someone else as its creator', async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) => addCard(d, 'c2', userOf(BOB)));
    await expectRefused(p, alice, bob, forged);
    expect(cards(bob.doc).has('c2')).toBe(false);
    // Also as a plain object instead of a Y.Map.
    const plain = diff(copyOf(alice.doc), (d) =>
      (d.getMap('cards') as Y.Map<unknown>).set('c3', { createdBy: userOf(BOB) }),
    );
    await expectRefused(p, alice, bob, plain);
  });

  it("a change of a card's creator, even to the writer", async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) =>
      cards(d).get('c1')!.set('createdBy', userOf(MALLORY)),
    );
    await expectRefused(p, alice, bob, forged);
    // Not even its creator may change it.
    const own = diff(copyOf(alice.doc), (d) => cards(d).get('c1')!.delete('createdBy'));
    await expectRefused(p, alice, bob, own, ALICE);
    expect(cards(bob.doc).get('c1')!.get('createdBy')).toBe(userOf(ALICE));
  });

  it('a hard delete of a card, a column or a comment, even by its author', async () => {
    const { p, alice, bob } = await boardWithPeople();
    for (const edit of [
      (d: Y.Doc) => cards(d).delete('c1'),
      (d: Y.Doc) => columns(d).delete('todo'),
      (d: Y.Doc) => comments(d).delete('m1'),
      (d: Y.Doc) => addColumn(d, 'todo'), // overwriting a column is deleting it
    ]) {
      await expectRefused(p, alice, bob, diff(copyOf(alice.doc), edit), ALICE);
    }
    expect(cards(bob.doc).has('c1') && columns(bob.doc).has('todo')).toBe(true);
    expect(comments(bob.doc).has('m1')).toBe(true);
  });

  it('structs of a clientID registered to another user, whatever they change', async () => {
    const { p, alice, bob } = await boardWithPeople();
    // Mallory writes under Alice's clientID: her edit would occupy Alice's next ids.
    const forged = diff(copyOf(alice.doc, alice.doc.clientID), (d) =>
      (cards(d).get('c1')!.get('title') as Y.Text).insert(0, 'x'),
    );
    await expectRefused(p, alice, bob, forged);
    // Alice's own next edit (same ids) still goes through.
    (cards(alice.doc).get('c1')!.get('title') as Y.Text).insert(0, 'Big ');
    await settle();
    expect((cards(bob.doc).get('c1')!.get('title') as Y.Text).toString()).toBe('Big A card');
  });

  it('structs under a clientID another user announced in presence but has not written with yet', async () => {
    const { p, alice, bob } = await boardWithPeople();
    // Carol is here, reading: her presence shows her clientID to everyone.
    const carol = p.provider(CAROL);
    await settle();
    carol.awareness.setLocalStateField('viewing', 'c1');
    await settle();
    expect(bob.awareness.getStates().has(carol.doc.clientID)).toBe(true);
    // Mallory writes under it first, to lock Carol out of her own first edit.
    const squat = diff(copyOf(carol.doc, carol.doc.clientID), (d) =>
      (cards(d).get('c1')!.get('title') as Y.Text).insert(0, '!'),
    );
    await expectRefused(p, alice, bob, squat);
    (cards(carol.doc).get('c1')!.get('title') as Y.Text).insert(0, 'Seen: ');
    await settle();
    expect(carol.wsconnected).toBe(true);
    expect((cards(bob.doc).get('c1')!.get('title') as Y.Text).toString()).toBe('Seen: A card');
  });

  it('counts a refusal in the metrics and tells the writer why', async () => {
    const { p, alice, bob } = await boardWithPeople();
    const forged = diff(copyOf(alice.doc), (d) => votes(d).delete(`c1:${userOf(BOB)}`));
    await expectRefused(p, alice, bob, forged);
    const closed = p.m.logs.find((l) => l.msg === 'closing connection' && l.code === 4422);
    expect(closed).toMatchObject({ reason: 'forged-write' });
    expect(String(closed?.detail)).toMatch(/vote/);
  });
});

describe('the forged-write guard accepts honest writes', () => {
  it('your own vote, un-vote and re-vote; two devices of one person count once', async () => {
    const { p, alice, bob } = await boardWithPeople();
    const key = `c1:${userOf(ALICE)}`;
    votes(alice.doc).set(key, 1);
    await settle();
    votes(alice.doc).delete(key);
    await settle();
    expect(votes(bob.doc).has(key)).toBe(false);
    votes(alice.doc).set(key, 3);
    await settle();
    expect(votes(bob.doc).get(key)).toBe(3);
    // Alice's phone, offline, votes too: one key, one vote.
    const phone = p.provider(ALICE, copyOf(alice.doc));
    votes(phone.doc).set(key, 4);
    votes(alice.doc).set(key, 5);
    await settle();
    expect(phone.wsconnected && alice.wsconnected).toBe(true);
    expect([...votes(bob.doc).keys()].filter((k) => k === key)).toHaveLength(1);
    expect(votes(bob.doc).get(key)).toBe(votes(phone.doc).get(key));
  });

  it('your own cards, comments and comment edits, and archiving instead of deleting', async () => {
    const { alice, bob } = await boardWithPeople();
    addCard(bob.doc, 'c2', userOf(BOB));
    comments(bob.doc).set('m2', comment(userOf(BOB)));
    await settle();
    comments(bob.doc).set('m2', comment(userOf(BOB), 'edited'));
    cards(bob.doc).get('c1')!.set('archivedAt', 7); // anyone may archive Alice's card
    (cards(bob.doc).get('c1')!.get('title') as Y.Text).insert(0, 'Our ');
    await settle();
    expect(bob.wsconnected).toBe(true);
    expect(comments(alice.doc).get('m2')?.text).toBe('edited');
    expect(cards(alice.doc).get('c1')!.get('archivedAt')).toBe(7);
    expect(cards(alice.doc).get('c2')!.get('createdBy')).toBe(userOf(BOB));
  });

  it("a replay of everyone's votes, un-votes and cards the server holds, also after compaction", async () => {
    const p = startProcess(undefined, { compactAfterUpdates: 1 });
    const alice = p.provider(ALICE);
    const bob = p.provider(BOB);
    const carol = p.provider(CAROL);
    await settle();
    addCard(alice.doc, 'c1', userOf(ALICE));
    votes(alice.doc).set(`c1:${userOf(ALICE)}`, 1);
    votes(bob.doc).set(`c1:${userOf(BOB)}`, 1);
    await settle();
    votes(alice.doc).delete(`c1:${userOf(ALICE)}`);
    await settle();
    const stored = await p.m.store.load(parseDocName(BOARD).name);
    expect(stored.snapshot).not.toBeNull(); // compacted
    // Carol reconnects and sends back everything she holds, others' words included.
    const pair = await send(p, CAROL, Y.encodeStateAsUpdate(carol.doc));
    expect(closeCode(pair)).toBeNull();
    expect(carol.wsconnected).toBe(true);
  });

  it('a step 2 carrying what another process stored that this one has not loaded yet', async () => {
    const store = createMemoryDocStore();
    const one = startProcess(store);
    const two = startProcess(store);
    const alice = one.provider(ALICE);
    const carol = one.provider(CAROL);
    await settle();
    addCard(alice.doc, 'c1', userOf(ALICE));
    await settle();
    const dave = two.provider(DAVE); // process two loads the board now
    await settle();
    expect(cards(dave.doc).has('c1')).toBe(true);
    const bob = one.provider(BOB);
    await settle();
    votes(bob.doc).set(`c1:${userOf(BOB)}`, 1);
    votes(alice.doc).set(`c1:${userOf(ALICE)}`, 1);
    await settle();
    votes(alice.doc).delete(`c1:${userOf(ALICE)}`);
    addCard(alice.doc, 'c2', userOf(ALICE));
    await settle();
    expect(votes(dave.doc).size).toBe(0); // process two has not seen them
    // Carol's full state on process two: Bob's vote and Alice's card and un-vote look
    // new there; the guard catches up with the store before judging again.
    const pair = await send(two, CAROL, Y.encodeStateAsUpdate(carol.doc));
    expect(closeCode(pair)).toBeNull();
    expect(votes(dave.doc).toJSON()).toEqual({ [`c1:${userOf(BOB)}`]: 1 });
    expect(cards(dave.doc).has('c2')).toBe(true);
    // A forgery there is still one after catching up.
    const forged = diff(copyOf(carol.doc), (d) => votes(d).delete(`c1:${userOf(BOB)}`));
    expect(closeCode(await send(two, MALLORY, forged))).toBe(CloseCode.forgedWrite);
  });

  it('keeps the order of writes while a claim is in flight', async () => {
    const { alice, bob } = await boardWithPeople();
    // A new device's first writes: claimed once, applied in order.
    const tablet = new Y.Doc();
    Y.applyUpdate(tablet, Y.encodeStateAsUpdate(alice.doc));
    const pairWrites: Uint8Array[] = [];
    const title = () => cards(tablet).get('c1')!.get('title') as Y.Text;
    for (const ch of ['1', '2', '3']) pairWrites.push(diff(tablet, () => title().insert(0, ch)));
    const p = processes[0]!;
    const pair = p.raw(ALICE);
    await settle();
    for (const u of pairWrites) pair.clientSend(updateFrame(u));
    votes(bob.doc).set(`c1:${userOf(BOB)}`, 2); // Bob writes meanwhile
    await settle();
    expect(closeCode(pair)).toBeNull();
    expect((cards(bob.doc).get('c1')!.get('title') as Y.Text).toString()).toBe('321A card');
    expect(votes(alice.doc).get(`c1:${userOf(BOB)}`)).toBe(2);
  });
});

describe('the shared board operations', () => {
  /** A board the server seeded from `template`, with Alice and Bob connected to it. */
  async function seededBoard(template: BoardTemplate) {
    const p = startProcess();
    await p.m.relay.change(parseDocName(BOARD).name, (doc) =>
      seedBoardDoc(doc, { title: 'Huddle', template, createdBy: 'alice' }, 1),
    );
    const alice = p.provider(ALICE);
    const bob = p.provider(BOB);
    await settle();
    return { p, alice, bob };
  }
  const must = <T extends object>(r: BoardResult<T>) => {
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r;
  };

  it('are all accepted from their own users, on a board seeded by the server', async () => {
    const { p, alice, bob } = await seededBoard('retro');
    const a = { actor: 'alice', now: 10 };
    const b = { actor: 'bob', now: 11 };
    const steps: Array<() => unknown> = [];
    let itemId = '';
    let commentId = '';
    const { columnId } = must(ops.addColumn(alice.doc, { title: 'Doing' }, a));
    const { cardId } = must(ops.addCard(alice.doc, { column: columnId, title: 'Call lab' }, a));
    const { labelId } = must(ops.addLabel(alice.doc, { name: 'Urgent', color: '#cc0000' }, a));
    await settle();
    steps.push(
      () => must(ops.renameColumn(bob.doc, { columnId, title: 'In progress' }, b)),
      () => must(ops.setColumnColor(bob.doc, { columnId, color: '#00aa00' }, b)),
      () => must(ops.moveColumn(bob.doc, { columnId, index: 0 }, b)),
      () => must(ops.moveCard(bob.doc, { cardId, column: columnId, index: 0 }, b)),
      () => must(ops.setCardText(bob.doc, { cardId, field: 'title', text: 'Call the lab' }, b)),
      () => must(ops.setCardText(alice.doc, { cardId, field: 'body', text: 'Before noon' }, a)),
      () => must(ops.toggleAssignee(bob.doc, { cardId, userId: 'alice' }, b)),
      () => must(ops.toggleCardLabel(bob.doc, { cardId, labelId }, b)),
      () => must(ops.setDue(bob.doc, { cardId, due: '2026-12-03' }, b)),
      () => must(ops.renameLabel(bob.doc, { labelId, name: 'Today' }, b)),
      () => (itemId = must(ops.addChecklistItem(bob.doc, { cardId, text: 'Fax' }, b)).itemId),
      () => must(ops.setChecklistItemText(alice.doc, { cardId, itemId, text: 'Email' }, a)),
      () => must(ops.toggleChecklistItem(alice.doc, { cardId, itemId }, a)),
      () => must(ops.addChecklistItem(alice.doc, { cardId, text: 'Phone' }, a)),
      () => must(ops.moveChecklistItem(alice.doc, { cardId, itemId, index: 1 }, a)),
      () => must(ops.removeChecklistItem(bob.doc, { cardId, itemId }, b)),
      () => (commentId = must(ops.addComment(bob.doc, { cardId, text: 'On it' }, b)).commentId),
      () => must(ops.editComment(bob.doc, { commentId, text: 'On it, 11:00' }, b)),
      () => must(ops.vote(alice.doc, { cardId }, a)),
      () => must(ops.vote(bob.doc, { cardId }, b)),
      () => must(ops.unvote(alice.doc, { cardId }, a)),
      () => must(ops.vote(alice.doc, { cardId }, a)),
      () => must(ops.archiveCard(bob.doc, { cardId }, b)),
      () => must(ops.restoreCard(alice.doc, { cardId }, a)),
      () => must(ops.archiveColumn(bob.doc, { columnId }, b)),
      () => must(ops.restoreColumn(alice.doc, { columnId }, a)),
    );
    for (const step of steps) {
      step();
      await settle();
      expect(alice.wsconnected && bob.wsconnected).toBe(true);
    }
    const view = ops.boardView(await p.m.storedDoc(BOARD), 'alice');
    const card = [...view.lanes.flatMap((l) => l.cards)].find((c) => c.id === cardId)!;
    expect(card).toMatchObject({ title: 'Call the lab', createdBy: 'alice', commentCount: 1 });
    expect([...card.votes].sort()).toEqual(['alice', 'bob']);
    expect(p.m.logs.some((l) => l.msg === 'forged write refused')).toBe(false);
  });

  it("are accepted when undone and redone by the writer's UndoManager (moves, text, votes)", async () => {
    const { alice, bob } = await seededBoard('blank');
    const origin = { undo: 'alice' };
    const a = { actor: 'alice', now: 10, origin };
    const first = must(ops.addColumn(alice.doc, { title: 'One' }, a)).columnId;
    const second = must(ops.addColumn(alice.doc, { title: 'Two' }, a)).columnId;
    const cardId = must(ops.addCard(alice.doc, { column: first, title: 'Card' }, a)).cardId;
    await settle();
    const roots = ops.boardRoots(alice.doc);
    const undo = new Y.UndoManager([roots.cards, roots.votes], {
      trackedOrigins: new Set([origin]),
      captureTimeout: 0,
    });
    must(ops.moveCard(alice.doc, { cardId, column: second }, a));
    must(ops.setCardText(alice.doc, { cardId, field: 'title', text: 'Renamed card' }, a));
    must(ops.vote(alice.doc, { cardId }, a));
    await settle();
    for (let i = 0; i < 3; i++) {
      undo.undo();
      await settle();
    }
    expect(ops.boardView(bob.doc, 'bob').lanes.find((l) => l.id === first)?.cards).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      undo.redo();
      await settle();
    }
    expect(alice.wsconnected && bob.wsconnected).toBe(true);
    const card = ops.boardView(bob.doc, 'bob').lanes.flatMap((l) => l.cards)[0]!;
    expect(card).toMatchObject({ column: second, title: 'Renamed card', votes: ['alice'] });
  });
});

describe('documents other than boards', () => {
  it('are not judged: a queue doc write in any shape is applied', async () => {
    const m = startMemoryRelay();
    processes.push({ m } as Process);
    const a = m.provider('staff:c1', 'receptionist@c1');
    await m.settle();
    a.doc.getMap('votes').set('c1:someone-else', 1);
    a.doc.getMap('cards').set('x', 1);
    await m.settle();
    a.doc.getMap('cards').delete('x');
    await m.settle();
    expect(a.wsconnected).toBe(true);
    expect((await m.storedDoc('staff:c1')).getMap('votes').get('c1:someone-else')).toBe(1);
  });
});
