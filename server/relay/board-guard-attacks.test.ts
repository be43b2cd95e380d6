/**
 * Adversarial tests of the forged-write guard (board-guard.ts) over the real
 * relay: an authenticated colleague with write access hand-crafts Yjs
 * updates (raw struct encoding where the Yjs API would never produce them)
 * to forge votes, authors or creators, hard-delete, lock a colleague out or
 * wedge the room. Each attack must be refused (or change nothing guarded),
 * and the honest colleagues must keep writing afterwards.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/ids.js';
import { CloseCode, syncStep1Frame, updateFrame } from '../../shared/protocol.js';
import { identityFor, startMemoryRelay, type MemoryRelay } from './test-support/memory-relay.js';
import { MemoryNetwork, SocketPair } from './test-support/socket-pair.js';
import { createMemoryDocStore } from '../store/memory-store.js';
import type { DocStore } from '../store/types.js';

const BOARD = 'board:b1';
/** Tokens `<role>@c1#<user id>`: the label is the board user id (may contain ':'). */
const ALICE = 'receptionist@c1#alice';
const BOB = 'doctor@c1#bob';
const MALLORY = 'receptionist@c1#mallory';
const userOf = (token: string) => token.slice(token.indexOf('#') + 1);

class BoardNetwork extends MemoryNetwork {
  override open(url: string): SocketPair {
    const parsed = new URL(url, 'ws://memory.invalid');
    const pair = new SocketPair();
    this.pairs.push(pair);
    const token = parsed.searchParams.get('token') ?? '';
    const identity = identityFor(token.replace(/#.*/, '#x'))!;
    const user = { ...identity.user, id: userOf(token) };
    this.relay.connect(pair.server, parseDocName(BOARD), { ...identity, user }, 'write');
    return pair;
  }
}

let relays: MemoryRelay[] = [];
let providers: WebsocketProvider[] = [];
afterEach(async () => {
  for (const p of providers) {
    try {
      p.destroy();
    } catch {
      // A provider whose clientID Yjs replaced fails to say goodbye.
    }
  }
  providers = [];
  for (const m of relays) await m.close();
  relays = [];
});

function start(store?: DocStore) {
  const m = startMemoryRelay({ store });
  relays.push(m);
  const net = new BoardNetwork(m.relay, { identify: identityFor });
  const provider = (token: string, doc = new Y.Doc()) => {
    const p = new WebsocketProvider('ws://memory.invalid/ws', BOARD, doc, {
      WebSocketPolyfill: net.WebSocket,
      params: { token },
      disableBc: true,
    });
    providers.push(p);
    return p;
  };
  const raw = (token: string) =>
    net.open(`ws://memory.invalid/ws/${BOARD}?token=${encodeURIComponent(token)}`);
  const settle = async () => {
    for (let i = 0; i < 3; i++) await net.settle();
  };
  /** One update from a fresh raw connection of `token`; returns its close code (null: open). */
  const send = async (token: string, ...updates: Uint8Array[]) => {
    const pair = raw(token);
    await settle();
    pair.clientSend(syncStep1Frame(Y.encodeStateVector(new Y.Doc())));
    for (const u of updates) pair.clientSend(updateFrame(u));
    await settle();
    return { pair, code: closeCode(pair) };
  };
  return { m, net, provider, raw, settle, send };
}

const closeCode = (pair: SocketPair) =>
  pair.closedBy === null || pair.closedBy === 'terminated' ? pair.closedBy : pair.closedBy.code;

const votes = (doc: Y.Doc) => doc.getMap<unknown>('votes');
const cards = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('cards');
const comments = (doc: Y.Doc) => doc.getMap<Record<string, unknown>>('comments');
const comment = (author: string, text = 'hello') => ({ cardId: 'c1', text, author, at: 1 });

function addCard(doc: Y.Doc, id: string, createdBy: string): void {
  doc.transact(() => {
    const card = new Y.Map<unknown>();
    cards(doc).set(id, card);
    card.set('column', 'todo');
    card.set('title', new Y.Text('A card'));
    card.set('createdBy', createdBy);
  });
}

/** What `edit` adds to `doc`, as one update. */
function diff(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

function copyOf(from: Y.Doc, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  if (clientID !== undefined) doc.clientID = clientID;
  return doc;
}

// ── raw V1 update encoding (yjs/src/structs/Item.js write, updates.js) ──────

const CONTENT = { deleted: 1, json: 2, string: 4, embed: 5, any: 8 } as const;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;

type Id = readonly [client: number, clock: number];
interface RawItem {
  readonly origin?: Id;
  readonly rightOrigin?: Id;
  /** A root's name or a type's item id; only written when there is neither origin. */
  readonly parent?: string | Id;
  readonly key?: string;
  readonly content:
    | { any: unknown[] }
    | { json: unknown[] }
    | { embed: unknown }
    | { deleted: number }
    | { string: string };
}
type RawStruct = RawItem | { gc: number } | { skip: number };

/** One update: per client, structs from `clock`; then a delete set of [client, clock, len]. */
function rawUpdate(
  clients: readonly { client: number; clock: number; structs: readonly RawStruct[] }[],
  deletes: readonly (readonly [number, number, number])[] = [],
): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, clients.length);
  for (const { client, clock, structs } of clients) {
    encoding.writeVarUint(e, structs.length);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    for (const s of structs) {
      if ('gc' in s || 'skip' in s) {
        encoding.writeUint8(e, 'gc' in s ? 0 : 10);
        encoding.writeVarUint(e, 'gc' in s ? s.gc : s.skip);
        continue;
      }
      const c = s.content;
      const ref =
        'any' in c
          ? CONTENT.any
          : 'json' in c
            ? CONTENT.json
            : 'embed' in c
              ? CONTENT.embed
              : 'deleted' in c
                ? CONTENT.deleted
                : CONTENT.string;
      encoding.writeUint8(
        e,
        ref |
          (s.origin ? HAS_ORIGIN : 0) |
          (s.rightOrigin ? HAS_RIGHT_ORIGIN : 0) |
          (s.key !== undefined ? HAS_PARENT_SUB : 0),
      );
      if (s.origin) s.origin.forEach((n) => encoding.writeVarUint(e, n));
      if (s.rightOrigin) s.rightOrigin.forEach((n) => encoding.writeVarUint(e, n));
      if (!s.origin && !s.rightOrigin) {
        if (typeof s.parent === 'string') {
          encoding.writeVarUint(e, 1);
          encoding.writeVarString(e, s.parent);
        } else {
          encoding.writeVarUint(e, 0);
          s.parent!.forEach((n) => encoding.writeVarUint(e, n));
        }
        if (s.key !== undefined) encoding.writeVarString(e, s.key);
      }
      if ('any' in c) {
        encoding.writeVarUint(e, c.any.length);
        for (const v of c.any) encoding.writeAny(e, v as never);
      } else if ('json' in c) {
        encoding.writeVarUint(e, c.json.length);
        for (const v of c.json) encoding.writeVarString(e, JSON.stringify(v));
      } else if ('embed' in c) encoding.writeVarString(e, JSON.stringify(c.embed));
      else if ('deleted' in c) encoding.writeVarUint(e, c.deleted);
      else encoding.writeVarString(e, c.string);
    }
  }
  const byClient = new Map<number, (readonly [number, number])[]>();
  for (const [client, clock, len] of deletes) {
    if (!byClient.has(client)) byClient.set(client, []);
    byClient.get(client)!.push([clock, len]);
  }
  encoding.writeVarUint(e, byClient.size);
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  return encoding.toUint8Array(e);
}

/** The id of the struct holding `key`'s current value in `map`. */
function idOf(map: object, key: string): Id {
  const item = (map as { _map: Map<string, Y.Item> })._map.get(key)!;
  return [item.id.client, item.id.clock];
}

/** Alice's card c1 and comment m1, Bob's vote, Mallory's own comment m5 and vote; all on one relay. */
async function board() {
  const r = start();
  const alice = r.provider(ALICE);
  const bob = r.provider(BOB);
  const mallory = r.provider(MALLORY);
  await r.settle();
  addCard(alice.doc, 'c1', 'alice');
  comments(alice.doc).set('m1', comment('alice'));
  votes(bob.doc).set('c1:bob', 1);
  votes(mallory.doc).set('c1:mallory', 1);
  comments(mallory.doc).set('m5', comment('mallory', 'mine')); // her last struct
  await r.settle();
  expect(comments(bob.doc).get('m5')?.author).toBe('mallory');
  /** Bob and Alice still write and see each other; the store equals Bob's view of the guarded roots. */
  const stillHonest = async () => {
    expect(alice.wsconnected && bob.wsconnected).toBe(true);
    const probe = `p${Math.random()}`;
    alice.doc.getMap('meta').set(probe, 1);
    votes(alice.doc).set('c1:alice', 7);
    votes(alice.doc).delete('c1:alice');
    await r.settle();
    expect(alice.wsconnected).toBe(true);
    expect(bob.doc.getMap('meta').get(probe)).toBe(1);
    const stored = await r.m.storedDoc(BOARD);
    for (const root of ['votes', 'comments', 'cards'])
      expect(stored.getMap(root).toJSON()).toEqual(bob.doc.getMap(root).toJSON());
  };
  return { ...r, alice, bob, mallory, stillHonest };
}

describe('crafted structs the Yjs API never writes', () => {
  it('refuses a struct that overlaps its own last one and lands in a place other than the one it names (a comment forged through a split)', async () => {
    const b = await board();
    // Mallory's comment m5 is her struct at clock k. A struct of hers at the same
    // clock, two values long, naming meta.x as its place: Yjs keeps the second
    // value only, chains it after m5 (its own clock - 1) — where every other
    // replica, reading the relayed origin, puts it: over m5, as Alice's words.
    const [client, clock] = idOf(comments(b.mallory.doc), 'm5');
    const forged = rawUpdate([
      {
        client,
        clock,
        structs: [{ parent: 'meta', key: 'x', content: { any: [0, comment('alice', 'I quit')] } }],
      },
    ]);
    const { code } = await b.send(MALLORY, forged);
    expect(code).toBe(CloseCode.forgedWrite);
    expect(comments(b.bob.doc).get('m5')?.author).toBe('mallory');
    await b.stillHonest();
  });

  it('refuses a comment whose value is JSON, an embed or deleted content instead of one plain object', async () => {
    const b = await board();
    const mine = 0x1234_5678;
    for (const content of [
      { json: [comment('alice')] },
      { embed: comment('alice') },
      { any: [comment('mallory'), comment('alice')] },
      { deleted: 1 },
    ] as RawItem['content'][]) {
      const forged = rawUpdate([
        { client: mine, clock: 0, structs: [{ origin: idOf(comments(b.bob.doc), 'm1'), content }] },
      ]);
      expect((await b.send(MALLORY, forged)).code).toBe(CloseCode.forgedWrite);
      const fresh = rawUpdate([
        { client: mine, clock: 0, structs: [{ parent: 'comments', key: 'm9', content }] },
      ]);
      expect((await b.send(MALLORY, fresh)).code).toBe(CloseCode.forgedWrite);
    }
    expect(comments(b.bob.doc).get('m1')?.author).toBe('alice');
    expect(comments(b.bob.doc).has('m9')).toBe(false);
    await b.stillHonest();
  });

  it("refuses deleted content, a nested type or JSON written over someone's vote or a card's creator", async () => {
    const b = await board();
    const mine = 0x2345_6789;
    const createdBy = idOf(cards(b.bob.doc).get('c1')!, 'createdBy');
    for (const content of [
      { deleted: 1 },
      { json: ['mallory'] },
      { string: 'mallory' },
    ] as RawItem['content'][]) {
      for (const origin of [idOf(votes(b.bob.doc), 'c1:bob'), createdBy]) {
        const forged = rawUpdate([{ client: mine, clock: 0, structs: [{ origin, content }] }]);
        expect((await b.send(MALLORY, forged)).code).toBe(CloseCode.forgedWrite);
      }
    }
    const nested = diff(copyOf(b.bob.doc), (d) => votes(d).set('c1:bob', new Y.Map()));
    expect((await b.send(MALLORY, nested)).code).toBe(CloseCode.forgedWrite);
    expect(votes(b.bob.doc).get('c1:bob')).toBe(1);
    expect(cards(b.bob.doc).get('c1')!.get('createdBy')).toBe('alice');
    await b.stillHonest();
  });

  it("refuses an item placed left of someone's current value (a concurrent-looking overwrite) at every guarded key", async () => {
    const b = await board();
    // Clientid 1 sorts before everyone: Yjs puts the item left of the current value.
    const card = idOf(cards(b.bob.doc), 'c1');
    for (const [parent, key, value] of [
      ['votes', 'c1:bob', 5],
      ['comments', 'm1', comment('mallory')],
      ['cards', 'c1', { createdBy: 'mallory' }],
      [card, 'createdBy', 'mallory'],
    ] as const) {
      for (const client of [1, 0xffff_fff0]) {
        const forged = rawUpdate([
          { client, clock: 0, structs: [{ parent, key, content: { any: [value] } }] },
        ]);
        expect((await b.send(MALLORY, forged)).code).toBe(CloseCode.forgedWrite);
      }
    }
    await b.stillHonest();
  });

  it('refuses deletions hidden in a delete set that also covers ranges the server does not have yet', async () => {
    const b = await board();
    const [bobClient, bobClock] = idOf(votes(b.bob.doc), 'c1:bob');
    const forged = rawUpdate(
      [],
      [
        [bobClient, bobClock, 1_000_000],
        [0x3456_789a, 0, 10],
      ],
    );
    expect((await b.send(MALLORY, forged)).code).toBe(CloseCode.forgedWrite);
    // Only unknown ranges: nothing to judge, nothing deleted later when they arrive.
    const ahead = rawUpdate([], [[bobClient, bobClock + 1, 50]]);
    expect((await b.send(MALLORY, ahead)).code).toBeNull();
    votes(b.bob.doc).set('c2:bob', 2);
    await b.settle();
    expect(votes(b.alice.doc).get('c2:bob')).toBe(2);
    await b.stillHonest();
  });

  it("drops structs waiting for a colleague's future edit: they never integrate when that edit arrives", async () => {
    const b = await board();
    const [aliceClient, aliceClock] = idOf(comments(b.alice.doc), 'm1');
    const mine = 0x4567_89ab;
    // Origin is Alice's next struct (not written yet); the item would then set Bob's vote.
    const pending = rawUpdate([
      {
        client: mine,
        clock: 0,
        structs: [{ origin: [aliceClient, aliceClock + 1], content: { any: [comment('alice')] } }],
      },
    ]);
    // A Skip then a forged vote under a fresh clientID: the vote waits for the skipped clocks.
    const skipped = rawUpdate([
      {
        client: mine + 1,
        clock: 0,
        structs: [{ skip: 3 }, { parent: 'votes', key: 'c1:bob', content: { any: [9] } }],
      },
    ]);
    const { code } = await b.send(MALLORY, pending, skipped);
    expect(code).toBeNull();
    comments(b.alice.doc).set('m2', comment('alice', 'second'));
    await b.settle();
    expect(comments(b.bob.doc).get('m1')?.text).toBe('hello');
    expect(votes(b.bob.doc).get('c1:bob')).toBe(1);
    await b.stillHonest();
  });

  it('reads updates as V1 only: a V2-encoded forgery changes nothing', async () => {
    const b = await board();
    const d = copyOf(b.bob.doc);
    const before = Y.encodeStateVector(d);
    votes(d).set('c1:alice', 1);
    const v2 = Y.encodeStateAsUpdateV2(d, before);
    const { code } = await b.send(MALLORY, v2);
    expect([null, CloseCode.invalidPayload, CloseCode.forgedWrite]).toContain(code);
    expect(votes(b.bob.doc).has('c1:alice')).toBe(false);
    await b.stillHonest();
  });

  it("accepts list items in the root 'votes' (not a map key) and keeps guarding its keys", async () => {
    const b = await board();
    const mine = 0x5678_9abc;
    const listy = rawUpdate([
      { client: mine, clock: 0, structs: [{ parent: 'votes', content: { string: 'c1:bob' } }] },
    ]);
    expect((await b.send(MALLORY, listy)).code).toBeNull();
    expect(votes(b.bob.doc).toJSON()).toEqual({ 'c1:bob': 1, 'c1:mallory': 1 });
    const forged = diff(copyOf(b.bob.doc), (d) => votes(d).delete('c1:bob'));
    expect((await b.send(MALLORY, forged)).code).toBe(CloseCode.forgedWrite);
    await b.stillHonest();
  });
});

describe('wedging the room', () => {
  it('judges thirty thousand edits of one comment in one update in a linear pass', async () => {
    const b = await board();
    const mine = 0x6789_abcd;
    const n = 30_000;
    const structs: RawStruct[] = [
      { parent: 'comments', key: 'm7', content: { any: [comment('mallory', '0')] } },
    ];
    for (let i = 1; i < n; i++)
      structs.push({ origin: [mine, i - 1], content: { any: [comment('mallory', `${i}`)] } });
    const update = rawUpdate([{ client: mine, clock: 0, structs }]);
    const started = Date.now();
    expect((await b.send(MALLORY, update)).code).toBeNull();
    // Was a minute: each item's judgement walked (and filtered) the whole chain.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(comments(b.bob.doc).get('m7')?.text).toBe(`${n - 1}`);
    await b.stillHonest();
  });

  it('refuses a struct overlapping a clock Yjs has garbage-collected as malformed, and keeps the room', async () => {
    const b = await board();
    const mine = 0x789a_bcde;
    // Mallory's own struct at clock 0, then one at clock 0 two long: Yjs links it after a GC.
    const gc = rawUpdate([{ client: mine, clock: 0, structs: [{ gc: 1 }] }]);
    const overlap = rawUpdate([
      { client: mine, clock: 0, structs: [{ parent: 'meta', key: 'x', content: { any: [1, 2] } }] },
    ]);
    const { code } = await b.send(MALLORY, gc, overlap);
    expect([CloseCode.invalidPayload, CloseCode.forgedWrite]).toContain(code);
    await b.stillHonest();
  });

  it('refuses structs of more new clientIDs in one write, or over one connection, than a device ever brings', async () => {
    const b = await board();
    const flood = (from: number, n: number) =>
      rawUpdate(
        Array.from({ length: n }, (_, i) => ({ client: from + i, clock: 0, structs: [{ gc: 1 }] })),
      );
    expect((await b.send(MALLORY, flood(0x1000_0000, 5_000))).code).toBe(CloseCode.forgedWrite);
    // A device with a few offline sessions' clientIDs is fine.
    expect((await b.send(MALLORY, flood(0x2000_0000, 20))).code).toBeNull();
    // Nor message after message over one connection.
    const batches = [0, 1, 2].map((i) => flood(0x3000_0000 + i * 100, 100));
    expect((await b.send(MALLORY, ...batches)).code).toBe(CloseCode.forgedWrite);
    expect(b.m.logs.findLast((l) => l.msg === 'forged write refused')).toMatchObject({
      reason: expect.stringMatching(/300 new clientIDs over one connection/),
    });
    await b.stillHonest();
  });
});

describe('clientIDs', () => {
  it("refuses structs under a server's clientID: one still running elsewhere, announced in presence or written under", async () => {
    const store = createMemoryDocStore();
    const one = start(store);
    await one.m.relay.change(parseDocName(BOARD).name, (doc) => {
      doc.getMap('meta').set('title', 'Huddle');
      addCard(doc, 'c1', 'alice');
    });
    const two = start(store);
    const alice = two.provider(ALICE);
    await two.settle();
    expect(cards(alice.doc).has('c1')).toBe(true);
    const server = [...Y.decodeStateVector(Y.encodeStateVector(alice.doc)).keys()][0]!;
    // Written under, continuing its clocks: would collide with server one's next change.
    const write = diff(copyOf(alice.doc, server), (d) => votes(d).set('c1:mallory', 1));
    expect((await two.send(MALLORY, write)).code).toBe(CloseCode.forgedWrite);
    // Announced in presence first, then written under.
    const squatter = two.provider(MALLORY, copyOf(alice.doc, server));
    squatter.awareness.setLocalStateField('viewing', 'c1');
    await two.settle();
    votes(squatter.doc).set('c1:mallory', 1);
    await two.settle();
    expect(squatter.wsconnected).toBe(false);
    expect(votes(alice.doc).size).toBe(0);
    votes(alice.doc).set('c1:alice', 1);
    await two.settle();
    expect(alice.wsconnected).toBe(true);
    expect(votes(await two.m.storedDoc(BOARD)).toJSON()).toEqual({ 'c1:alice': 1 });
  });

  it('gives a fresh clientID sent by two users at once to exactly one of them, and applies only its words', async () => {
    const b = await board();
    const fresh = 0x0abc_def0;
    const base = copyOf(b.bob.doc, fresh);
    const mine = diff(copyOf(base, fresh), (d) => votes(d).set('c1:mallory', 2));
    const hers = diff(copyOf(base, fresh), (d) => votes(d).set('c1:alice', 2));
    const m = b.raw(MALLORY);
    const a = b.raw(ALICE);
    await b.settle();
    m.clientSend(updateFrame(mine));
    a.clientSend(updateFrame(hers));
    await b.settle();
    // The first is claimed and applied; the second's struct has an id the server holds: ignored.
    const applied = ['c1:mallory', 'c1:alice'].filter((k) => votes(b.bob.doc).has(k));
    expect(applied).toHaveLength(1);
    // Whoever lost cannot write on under it.
    const [loser, loserDoc] = applied[0] === 'c1:mallory' ? [ALICE, hers] : [MALLORY, mine];
    const next = copyOf(base, fresh);
    Y.applyUpdate(next, loserDoc);
    next.clientID = fresh; // Yjs moved off it on seeing its own clientID in an update
    const more = diff(next, (d) => d.getMap('meta').set('x', 1));
    expect((await b.send(loser, more)).code).toBe(CloseCode.forgedWrite);
    await b.stillHonest();
  });

  it("keeps votes of user ids with ':' (token:<id>) apart from the ids they contain", async () => {
    const r = start();
    const token = r.provider('receptionist@c1#token:abc');
    await r.settle();
    addCard(token.doc, 'c1', 'token:abc');
    votes(token.doc).set('c1:token:abc', 1);
    await r.settle();
    expect(token.wsconnected).toBe(true);
    for (const by of ['receptionist@c1#abc', 'receptionist@c1#token']) {
      for (const edit of [
        (d: Y.Doc) => votes(d).set('c1:token:abc', 2),
        (d: Y.Doc) => votes(d).delete('c1:token:abc'),
      ]) {
        expect((await r.send(by, diff(copyOf(token.doc), edit))).code).toBe(CloseCode.forgedWrite);
      }
    }
    // 'abc' may vote as 'abc' only; a key read 'token' + ':abc' is a vote of abc on card 'token'.
    expect(
      (
        await r.send(
          'receptionist@c1#abc',
          diff(copyOf(token.doc), (d) => votes(d).set('c1:abc', 1)),
        )
      ).code,
    ).toBeNull();
    votes(token.doc).delete('c1:token:abc');
    await r.settle();
    expect(token.wsconnected).toBe(true);
    expect(votes(token.doc).toJSON()).toEqual({ 'c1:abc': 1 });
  });
});
