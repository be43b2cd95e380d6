import { describe, expect, it } from 'vitest';
import { patientIdentifierHints } from './privacy.js';

describe('B16: patientIdentifierHints warns about patient identifiers, never about clinic talk', () => {
  it.each([
    ['1 84 03 75 123 456 90', 'a NIR with spaces'],
    ['NIR 184037512345690 à vérifier', 'a NIR without spaces'],
    ['INS: 2 69 02 99 123 456 14', 'a woman’s INS'],
    ['1 85 09 2A 012 345 46', 'a Corsican NIR (2A)'],
    ['185092B01234573', 'a Corsican NIR (2B)'],
  ])('B16: flags %s (%s) as nir', (text) => {
    expect(patientIdentifierHints(text)).toContain('nir');
  });

  it.each([
    ['1 84 03 75 123 456 91', 'a wrong key'],
    ['1 85 09 2A 012 345 73', '2A with the key of 2B'],
    ['Lot 184037512345690123', 'a longer number'],
    ['3 84 03 75 123 456 90', 'a first digit other than 1 or 2'],
  ])('B16: does not flag %s (%s) as nir', (text) => {
    expect(patientIdentifierHints(text)).not.toContain('nir');
  });

  it.each([
    ['Mme X née le 12/03/1984', 'née le'],
    ['né le 3 mars 2015', 'né le with a month name'],
    ['DDN 12.03.84', 'DDN with a 2-digit year'],
    ['DOB: 1984-03-12', 'DOB, ISO'],
    ['patient 12/03/1984 salle 2', 'a full date before 2010'],
    ['date de naissance 01-01-2012', 'date de naissance'],
  ])('B16: flags %s (%s) as dob', (text) => {
    expect(patientIdentifierHints(text)).toEqual(['dob']);
  });

  it.each([
    ['Réunion le 12/03/2026', 'a meeting date'],
    ['Livraison 2026-03-12', 'a delivery date'],
    ['Depuis 1984 à la clinique', 'a year alone'],
    ['Salle 12 à 14:30', 'a room and a time'],
    ['Stock: 12/03', 'a day and month'],
    ['Version 1.2.3', 'a version'],
  ])('B16: does not flag %s (%s)', (text) => {
    expect(patientIdentifierHints(text)).toEqual([]);
  });

  it.each([
    ['Rappeler au 06 12 34 56 78', 'a French mobile with spaces'],
    ['tel 0612345678', 'a French mobile without spaces'],
    ['01.23.45.67.89', 'a French landline with dots'],
    ['+33 6 12 34 56 78', '+33'],
    ['+33 (0)6 12 34 56 78', '+33 (0)'],
    ['0033612345678', '0033'],
    ['+44 20 7946 0958', 'a UK number'],
    ['+1 415 555 0123', 'a US number'],
  ])('B16: flags %s (%s) as phone', (text) => {
    expect(patientIdentifierHints(text)).toEqual(['phone']);
  });

  it.each([
    ['Poste 1234', 'an extension'],
    ['Appeler le 15', 'an emergency number'],
    ['Commande n° 123456', 'an order number'],
    ['Box 2, 14h30-15h00', 'a time range'],
    ['', 'empty text'],
  ])('B16: does not flag %s (%s) as phone', (text) => {
    expect(patientIdentifierHints(text)).toEqual([]);
  });

  it('B16: reports every kind found, once each', () => {
    expect(
      patientIdentifierHints(
        '1 84 03 75 123 456 90, né le 12/03/1984, tel 06 12 34 56 78, 07 00 00 00 01',
      ),
    ).toEqual(['nir', 'dob', 'phone']);
  });

  it('B16: a NIR is not also reported as a phone', () => {
    expect(patientIdentifierHints('184037512345690')).toEqual(['nir']);
  });

  it('B16: never throws on odd input', () => {
    expect(patientIdentifierHints(undefined as unknown as string)).toEqual([]);
    expect(patientIdentifierHints('x'.repeat(10_000) + '0612345678')).toEqual(['phone']);
  });
});
