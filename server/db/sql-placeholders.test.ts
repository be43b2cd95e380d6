import { describe, expect, it } from 'vitest';
import { rewritePlaceholders } from './sql-placeholders.js';

describe('rewritePlaceholders', () => {
  it('binds params as given when $n appear in order once each', () => {
    expect(rewritePlaceholders('SELECT * FROM t WHERE a = $1 AND b = $2')).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND b = ?',
      order: null,
      arity: 2,
    });
  });

  it('maps repeated and reordered placeholders to param indexes', () => {
    expect(rewritePlaceholders('SELECT $2, $1, $2, $10')).toEqual({
      sql: 'SELECT ?, ?, ?, ?',
      order: [1, 0, 1, 9],
      arity: 10,
    });
  });

  it('leaves $n inside string literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT '$1 it''s', "col$2", $1 -- $3\n/* $4 */ FROM t`;
    expect(rewritePlaceholders(sql)).toEqual({
      sql: `SELECT '$1 it''s', "col$2", ? -- $3\n/* $4 */ FROM t`,
      order: null,
      arity: 1,
    });
  });

  it('returns SQL without placeholders unchanged', () => {
    expect(rewritePlaceholders('SELECT 1')).toEqual({ sql: 'SELECT 1', order: null, arity: 0 });
  });

  it('rejects $0', () => {
    expect(() => rewritePlaceholders('SELECT $0')).toThrow(/invalid placeholder/);
  });
});
