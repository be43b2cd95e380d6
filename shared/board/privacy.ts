/**
 * A hint, never a block (rule B16): does a card's text look like it holds a
 * patient identifier? Boards are for staff work, not patient records; the
 * card editor shows a gentle warning when this returns anything.
 *
 * - `nir`: a French NIR / INS (sex 1|2, year, month, department incl. 2A/2B,
 *   commune, order, then a 2-digit key = 97 − (number mod 97)); spaces allowed.
 * - `dob`: a date next to a birth word ("né le", "née", "DDN", "date de
 *   naissance", "DOB", "born"), or a complete date before 2010 (a date in the
 *   future or the recent past is more likely an appointment or a deadline).
 * - `phone`: a French number (0X XX XX XX XX, +33 / 0033 …) or an
 *   international one with a `+` or `00` prefix and 10 or more digits.
 */

export type IdentifierHint = 'nir' | 'dob' | 'phone';

const NIR =
  /(?<![\dA-Za-z])([12])[ .]?(\d{2})[ .]?(0[1-9]|1[0-2]|[2-9]\d)[ .]?(\d{2}|2[AaBb])[ .]?(\d{3})[ .]?(\d{3})[ .]?(\d{2})(?![\dA-Za-z])/g;

function nirKeyValid(m: RegExpExecArray): boolean {
  const dept = m[4]!.toUpperCase();
  // Corsica: 2A counts as 19, 2B as 18 in the key computation.
  const deptDigits = dept === '2A' ? '19' : dept === '2B' ? '18' : dept;
  const number = Number(`${m[1]}${m[2]}${m[3]}${deptDigits}${m[5]}${m[6]}`);
  return 97 - (number % 97) === Number(m[7]);
}

const MONTHS_FR_EN =
  'janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|october|november|december';
const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const MONTH = '(?:0?[1-9]|1[0-2])';
/** dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (also 2-digit years), yyyy-mm-dd, "12 mars 1984". */
const DATE_SOURCE = `(?:${DAY}[/.-]${MONTH}[/.-](?:\\d{4}|\\d{2})|\\d{4}-${MONTH}-${DAY}|${DAY}(?:er)?\\s+(?:${MONTHS_FR_EN})\\.?\\s+\\d{4})`;
const DATE = new RegExp(`(?<![\\d/.-])${DATE_SOURCE}(?![\\d/.-]?\\d)`, 'giu');
const BIRTH_WORD = new RegExp(
  `(?:\\bn[ée]e?\\s+le|\\bddn|date\\s+de\\s+naissance|\\bdob|\\bborn(?:\\s+on)?|\\bbirth(?:day|date)?)\\s*:?\\s*${DATE_SOURCE}`,
  'iu',
);
const YEAR = /(\d{4})(?!.*\d{4})/;

function hasDob(text: string): boolean {
  if (BIRTH_WORD.test(text)) return true;
  for (const m of text.matchAll(DATE)) {
    const year = YEAR.exec(m[0]);
    if (year && Number(year[1]) >= 1900 && Number(year[1]) < 2010) return true;
  }
  return false;
}

const FR_PHONE = /(?<![\d+])(?:0|\+33\s?(?:\(0\)\s?)?|0033\s?)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/;
const INTL_PHONE = /(?<![\d+])(?:\+|00)\d(?:[\s.-]?\d){9,14}(?!\d)/;

/** Which kinds of patient identifier `text` seems to contain (none: []). */
export function patientIdentifierHints(text: string): IdentifierHint[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const hints: IdentifierHint[] = [];
  let rest = text;
  let nir = false;
  for (const m of text.matchAll(NIR)) {
    if (nirKeyValid(m)) {
      nir = true;
      rest = rest.replace(m[0], ' ');
    }
  }
  if (nir) hints.push('nir');
  if (hasDob(rest)) hints.push('dob');
  if (FR_PHONE.test(rest) || INTL_PHONE.test(rest)) hints.push('phone');
  return hints;
}
