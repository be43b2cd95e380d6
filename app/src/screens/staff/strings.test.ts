import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../../shared/queue/index.js';
import { staffT, type StaffKey } from './strings.js';

describe('staff wording', () => {
  it('says "1 rappel" and "2 rappels", "1 recall" and "2 recalls", never "(s)"', () => {
    const fr = staffT('fr');
    const en = staffT('en');
    expect([fr('recalls1'), fr('recallsN', { n: 2 })]).toEqual(['1 rappel', '2 rappels']);
    expect([en('recalls1'), en('recallsN', { n: 2 })]).toEqual(['1 recall', '2 recalls']);
  });

  it('counts the rest of the queue with a proper plural', () => {
    expect(staffT('fr')('moreWaiting1')).toBe('+ 1 autre');
    expect(staffT('fr')('moreWaitingN', { n: 36 })).toBe('+ 36 autres');
    expect(staffT('en')('moreWaiting1')).toBe('+ 1 more');
  });

  it('never repeats the "Priority" label as one of its own options', () => {
    for (const locale of LOCALES) {
      const t = staffT(locale);
      const options = (['normal', 'priority', 'urgent'] as const).map((p) =>
        t(`priority_${p}` as StaffKey),
      );
      expect(options).not.toContain(t('priority'));
      expect(new Set(options).size).toBe(3);
    }
  });

  it('names the receptionist role differently from the reception screen', () => {
    for (const locale of LOCALES) {
      const t = staffT(locale);
      expect(t('role_receptionist')).not.toBe(t('reception'));
    }
  });
});
