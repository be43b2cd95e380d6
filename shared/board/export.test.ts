import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_CSV_HEADER,
  boardCsv,
  boardExportData,
  boardMarkdown,
  csvField,
  mdInline,
  type BoardExportInfo,
} from './export.js';
import { boardRoots, insertCard, seedBoardDoc, voteKey } from './schema.js';

const T0 = Date.UTC(2026, 11, 2, 8, 30);
const INFO: BoardExportInfo = {
  id: 'b1',
  title: 'Huddle, lundi',
  template: 'huddle',
  archived: false,
  createdAt: T0,
};
const NAMES: Record<string, string> = { alice: 'Alice Martin', bob: 'Bob "B" Durand' };
const nameOf = (id: string) => NAMES[id];

/** A huddle board with cards that exercise every field. */
function sampleDoc(): Y.Doc {
  const doc = new Y.Doc();
  seedBoardDoc(doc, { title: INFO.title, template: 'huddle', createdBy: 'alice' }, T0);
  const roots = boardRoots(doc);
  doc.transact(() => {
    const card = insertCard(doc, 'c-wet', {
      column: 'safety',
      order: 'V4',
      title: 'Wet floor, room 3',
      body: 'Mop it, then "dry" sign,\nline two',
      createdBy: 'bob',
      createdAt: T0 + 1000,
      due: '2026-12-05',
      assignees: ['alice', 'zoe'],
      labels: ['urgent'],
    });
    const checklist = card.get('checklist') as Y.Map<Y.Map<unknown>>;
    checklist.set(
      'i2',
      new Y.Map<unknown>([
        ['text', 'Put the sign'],
        ['done', false],
        ['order', 'V8'],
      ]),
    );
    checklist.set(
      'i1',
      new Y.Map<unknown>([
        ['text', 'Mop'],
        ['done', true],
        ['order', 'V4'],
      ]),
    );
    insertCard(doc, 'c-old', {
      column: 'safety',
      order: 'V8',
      title: '=SUM(A1)',
      body: '',
      createdBy: 'alice',
      createdAt: T0 + 2000,
    }).set('archivedAt', T0 + 3000);
    insertCard(doc, 'c-lost', {
      column: 'gone',
      order: 'V4',
      title: 'Card of a missing column',
      body: '',
      createdBy: 'alice',
      createdAt: T0 + 2500,
    });
    roots.votes.set(voteKey('c-wet', 'bob'), T0 + 4000);
    roots.votes.set(voteKey('c-wet', 'alice'), T0 + 4100);
    roots.votes.set('garbage', 1);
    roots.comments.set('m2', {
      cardId: 'c-wet',
      text: 'Done at noon',
      author: 'alice',
      at: T0 + 6000,
    });
    roots.comments.set('m1', {
      cardId: 'c-wet',
      text: 'Who has the mop?',
      author: 'bob',
      at: T0 + 5000,
    });
    roots.comments.set('bad', 'not an object');
  });
  return doc;
}

describe('board export data', () => {
  it('lists columns in order, cards by column then order, with votes, comments and checklist', () => {
    const data = boardExportData(sampleDoc(), INFO, nameOf, T0 + 9000);
    expect(data.board).toEqual({ ...INFO, exportedAt: T0 + 9000 });
    expect(data.columns.map((c) => c.id)).toEqual([
      'safety',
      'staffing',
      'equipment',
      'follow-ups',
    ]);
    expect(data.cards.map((c) => c.id)).toEqual(['c-wet', 'c-old', 'how-to', 'c-lost']);
    const wet = data.cards[0]!;
    expect(wet).toMatchObject({
      column: 'safety',
      columnTitle: 'Safety concerns',
      title: 'Wet floor, room 3',
      createdBy: 'bob',
      createdByName: 'Bob "B" Durand',
      assignees: ['alice', 'zoe'],
      labels: ['urgent'],
      due: '2026-12-05',
      votes: ['alice', 'bob'],
    });
    expect(wet.checklist.map((i) => [i.text, i.done])).toEqual([
      ['Mop', true],
      ['Put the sign', false],
    ]);
    expect(wet.comments.map((m) => [m.authorName, m.text])).toEqual([
      ['Bob "B" Durand', 'Who has the mop?'],
      ['Alice Martin', 'Done at noon'],
    ]);
    expect(data.cards[1]!.archivedAt).toBe(T0 + 3000);
    expect(data.labels.map((l) => l.name)).toContain('Urgent');
    expect(data.users).toEqual(NAMES);
  });

  it('reads an empty or unseeded doc as an empty board', () => {
    const data = boardExportData(new Y.Doc(), INFO);
    expect(data).toMatchObject({ columns: [], cards: [], labels: [], users: {} });
    expect(boardCsv(data)).toBe(BOARD_CSV_HEADER.join(',') + '\r\n');
    expect(boardMarkdown(data)).toContain('# Huddle, lundi');
  });

  it('skips malformed values written by a client instead of failing', () => {
    const doc = sampleDoc();
    const roots = boardRoots(doc);
    doc.transact(() => {
      roots.cards.set('c-plain', 'a string, not a map' as never);
      roots.columns.set('col-bad', 42 as never);
      roots.labels.set('l-bad', null);
    });
    const data = boardExportData(doc, INFO, nameOf);
    expect(data.cards.map((c) => c.id)).not.toContain('c-plain');
    expect(data.columns.map((c) => c.id)).not.toContain('col-bad');
    expect(() => boardCsv(data)).not.toThrow();
    expect(() => boardMarkdown(data)).not.toThrow();
  });
});

describe('board CSV', () => {
  it('quotes fields with commas, quotes and newlines as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('+33 6 12')).toBe("'+33 6 12");
    expect(csvField('@cmd')).toBe("'@cmd");
  });

  it('has the fixed header and one row per card, archived ones flagged', () => {
    const csv = boardCsv(boardExportData(sampleDoc(), INFO, nameOf));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'card_id,column,title,body,assignees,labels,due,votes,archived,created_by,created_at',
    );
    expect(lines[1]).toBe(
      [
        'c-wet',
        'Safety concerns',
        '"Wet floor, room 3"',
        '"Mop it, then ""dry"" sign,\nline two"',
        'Alice Martin; zoe',
        'Urgent',
        '2026-12-05',
        '2',
        'false',
        '"Bob ""B"" Durand"',
        new Date(T0 + 1000).toISOString(),
      ].join(','),
    );
    // The body's newline stays inside its quoted field: the next record starts after CRLF.
    expect(lines[2]).toMatch(/^c-old,Safety concerns,'=SUM\(A1\),,,,,0,true,Alice Martin,/);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toHaveLength(1 + 4);
    expect(parseCsv(csv).every((row) => row.length === BOARD_CSV_HEADER.length)).toBe(true);
  });
});

describe('board Markdown minutes', () => {
  it('reads as minutes: title, date, columns with their cards, checklist, votes and named comments', () => {
    const md = boardMarkdown(boardExportData(sampleDoc(), INFO, nameOf, T0 + 9000), {
      timeZone: 'Europe/Paris',
    });
    expect(md).toContain('# Huddle, lundi\n');
    expect(md).toContain('_Exported 2026-12-02 09:30 (Europe/Paris)_');
    expect(md).toContain('## Safety concerns\n\n### Wet floor, room 3');
    expect(md).toContain('- Assignees: Alice Martin, zoe');
    expect(md).toContain('- Due: 2026-12-05');
    expect(md).toContain('- Votes: 2');
    expect(md).toContain('- [x] Mop\n- [ ] Put the sign');
    expect(md).toContain('- **Bob "B" Durand** (2026-12-02 09:30): Who has the mop?');
    expect(md).toContain("## Today's staffing\n\n_No cards._");
    expect(md).toContain('## Unsorted\n\n### Card of a missing column');
    expect(md.indexOf('## Archived cards')).toBeGreaterThan(md.indexOf('## Unsorted'));
    expect(md).toContain('### =SUM(A1)');
  });

  it('escapes Markdown in user text so a title cannot become a link or a heading', () => {
    expect(mdInline('# [click](http://x) *bold*\nnext')).toBe(
      '\\# \\[click\\](http://x) \\*bold\\* next',
    );
  });
});

/** A strict RFC 4180 reader, to check the writer's output round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}
