import { describe, expect, it } from 'vitest';
import { BOARD_TEMPLATES, DUE_FILTERS } from '../../../../../shared/board/index.js';
import { BOARD_DICTIONARIES, boardT, type BoardKey } from './strings.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('boards wording', () => {
  it('says every sentence in French and in English with the same placeholders', () => {
    const { fr, en } = BOARD_DICTIONARIES;
    for (const key of Object.keys(fr) as BoardKey[]) {
      expect(en[key], key).toBeTruthy();
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
    }
  });

  it('names and describes every template and every due filter in both languages', () => {
    for (const locale of ['fr', 'en'] as const) {
      const t = boardT(locale);
      for (const tpl of BOARD_TEMPLATES) {
        expect(t(`template_${tpl}` as BoardKey)).not.toBe(`template_${tpl}`);
        expect(t(`template_${tpl}_hint` as BoardKey)).not.toBe(`template_${tpl}_hint`);
      }
      for (const due of DUE_FILTERS) expect(t(`due_${due}` as BoardKey)).not.toBe(`due_${due}`);
    }
  });

  it('tells a privacy hint as a readable sentence, not a code', () => {
    const t = boardT('fr');
    const what = [t('hint_phone'), t('hint_dob')].join(t('and'));
    expect(t('privacyBody', { what })).toContain('un numéro de téléphone et une date de naissance');
    expect(boardT('en')('privacyBody', { what: boardT('en')('hint_nir') })).toContain(
      'a social security number',
    );
  });
});
