/**
 * The forged-write guard of board documents (close code 4422).
 *
 * The rule (docs/board contract): a `votes` key `<cardId>:<u>`, a card's
 * `createdBy` and a comment's `author` may be set, overwritten or deleted
 * only by user `u` (resp. the named author); `createdBy` and `author` never
 * change once written; clients never hard-delete cards, columns or comments
 * (deleting a key of the root maps `cards`, `columns`, `comments`, or
 * overwriting one — except a comment overwritten by its own author keeping
 * the same author). The writer is the connection's authenticated user.
 *
 * How it judges: by what the update WOULD CHANGE in the server's document,
 * computed by Yjs itself. Each guarded room keeps a shadow Y.Doc equal to
 * the live one; an update is first applied to the shadow inside one
 * transaction, and read there before the transaction ends:
 * - new structs are those past the transaction's `beforeState`; Yjs has
 *   resolved each item's parent and key — also for an overwrite of an
 *   existing or once-existing (deleted) key, which the wire encodes with an
 *   `origin` id only, and for items whose origin is in the same update;
 * - deletions are `transaction.deleteSet`: only items this update newly
 *   deletes (a replayed deletion is not there), still with their parent,
 *   key and content (garbage collection runs when the transaction ends);
 * - structs with missing dependencies are pending and integrate nothing:
 *   not judged, and dropped as the room drops them (`dropPendingStructs`).
 * Accepted: the same update is then applied to the live doc, which ends up
 * equal to the shadow. Refused or undecided: the shadow is rebuilt from the
 * live doc before the next judgement. Board docs are small, so the shadow
 * costs little; resolving parents and keys by hand through the struct store
 * would re-implement Yjs's integration, where a slip is a forgery accepted.
 *
 * Authorship is the Yjs clientID (`client-registry.ts`): new structs of a
 * clientID claimed by another user are someone else's words — refused, as
 * taking over a clientID would also occupy the ids of its owner's next
 * edits. A clientID nobody claimed yet is claimed for the writer (a DB
 * round trip): while that is in flight the room's incoming writes wait in
 * one queue, in order. A writer's presence (awareness) announces its
 * clientID to everyone before it writes: it is claimed then too, and until
 * that claim lands a clientID held in presence here belongs to its holder —
 * otherwise whoever saw it could write under it first and lock its owner
 * out. The server's own clientID is never a client's, nor is any clientID
 * the doc holds structs of that nobody claimed (another server process's,
 * or this one's before a restart: `SERVER_WRITER`); one write, and one
 * connection, brings at most `MAX_NEW_CLIENTS` new clientIDs.
 *
 * Yjs trusts a struct's parent and key as written, and links it beside its
 * origin: a crafted struct can make the two disagree, so that the server
 * reads it in one place and every replica in another. A new item linked
 * beside items of another key is refused (`misplaced`).
 *
 * A reconnecting client's sync step 2 carries what it received from others:
 * what the server already holds changes nothing, so it is not judged at all.
 * What another process stored and this one has not loaded yet looks forged:
 * before refusing, the room catches up with the store and judges again.
 * The fast path (every clientID known, nothing forged) touches no database.
 */
import * as Y from 'yjs';
import type { DocName } from '../../shared/ids.js';
import { CloseCode, ProtocolError } from '../../shared/protocol.js';
import type { ClientRegistry } from './client-registry.js';
import type { Connection } from './connection.js';

/** The live room, as far as the guard needs it (a DocRoom). */
export interface GuardedRoom {
  readonly name: DocName;
  readonly doc: Y.Doc;
  readonly failed: boolean;
  /** Loads what other processes stored past what the live doc holds. */
  catchUp(): Promise<void>;
  /** The user whose connection here announced this clientID in its presence (awareness), if any. */
  presenceUserOf(clientId: number): string | undefined;
}

export type Verdict =
  | { readonly kind: 'ok' }
  /** ClientIDs of new structs that nobody is known to own yet (claim, then judge again). */
  | {
      readonly kind: 'unclaimed';
      readonly clients: readonly number[];
      /** Those of them the server's doc already holds structs of (see SERVER_WRITER). */
      readonly written: ReadonlySet<number>;
    }
  | { readonly kind: 'forged'; readonly reason: string };

/** What the relay does with a write once it is decided. */
export interface WriteOutcome {
  /** Applies the update to the live doc (synchronously). */
  apply(): void;
  /** Closes the writer with 4422; nothing was applied. */
  refuse(reason: string): void;
  /**
   * Deciding failed: a ProtocolError (the update does not apply) closes with
   * its code; anything else is the store failing (catch-up or claim): close,
   * retry later.
   */
  fail(err: unknown): void;
}

interface Job {
  readonly conn: Connection;
  readonly update: Uint8Array;
  readonly outcome: WriteOutcome;
}

/** The root maps the rule is about. */
const GUARDED_ROOTS = ['votes', 'cards', 'columns', 'comments'] as const;
type GuardedRoot = (typeof GUARDED_ROOTS)[number];
/** Where a judged item stands: a key of a guarded root, or a card's `createdBy`. */
interface Place {
  readonly at: GuardedRoot | 'createdBy';
  readonly key: string;
}
const NOUN = { cards: 'card', columns: 'column' } as const;

/**
 * The registry's owner of the clientIDs servers wrote under. Every client's
 * clientID is claimed before its first struct is accepted, so one the doc
 * holds structs of that nobody claimed is a server's — the seed, an API
 * change, by this process before a restart or by another one still
 * running, whose next edits would collide with a squatter's. Claimed for
 * this name (no user id has parentheses), nobody writes under it.
 */
const SERVER_WRITER = '(server)';

/**
 * New clientIDs one write, or one connection, may bring. An honest device
 * brings its own, in its first write after connecting: one
 * per page load that wrote while offline (its IndexedDB copy keeps them).
 * Each costs a registry row and a state-vector entry for good; two
 * megabytes of one-byte structs would claim a quarter of a million at once,
 * holding the room's writes behind one enormous database transaction.
 */
const MAX_NEW_CLIENTS = 256;

export class BoardGuard {
  private shadow!: Y.Doc;
  private roots!: Record<GuardedRoot, Y.Map<unknown>>;
  /** The shadow holds an update the live doc does not: rebuild before judging. */
  private dirty = false;
  /** Set while the live doc applies an update the shadow already holds. */
  private accepting = false;
  /** Known owners of this document's clientIDs (filled from claims; never change). */
  private readonly owners = new Map<number, string>();
  private readonly queue: Job[] = [];
  private pumping = false;
  /** ClientIDs whose claim from presence is in flight. */
  private readonly presenceClaims = new Set<number>();
  /** How many unclaimed clientIDs each connection's writes brought (see MAX_NEW_CLIENTS). */
  private readonly brought = new WeakMap<Connection, number>();
  /**
   * The map keys met during one judgement, by parent and key: each chain
   * walked once, not once per item — an update may hold a hundred thousand
   * items at one key, and walking its chain for each would hold the event
   * loop for minutes.
   */
  private chains = new Map<Y.AbstractType<unknown>, Map<string, KeyChain>>();

  constructor(
    private readonly room: GuardedRoom,
    private readonly registry: ClientRegistry,
    private readonly now: () => number,
  ) {
    this.rebuild();
    room.doc.on('update', (update: Uint8Array) => {
      // Server changes and catch-ups reach the shadow too; an accepted write is there already.
      if (!this.accepting && !this.dirty) Y.applyUpdate(this.shadow, update);
    });
  }

  /**
   * A writer announced clientIDs in its presence: claims them for its user
   * (in the background), so that nobody who saw them in the awareness can
   * take them first by writing under them. Meanwhile `presenceUserOf`
   * protects them on this process.
   */
  claimPresence(clientIds: Iterable<number>, user: string): void {
    const fresh = [...clientIds].filter((c) => !this.owners.has(c) && !this.presenceClaims.has(c));
    if (fresh.length === 0) return;
    for (const c of fresh) this.presenceClaims.add(c);
    // One the doc holds structs of is its writer's already, or a server's (SERVER_WRITER).
    const store = this.room.doc.store;
    const written = fresh.filter((c) => Y.getState(store, c) > 0);
    const unwritten = fresh.filter((c) => Y.getState(store, c) === 0);
    for (const [ids, owner] of [
      [written, SERVER_WRITER],
      [unwritten, user],
    ] as const) {
      if (ids.length === 0) continue;
      this.registry.claim(this.room.name, ids, owner, this.now()).then(
        (owners) => {
          for (const [client, o] of owners) this.owners.set(client, o);
          for (const c of ids) this.presenceClaims.delete(c);
        },
        // A write under them claims them again.
        () => {
          for (const c of ids) this.presenceClaims.delete(c);
        },
      );
    }
  }

  /** Writes waiting for a decision (a claim or a catch-up in flight). */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Decides a validated update from a writer: applied now when nothing is
   * waiting and it is judged fine; otherwise queued behind the room's
   * writes in flight and decided in order.
   */
  submit(conn: Connection, update: Uint8Array, outcome: WriteOutcome): void {
    if (this.queue.length === 0) {
      const verdict = this.judge(update, conn.identity.user.id);
      if (verdict.kind === 'ok') {
        this.accept(outcome);
        return;
      }
    }
    this.queue.push({ conn, update, outcome });
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const job = this.queue[0]!;
        try {
          await this.decide(job);
        } catch (err) {
          this.dirty = true;
          if (this.live(job)) job.outcome.fail(err);
        }
        this.queue.shift();
      }
    } finally {
      this.pumping = false;
    }
  }

  private live(job: Job): boolean {
    return !job.conn.closed && !this.room.failed;
  }

  /** The slow path: judge; catch up with the store; claim clientIDs; judge again. */
  private async decide(job: Job): Promise<void> {
    if (!this.live(job)) return;
    const user = job.conn.identity.user.id;
    let verdict = this.judge(job.update, user);
    if (verdict.kind === 'ok') return this.accept(job.outcome);
    // What looks forged or unclaimed may be what another process stored: load it first.
    await this.room.catchUp();
    if (!this.live(job)) return;
    verdict = this.judge(job.update, user);
    if (verdict.kind === 'unclaimed') {
      const { clients, written } = verdict;
      const fresh = clients.filter((c) => !written.has(c));
      // Per connection too: a writer sending fresh clientIDs message after message
      // would hold every colleague's writes behind its claims.
      const brought = (this.brought.get(job.conn) ?? 0) + clients.length;
      if (brought > MAX_NEW_CLIENTS) {
        return job.outcome.refuse(`structs of ${brought} new clientIDs over one connection`);
      }
      this.brought.set(job.conn, brought);
      for (const [ids, owner] of [
        [[...written], SERVER_WRITER],
        [fresh, user],
      ] as const) {
        if (ids.length === 0) continue;
        const owners = await this.registry.claim(this.room.name, ids, owner, this.now());
        for (const [client, o] of owners) this.owners.set(client, o);
      }
      if (!this.live(job)) return;
      verdict = this.judge(job.update, user);
    }
    if (verdict.kind === 'ok') this.accept(job.outcome);
    else if (verdict.kind === 'forged') job.outcome.refuse(verdict.reason);
    else throw new Error(`clientIDs ${verdict.clients.join(', ')} stayed unclaimed`);
  }

  /** Applies to the live doc what the shadow just took. */
  private accept(outcome: WriteOutcome): void {
    this.accepting = true;
    try {
      outcome.apply();
    } catch (err) {
      this.dirty = true;
      throw err;
    } finally {
      this.accepting = false;
    }
  }

  private rebuild(): void {
    this.shadow?.destroy();
    this.shadow = new Y.Doc({ gc: true });
    // Root types as maps before anything refers to them by name.
    this.roots = {
      votes: this.shadow.getMap('votes'),
      cards: this.shadow.getMap('cards'),
      columns: this.shadow.getMap('columns'),
      comments: this.shadow.getMap('comments'),
    };
    Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(this.room.doc));
    this.dirty = false;
  }

  /**
   * What `update` would change, judged for `writer`. Leaves the shadow
   * holding the update: the caller applies it to the live doc when the
   * verdict is 'ok' (synchronously), otherwise the shadow is marked dirty.
   */
  private judge(update: Uint8Array, writer: string): Verdict {
    if (this.dirty) this.rebuild();
    let verdict: Verdict | null = null;
    try {
      this.shadow.transact((tr) => {
        Y.applyUpdate(this.shadow, update);
        verdict = this.inspect(tr, writer);
      });
    } catch (err) {
      // Validation decoded it fully, so Yjs choking on it is unexpected: refuse it as malformed.
      throw new ProtocolError(
        CloseCode.invalidPayload,
        `update does not apply: ${(err as Error).message}`,
      );
    } finally {
      const store = this.shadow.store;
      store.pendingStructs = null;
      store.pendingDs = null;
      if ((verdict as Verdict | null)?.kind !== 'ok') this.dirty = true;
    }
    return verdict!;
  }

  private inspect(tr: Y.Transaction, writer: string): Verdict {
    const before = tr.beforeState;
    const isNew = (s: Y.Item | Y.GC) => s.id.clock >= (before.get(s.id.client) ?? 0);
    let problem: string | null = null;
    const note = (reason: string) => (problem ??= reason);
    this.chains = new Map();

    // Deletions first: only what this update newly deletes is in the delete set.
    Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
      if (problem === null && struct instanceof Y.Item && !isNew(struct)) {
        this.judgeDeleted(struct, writer, isNew, note);
      }
    });

    const clients: number[] = [];
    for (const [client, structs] of this.shadow.store.clients) {
      const from = before.get(client) ?? 0;
      const last = structs[structs.length - 1]!;
      if (last.id.clock + last.length <= from) continue;
      clients.push(client);
      if (problem !== null) continue;
      for (let i = from === 0 ? 0 : Y.findIndexSS(structs, from); i < structs.length; i++) {
        const struct = structs[i]!;
        if (problem !== null) break;
        if (!(struct instanceof Y.Item) || !isNew(struct)) continue;
        if (misplaced(struct)) note(`places ${idText(struct)} beside items of another key`);
        else this.judgeNew(struct, writer, isNew, note);
      }
    }

    const unclaimed: number[] = [];
    for (const client of clients) {
      if (client === this.room.doc.clientID) return forged(`structs of the server's clientID`);
      const owner = this.owners.get(client) ?? this.room.presenceUserOf(client);
      if (owner === SERVER_WRITER) return forged(`structs of clientID ${client}, a server's`);
      if (owner === undefined) unclaimed.push(client);
      else if (owner !== writer) return forged(`structs of clientID ${client}, another user's`);
      else if (!this.owners.has(client)) unclaimed.push(client); // own presence: claim it too
    }
    if (problem !== null) return forged(problem);
    if (unclaimed.length > MAX_NEW_CLIENTS) {
      return forged(`structs of ${unclaimed.length} new clientIDs (at most ${MAX_NEW_CLIENTS})`);
    }
    if (unclaimed.length > 0) {
      const written = new Set(unclaimed.filter((c) => (before.get(c) ?? 0) > 0));
      return { kind: 'unclaimed', clients: unclaimed, written };
    }
    return { kind: 'ok' };
  }

  /**
   * Where a map item stands, as far as the rule cares: under a key of a
   * guarded root (`key` is that key), as a card's `createdBy` (`key` is the
   * card's id), or elsewhere (null: not judged).
   */
  private placeOf(item: Y.Item): Place | null {
    const key = item.parentSub;
    const parent = item.parent;
    if (key === null || !(parent instanceof Y.AbstractType)) return null;
    for (const root of GUARDED_ROOTS) if (parent === this.roots[root]) return { at: root, key };
    if (key === 'createdBy' && isCard(parent, this.roots.cards))
      return { at: 'createdBy', key: cardIdOf(parent) };
    return null;
  }

  /** `item`'s map key: what it held before this update and whether this update adds to it (cached). */
  private chainOf(item: Y.Item, isNew: (s: Y.Item | Y.GC) => boolean): KeyChain {
    const parent = item.parent as Y.AbstractType<unknown>;
    const key = item.parentSub!;
    let byKey = this.chains.get(parent);
    if (byKey === undefined) this.chains.set(parent, (byKey = new Map()));
    let chain = byKey.get(key);
    if (chain === undefined) {
      const all = chainOf(item);
      chain = { old: all.filter((s) => !isNew(s)), grows: all.some(isNew) };
      byKey.set(key, chain);
    }
    return chain;
  }

  /** A struct this update adds, with its parent and key resolved by Yjs. */
  private judgeNew(
    item: Y.Item,
    writer: string,
    isNew: (s: Y.Item | Y.GC) => boolean,
    note: (reason: string) => void,
  ): void {
    const place = this.placeOf(item);
    if (place === null) return;
    const { at, key } = place;
    if (at === 'votes') {
      if (voteUser(key) !== writer) note(`sets the vote ${key} of another user`);
    } else if (at === 'cards' || at === 'columns') {
      if (this.chainOf(item, isNew).old.length > 0) {
        note(`overwrites the ${NOUN[at]} ${key} (a hard delete)`);
      } else if (at === 'cards' && valuesOf(item).some((v) => createdByOf(v, writer) === 'other')) {
        // A card is a Y.Map; a plain object naming a creator is judged the same way.
        note(`names another user as the creator of card ${key}`);
      }
    } else if (at === 'comments') {
      const author = authorOf(item);
      if (author !== writer) note(`writes the comment ${key} under another author`);
      const chain = this.chainOf(item, isNew);
      chain.othersWords ??= (() => {
        const readable = chain.old.filter((s) => !(s.content instanceof Y.ContentDeleted));
        return (
          chain.old.length > 0 &&
          (readable.length === 0 || readable.some((s) => authorOf(s) !== writer))
        );
      })();
      if (chain.othersWords) note(`overwrites the comment ${key} of another author`);
    } else if (at === 'createdBy') {
      if (!valuesOf(item).every((v) => v === writer)) {
        note(`names another user as the creator of card ${key}`);
      } else if (this.chainOf(item, isNew).old.length > 0) {
        note(`changes the creator of card ${key}`);
      }
    }
  }

  /** An item this update deletes that the server held alive. */
  private judgeDeleted(
    item: Y.Item,
    writer: string,
    isNew: (s: Y.Item | Y.GC) => boolean,
    note: (reason: string) => void,
  ): void {
    const place = this.placeOf(item);
    if (place === null) return;
    const { at, key } = place;
    if (at === 'votes') {
      if (voteUser(key) !== writer) note(`deletes the vote ${key} of another user`);
    } else if (at === 'cards' || at === 'columns') {
      note(`deletes the ${NOUN[at]} ${key} (a hard delete)`);
    } else if (at === 'comments') {
      // Only an overwrite by a new comment (judged as new) may replace one.
      if (!this.chainOf(item, isNew).grows) note(`deletes the comment ${key} (a hard delete)`);
    } else if (at === 'createdBy') {
      note(`deletes the creator of card ${key}`);
    }
  }
}

const forged = (reason: string): Verdict => ({ kind: 'forged', reason });

/** `<cardId>:<userId>` → userId (user ids may contain ':', card ids may not); null if malformed. */
function voteUser(key: string): string | null {
  const i = key.indexOf(':');
  return i > 0 && i < key.length - 1 ? key.slice(i + 1) : null;
}

/**
 * Whether Yjs linked a new item beside items of another parent or key.
 * Never so for what Yjs writes, but a crafted struct can do it: one that
 * starts below its client's known clock (an overlap) is integrated after
 * that client's struct at clock - 1 wherever that stands, while keeping the
 * parent and key it names. The server's doc then holds it under that key,
 * and every replica that reads the relayed update (its origin, not its
 * parent) under the other one — e.g. over the writer's own comment, in
 * another author's name — and the shadow rebuilt from the live doc no
 * longer equals the live doc.
 */
function misplaced(item: Y.Item): boolean {
  for (const n of [item.left, item.right]) {
    if (n !== null && (n.parent !== item.parent || n.parentSub !== item.parentSub)) return true;
  }
  return false;
}

const idText = (item: Y.Item) => `the struct ${item.id.client}:${item.id.clock}`;

/** One map key during a judgement. */
interface KeyChain {
  /** Its items the server held before the update, oldest first. */
  readonly old: readonly Y.Item[];
  /** Whether the update adds items to it. */
  readonly grows: boolean;
  /** A comment's: whether its old items are not all the writer's readable words (set once). */
  othersWords?: boolean;
}

/** Every item of one map key, oldest integration order (left to right). */
function chainOf(item: Y.Item): Y.Item[] {
  let first = item;
  while (first.left !== null) first = first.left;
  const chain: Y.Item[] = [];
  for (let s: Y.Item | null = first; s !== null; s = s.right) chain.push(s);
  return chain;
}

/** The values an item sets (a map item normally holds one); none for types and deleted content. */
function valuesOf(item: Y.Item): unknown[] {
  return item.content instanceof Y.ContentAny ? item.content.arr : [undefined];
}

/** The author of a comment item: its one plain object's `author`, or null. */
function authorOf(item: Y.Item): string | null {
  const values = valuesOf(item);
  if (values.length !== 1) return null;
  const value = values[0];
  if (typeof value !== 'object' || value === null) return null;
  const author = (value as { author?: unknown }).author;
  return typeof author === 'string' ? author : null;
}

/** For a plain-object card: 'none' without a createdBy, else whether it names `writer`. */
function createdByOf(value: unknown, writer?: string): 'none' | 'writer' | 'other' {
  if (typeof value !== 'object' || value === null || !('createdBy' in value)) return 'none';
  return (value as { createdBy?: unknown }).createdBy === writer ? 'writer' : 'other';
}

function isCard(type: Y.AbstractType<unknown>, cards: Y.Map<unknown>): boolean {
  const item = type._item;
  return item !== null && item.parent === cards && item.parentSub !== null;
}

const cardIdOf = (type: Y.AbstractType<unknown>): string => type._item?.parentSub ?? '?';
