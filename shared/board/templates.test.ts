import { describe, expect, it } from 'vitest';
import { LOCALES } from '../queue/types.js';
import { BOARD_LIMITS } from './fields.js';
import {
  BOARD_TEMPLATES,
  TEMPLATE_CONTENT,
  TEMPLATE_CONTENT_BY_LOCALE,
  templateContent,
  templateLocale,
  type TemplateContent,
} from './templates.js';

/** Everything but the words: ids, colours, order, a card's column. */
const shape = (c: TemplateContent) => ({
  columns: c.columns.map(({ id, color }) => ({ id, color })),
  labels: c.labels.map(({ id, color }) => ({ id, color })),
  cards: c.cards.map(({ id, column, body }) => ({ id, column, hasBody: body !== undefined })),
});

/** Words French shares with English on purpose. */
const SAME_IN_BOTH = new Set(['Urgent', 'Actions']);

describe('B3: templates in the clinic’s language', () => {
  it.each(BOARD_TEMPLATES)('the %s template has one structure in every language', (template) => {
    for (const locale of LOCALES)
      expect(shape(templateContent(template, locale))).toEqual(shape(TEMPLATE_CONTENT[template]));
  });

  it.each(BOARD_TEMPLATES)(
    'every word of the %s template is translated into French',
    (template) => {
      const en = TEMPLATE_CONTENT[template];
      const fr = templateContent(template, 'fr');
      const words = (c: TemplateContent) => [
        ...c.columns.map((x) => x.title),
        ...c.labels.map((x) => x.name),
        ...c.cards.flatMap((x) => [x.title, x.body ?? '']),
      ];
      words(fr).forEach((word, i) => {
        if (!SAME_IN_BOTH.has(word)) expect(word, `${template}: ${word}`).not.toBe(words(en)[i]);
      });
    },
  );

  it('every word fits the board’s limits in every language', () => {
    for (const locale of LOCALES)
      for (const template of BOARD_TEMPLATES) {
        const c = TEMPLATE_CONTENT_BY_LOCALE[locale][template];
        for (const col of c.columns)
          expect(col.title.length).toBeLessThanOrEqual(BOARD_LIMITS.title);
        for (const l of c.labels) expect(l.name.length).toBeLessThanOrEqual(BOARD_LIMITS.labelName);
        for (const card of c.cards) {
          expect(card.title.length).toBeLessThanOrEqual(BOARD_LIMITS.title);
          expect((card.body ?? '').length).toBeLessThanOrEqual(BOARD_LIMITS.body);
        }
      }
  });

  it('English is the TEMPLATE_CONTENT the app and tests already read', () => {
    expect(TEMPLATE_CONTENT_BY_LOCALE.en).toBe(TEMPLATE_CONTENT);
  });

  it.each([
    ['fr', 'fr'],
    ['fr-FR', 'fr'],
    ['fr-CA', 'fr'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['EN-us', 'en'],
    ['de', 'fr'],
    ['eng', 'fr'],
    ['', 'fr'],
    [undefined, 'fr'],
  ] as const)('a clinic whose locale is %j gets its boards in %s', (clinicLocale, expected) => {
    expect(templateLocale(clinicLocale)).toBe(expected);
  });
});
