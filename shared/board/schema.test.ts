import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardView, canonicalBoardJson } from './derive.js';
import { BoardError } from './errors.js';
import {
  BOARD_ROOTS,
  BOARD_SCHEMA_VERSION,
  BOARD_TEMPLATES,
  boardRoots,
  parseVoteKey,
  seedBoardDoc,
  voteKey,
} from './schema.js';
import { TEMPLATE_CONTENT } from './templates.js';
import { isColor } from './fields.js';
import { isItemId } from './ids.js';
import { replica, sync, T0 } from './test-support/fixtures.js';

describe('B3: seeding', () => {
  it.each(BOARD_TEMPLATES)('B3: seeds the %s template with its columns and labels', (template) => {
    const doc = replica(1);
    expect(seedBoardDoc(doc, { title: 'Board', template, createdBy: 'alice' }, T0)).toEqual({
      seeded: true,
    });
    const view = boardView(doc, 'alice');
    expect(view.meta).toEqual({ schemaVersion: BOARD_SCHEMA_VERSION, title: 'Board', template });
    expect(view.columns.map((c) => c.title)).toEqual(
      TEMPLATE_CONTENT[template].columns.map((c) => c.title),
    );
    expect(view.labels).toHaveLength(TEMPLATE_CONTENT[template].labels.length);
    for (const card of view.cards) expect(card.createdBy).toBe('alice');
  });

  it('B3: every template id is a valid item id and every colour #rrggbb', () => {
    for (const template of BOARD_TEMPLATES) {
      const content = TEMPLATE_CONTENT[template];
      for (const item of [...content.columns, ...content.labels, ...content.cards])
        expect(isItemId(item.id), item.id).toBe(true);
      for (const item of [...content.columns, ...content.labels])
        if ('color' in item && item.color !== undefined) expect(isColor(item.color)).toBe(true);
      for (const card of content.cards)
        expect(content.columns.map((c) => c.id)).toContain(card.column);
    }
  });

  it('B3: the blank template is To do / Doing / Done', () => {
    const doc = replica(1);
    seedBoardDoc(doc, { title: 'B', template: 'blank', createdBy: 'alice' }, T0);
    expect(boardView(doc, 'alice').columns.map((c) => c.title)).toEqual(['To do', 'Doing', 'Done']);
  });

  it('B3: a French clinic’s board is seeded in French, same ids and colours as in English', () => {
    const fr = replica(1);
    const en = replica(2);
    seedBoardDoc(fr, { title: 'Point', template: 'huddle', createdBy: 'alice', locale: 'fr' }, T0);
    seedBoardDoc(en, { title: 'Point', template: 'huddle', createdBy: 'alice', locale: 'en' }, T0);
    const [vf, ve] = [boardView(fr, 'alice'), boardView(en, 'alice')];
    expect(vf.columns.map((c) => c.title)).toEqual([
      'Sécurité',
      'Effectifs du jour',
      'Matériel',
      'Suivis',
    ]);
    expect(vf.columns.map((c) => [c.id, c.order, c.color])).toEqual(
      ve.columns.map((c) => [c.id, c.order, c.color]),
    );
    const byId = (ls: readonly { id: string; color: string }[]) =>
      ls.map((l) => [l.id, l.color]).sort();
    expect(byId(vf.labels)).toEqual(byId(ve.labels));
    expect(vf.labels.map((l) => l.name)).toContain('Presqu’accident');
    const [card] = vf.cards;
    expect(card).toMatchObject({
      id: 'how-to',
      column: 'follow-ups',
      title: 'Comment utiliser ce tableau',
    });
    expect(card!.body).toMatch(/Aucun nom ni identifiant de patient/);
    expect(ve.cards[0]).toMatchObject({ id: 'how-to', title: 'How we use this board' });
  });

  it('B3: without a locale the template is seeded in English', () => {
    const doc = replica(1);
    seedBoardDoc(doc, { title: 'B', template: 'handover', createdBy: 'alice' }, T0);
    expect(boardView(doc, 'alice').columns[0]?.title).toBe('To hand over');
  });

  it('B3: seeding twice changes nothing', () => {
    const doc = replica(1);
    seedBoardDoc(doc, { title: 'Huddle', template: 'huddle', createdBy: 'alice' }, T0);
    const before = Y.encodeStateVector(doc);
    expect(
      seedBoardDoc(doc, { title: 'Other', template: 'retro', createdBy: 'bob' }, T0 + 1),
    ).toEqual({ seeded: false });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('B3: two server replicas seeding the same board at once converge to one template', () => {
    const a = replica(1);
    const b = replica(2);
    seedBoardDoc(a, { title: 'Huddle', template: 'huddle', createdBy: 'alice' }, T0);
    seedBoardDoc(b, { title: 'Huddle', template: 'huddle', createdBy: 'alice' }, T0);
    sync(a, b);
    expect(canonicalBoardJson(a)).toBe(canonicalBoardJson(b));
    expect(boardView(a, 'alice').columns).toHaveLength(4);
    expect(boardView(a, 'alice').cardCount).toBe(1);
  });

  it('B3: refuses a bad title, template, user or locale with a BoardError', () => {
    const doc = replica(1);
    const bad = [
      { title: '', template: 'blank', createdBy: 'alice' },
      { title: 'x'.repeat(201), template: 'blank', createdBy: 'alice' },
      { title: 'B', template: 'kanban', createdBy: 'alice' },
      { title: 'B', template: 'blank', createdBy: 'not a user' },
      { title: 'B', template: 'blank', createdBy: 'alice', locale: 'de' },
    ] as const;
    for (const args of bad) expect(() => seedBoardDoc(doc, args as never, T0)).toThrow(BoardError);
    expect(boardRoots(doc).meta.size).toBe(0);
  });

  it('B1: the roots are the six maps of the contract', () => {
    expect(Object.values(BOARD_ROOTS)).toEqual([
      'meta',
      'columns',
      'cards',
      'labels',
      'comments',
      'votes',
    ]);
  });
});

describe('B13: vote keys', () => {
  it('B13: voteKey and parseVoteKey round-trip', () => {
    expect(voteKey('card-1', 'Xy_9-z')).toBe('card-1:Xy_9-z');
    expect(parseVoteKey('card-1:Xy_9-z')).toEqual({ cardId: 'card-1', userId: 'Xy_9-z' });
  });

  it('B13: a CLI staff token votes as token:<id>, split at the first colon', () => {
    expect(parseVoteKey(voteKey('card-1', 'token:abc123'))).toEqual({
      cardId: 'card-1',
      userId: 'token:abc123',
    });
  });

  it.each(['card', 'card:', ':user', 'Card:user', 'card:us er', 42, null])(
    'B13: parseVoteKey(%j) is null',
    (key) => {
      expect(parseVoteKey(key)).toBeNull();
    },
  );
});
