/**
 * Random board activity over a `Mesh` (test support, not shipped): five
 * devices of three people (alice and bob on two devices each) run every
 * board operation with random, sometimes invalid, arguments, biased towards
 * conflicts — the same few "hot" cards moved, archived and edited at once,
 * columns archived under cards, the same person voting from two devices.
 * It records what the operations reported, for the invariants to check.
 */
import * as Y from 'yjs';
import { BOARD_ERROR_CODES, BoardError, type BoardResult } from '../errors.js';
import * as ops from '../ops.js';
import { activeColumns, type BoardOpContext } from '../op-context.js';
import { boardRoots, seedBoardDoc } from '../schema.js';
import { Mesh, type MeshReplica } from './mesh.js';
import { mulberry32 } from './fixtures.js';

export const SIM_USERS = ['alice', 'alice', 'bob', 'bob', 'carol'] as const;
const WORDS = ['gloves', 'ECG', 'room 3', 'fridge', 'rota', 'écho', 'café', 'masks', '😀', 'call'];
const COLORS = ['#c62828', '#1565c0', '#2e7d32'];

export class BoardSimulation {
  readonly rand: () => number;
  readonly mesh: Mesh;
  now: number;
  /** Cards created: id → creator. Template cards included. */
  readonly cards = new Map<string, string>();
  readonly columns = new Set<string>();
  /** Comments added: id → { author, cardId }. */
  readonly comments = new Map<string, { author: string; cardId: string }>();
  /** `<cardId>:<userId>` of every successful vote. */
  readonly votesCast = new Set<string>();
  readonly opCounts = new Map<string, number>();
  /** The first cards created: nearly half the card operations aim at them, to make conflicts. */
  readonly hot: string[] = [];
  /** Local writes the relay would refuse as forged (4422): must stay empty. */
  readonly forgeries: string[] = [];

  constructor(
    readonly seed: number,
    start: number,
  ) {
    this.rand = mulberry32(seed);
    this.now = start;
    const server = new Y.Doc();
    server.clientID = 1;
    seedBoardDoc(server, { title: 'Huddle', template: 'huddle', createdBy: 'alice' }, start);
    boardRoots(server).cards.forEach((_, id) => this.cards.set(id, 'alice'));
    boardRoots(server).columns.forEach((_, id) => this.columns.add(id));
    this.mesh = new Mesh(this.rand, SIM_USERS.length, Y.encodeStateAsUpdate(server));
    for (const r of this.mesh.replicas)
      r.doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.local) this.checkUnforgeable(r, tr);
      });
  }

  /**
   * What the relay enforces (issue 14): a vote key, a card's `createdBy` and a
   * comment's `author` are the writer's own, and nothing is hard-deleted.
   * Every operation must pass, or an honest client would be cut off.
   */
  private checkUnforgeable(r: MeshReplica, tr: Y.Transaction): void {
    const actor = SIM_USERS[r.index]!;
    const roots = boardRoots(r.doc);
    const report = (what: string) => this.forgeries.push(`replica ${r.index} (${actor}): ${what}`);
    const changed = (type: unknown): Set<string | null> => {
      for (const [t, keys] of tr.changed) if (t === type) return keys;
      return new Set();
    };
    for (const key of changed(roots.votes)) {
      if (key === null || !key.endsWith(`:${actor}`)) report(`vote ${key}`);
    }
    for (const key of changed(roots.cards)) {
      const card = key === null ? undefined : roots.cards.get(key);
      if (!card) report(`card ${key} deleted`);
      else if (card.get('createdBy') !== actor) report(`card ${key} created for someone else`);
    }
    for (const key of changed(roots.columns)) {
      if (key === null || !roots.columns.has(key)) report(`column ${key} deleted`);
    }
    for (const key of changed(roots.comments)) {
      const comment = key === null ? undefined : (roots.comments.get(key) as { author?: unknown });
      if (!comment) report(`comment ${key} deleted`);
      else if (comment.author !== actor) report(`comment ${key} written for someone else`);
    }
  }

  get replicas(): readonly MeshReplica[] {
    return this.mesh.replicas;
  }

  private int(min: number, max: number): number {
    return this.mesh.int(min, max);
  }
  private pick<T>(list: readonly T[]): T | undefined {
    return this.mesh.pick(list);
  }
  private chance(p: number): boolean {
    return this.rand() < p;
  }

  private ctx(r: MeshReplica): BoardOpContext {
    return {
      actor: SIM_USERS[r.index]!,
      now: this.now + r.index * 1000,
      origin: { kind: 'local', replica: r.index },
      random: this.rand,
    };
  }

  private text(maxWords: number): string {
    const n = this.int(1, maxWords);
    return Array.from({ length: n }, () => this.pick(WORDS)!).join(' ');
  }

  private record<T extends object>(name: string, result: BoardResult<T>): BoardResult<T> {
    if (!result.ok) {
      const error = result.error as unknown;
      if (!(error instanceof BoardError) || !BOARD_ERROR_CODES.includes(error.code))
        throw new Error(`untyped failure in ${name}`);
    }
    const key = `${name}:${result.ok ? 'ok' : result.error.code}`;
    this.opCounts.set(key, (this.opCounts.get(key) ?? 0) + 1);
    return result;
  }

  private keys<T>(map: Y.Map<T>): string[] {
    return [...map.keys()];
  }

  /** A card id on this replica: often a hot one, sometimes an unknown or malformed id. */
  private cardId(r: MeshReplica): string {
    const p = this.rand();
    if (p < 0.02) return this.pick(['nope', 'Bad Id', '', 'x'.repeat(70)])!;
    if (p < 0.45 && this.hot.length > 0) return this.pick(this.hot)!;
    return this.pick(this.keys(boardRoots(r.doc).cards)) ?? 'nope';
  }

  private columnId(r: MeshReplica): string {
    if (this.chance(0.02)) return this.pick(['nope', 'Bad Id'])!;
    return this.pick(this.keys(boardRoots(r.doc).columns)) ?? 'nope';
  }

  private checklistItem(r: MeshReplica, cardId: string): string {
    const card = boardRoots(r.doc).cards.get(cardId);
    const list = card instanceof Y.Map ? card.get('checklist') : null;
    return (list instanceof Y.Map ? this.pick([...list.keys()]) : undefined) ?? 'nope';
  }

  /** One random operation on one replica. */
  step(): void {
    const r = this.pick(this.replicas)!;
    const doc = r.doc;
    const ctx = this.ctx(r);
    const p = this.int(0, 99);
    if (p < 10) {
      const column = this.columnId(r);
      const res = this.record(
        'addCard',
        ops.addCard(
          doc,
          {
            column,
            title: this.chance(0.01) ? 'x'.repeat(201) : this.text(4),
            ...(this.chance(0.3) ? { body: this.text(12) } : {}),
            ...(this.chance(0.5) ? { index: this.int(0, 6) } : {}),
          },
          ctx,
        ),
      );
      if (res.ok) {
        this.cards.set(res.cardId, ctx.actor);
        if (this.hot.length < 4) this.hot.push(res.cardId);
      }
    } else if (p < 24) {
      this.record(
        'moveCard',
        ops.moveCard(
          doc,
          { cardId: this.cardId(r), column: this.columnId(r), index: this.int(0, 8) },
          ctx,
        ),
      );
    } else if (p < 29) {
      this.record('archiveCard', ops.archiveCard(doc, { cardId: this.cardId(r) }, ctx));
    } else if (p < 33) {
      this.record('restoreCard', ops.restoreCard(doc, { cardId: this.cardId(r) }, ctx));
    } else if (p < 43) {
      const cardId = this.cardId(r);
      const field = this.chance(0.5) ? 'title' : 'body';
      const card = boardRoots(doc).cards.get(cardId);
      const old = card instanceof Y.Map ? String(card.get(field) ?? '') : '';
      const at = this.int(0, old.length);
      const next = this.chance(0.1)
        ? this.text(3)
        : old.slice(0, at) + this.text(2) + old.slice(at + this.int(0, 3));
      this.record(
        'setCardText',
        ops.setCardText(
          doc,
          { cardId, field, text: next.slice(0, field === 'title' ? 200 : 10_000) },
          ctx,
        ),
      );
    } else if (p < 47) {
      this.record(
        'toggleAssignee',
        ops.toggleAssignee(
          doc,
          { cardId: this.cardId(r), userId: this.pick(['alice', 'bob', 'carol', 'dave'])! },
          ctx,
        ),
      );
    } else if (p < 50) {
      const labelId = this.pick(this.keys(boardRoots(doc).labels)) ?? 'nope';
      this.record(
        'toggleCardLabel',
        ops.toggleCardLabel(
          doc,
          {
            cardId: this.cardId(r),
            labelId,
            ...(this.chance(0.5) ? { on: this.chance(0.5) } : {}),
          },
          ctx,
        ),
      );
    } else if (p < 53) {
      const due = this.chance(0.3)
        ? null
        : this.chance(0.05)
          ? '2026-13-01'
          : `2026-03-${String(this.int(1, 28)).padStart(2, '0')}`;
      this.record('setDue', ops.setDue(doc, { cardId: this.cardId(r), due }, ctx));
    } else if (p < 56) {
      this.record(
        'addChecklistItem',
        ops.addChecklistItem(
          doc,
          { cardId: this.cardId(r), text: this.text(3), index: this.int(0, 3) },
          ctx,
        ),
      );
    } else if (p < 58) {
      const cardId = this.cardId(r);
      this.record(
        'setChecklistItemText',
        ops.setChecklistItemText(
          doc,
          { cardId, itemId: this.checklistItem(r, cardId), text: this.text(3) },
          ctx,
        ),
      );
    } else if (p < 61) {
      const cardId = this.cardId(r);
      this.record(
        'toggleChecklistItem',
        ops.toggleChecklistItem(doc, { cardId, itemId: this.checklistItem(r, cardId) }, ctx),
      );
    } else if (p < 62) {
      const cardId = this.cardId(r);
      this.record(
        'moveChecklistItem',
        ops.moveChecklistItem(
          doc,
          { cardId, itemId: this.checklistItem(r, cardId), index: this.int(0, 4) },
          ctx,
        ),
      );
    } else if (p < 63) {
      const cardId = this.cardId(r);
      this.record(
        'removeChecklistItem',
        ops.removeChecklistItem(doc, { cardId, itemId: this.checklistItem(r, cardId) }, ctx),
      );
    } else if (p < 74) {
      const cardId = this.cardId(r);
      const res = this.record('vote', ops.vote(doc, { cardId }, ctx));
      if (res.ok && res.changed) this.votesCast.add(`${cardId}:${ctx.actor}`);
    } else if (p < 79) {
      this.record('unvote', ops.unvote(doc, { cardId: this.cardId(r) }, ctx));
    } else if (p < 83) {
      const cardId = this.cardId(r);
      const res = this.record(
        'addComment',
        ops.addComment(doc, { cardId, text: this.text(8) }, ctx),
      );
      if (res.ok) this.comments.set(res.commentId, { author: ctx.actor, cardId });
    } else if (p < 85) {
      const commentId = this.pick(this.keys(boardRoots(doc).comments)) ?? 'nope';
      this.record('editComment', ops.editComment(doc, { commentId, text: this.text(8) }, ctx));
    } else if (p < 87 && activeColumns(doc).length < 7) {
      const res = this.record(
        'addColumn',
        ops.addColumn(doc, { title: this.text(2), index: this.int(0, 6) }, ctx),
      );
      if (res.ok) this.columns.add(res.columnId);
    } else if (p < 89) {
      // Also instead of adding an eighth column: boards stay a handful of columns wide.
      this.record(
        'renameColumn',
        ops.renameColumn(doc, { columnId: this.columnId(r), title: this.text(2) }, ctx),
      );
    } else if (p < 90) {
      this.record(
        'setColumnColor',
        ops.setColumnColor(
          doc,
          { columnId: this.columnId(r), color: this.pick([...COLORS, null])! },
          ctx,
        ),
      );
    } else if (p < 92) {
      this.record(
        'moveColumn',
        ops.moveColumn(doc, { columnId: this.columnId(r), index: this.int(0, 6) }, ctx),
      );
    } else if (p < 94) {
      this.record('archiveColumn', ops.archiveColumn(doc, { columnId: this.columnId(r) }, ctx));
    } else if (p < 97) {
      this.record('restoreColumn', ops.restoreColumn(doc, { columnId: this.columnId(r) }, ctx));
    } else if (p < 98) {
      this.record(
        'addLabel',
        ops.addLabel(doc, { name: this.text(1), color: this.pick(COLORS)! }, ctx),
      );
    } else {
      const labelId = this.pick(this.keys(boardRoots(doc).labels)) ?? 'nope';
      this.record('renameLabel', ops.renameLabel(doc, { labelId, name: this.text(1) }, ctx));
    }
  }

  /** `ops` random steps with network weather and a moving clock. */
  run(steps: number): void {
    for (let i = 0; i < steps; i++) {
      this.now += this.int(0, 60_000);
      this.step();
      if (this.chance(0.3)) this.mesh.weather();
    }
  }
}
