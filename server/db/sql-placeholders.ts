/**
 * Rewrites `$1`-style placeholders to SQLite's anonymous `?`, returning the
 * order in which the caller's parameters must be bound. String literals,
 * quoted identifiers and comments are left untouched.
 */
export interface RewrittenSql {
  readonly sql: string;
  /**
   * 0-based index into the caller's params for each `?`, or null when that is
   * exactly `0, 1, 2, …, n-1` (the params array can be bound as it is).
   */
  readonly order: readonly number[] | null;
  /** Highest placeholder number used (the params array must be at least this long). */
  readonly arity: number;
}

export function rewritePlaceholders(sql: string): RewrittenSql {
  let out = '';
  let last = 0;
  const order: number[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 0x27 /* ' */ || c === 0x22 /* " */ || c === 0x60 /* ` */) {
      // Quoted literal/identifier; a doubled quote is an escaped quote.
      i++;
      while (i < n) {
        if (sql.charCodeAt(i) === c) {
          if (sql.charCodeAt(i + 1) === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === 0x2d /* - */ && sql.charCodeAt(i + 1) === 0x2d) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === 0x2f /* / */ && sql.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === 0x24 /* $ */ && isDigit(sql.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      const index = Number(sql.slice(i + 1, j));
      if (index < 1) throw new SyntaxError(`invalid placeholder $${index} in SQL: ${sql}`);
      out += sql.slice(last, i) + '?';
      order.push(index - 1);
      last = j;
      i = j;
    } else {
      i++;
    }
  }
  if (order.length === 0) return { sql, order: null, arity: 0 };
  out += sql.slice(last);
  const arity = Math.max(...order) + 1;
  const identity = order.length === arity && order.every((v, k) => v === k);
  return { sql: out, order: identity ? null : order, arity };
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
