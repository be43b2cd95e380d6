import type { DocName } from '../../shared/ids.js';
import type { Database, Queryable, SqlValue } from '../db/types.js';
import type { AppendItem, DocStore, StoredDoc, StoredTail, StoredUpdate } from './types.js';
import { CompactionRangeError, StoreClosedError } from './errors.js';
import { checkAfterSeq, checkAppendItems, checkCompaction } from './validate.js';

export interface SqlDocStoreOptions {
  /**
   * Close the Database when the store closes. Default false: the database is
   * usually shared with the other repositories (clinics, tokens…) and closed
   * by whoever opened it.
   */
  readonly closeDatabase?: boolean;
  /** Clock for `doc_snapshots.updated_at`. Default Date.now. */
  readonly now?: () => number;
}

/**
 * DocStore on the `doc_heads` / `doc_snapshots` / `doc_updates` tables of
 * `server/db/migrations.ts`; the same SQL runs on SQLite and PostgreSQL.
 *
 * Sequence numbers come from `doc_heads.last_seq`, bumped by an upsert in the
 * append transaction: the row lock serializes appenders of one doc across
 * connections and processes, so seqs are unique, increase in commit order and
 * keep increasing after compaction deletes the updates they numbered.
 */
export function createSqlDocStore(db: Database, options: SqlDocStoreOptions = {}): DocStore {
  const now = options.now ?? Date.now;
  const insertSql = insertStatements();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new StoreClosedError();
  };

  return {
    async load(doc: DocName): Promise<StoredDoc> {
      assertOpen();
      // One statement, so it reads one consistent state even while another
      // connection compacts (snapshot and deleted updates change together).
      const rows = await db.query<{ kind: number; seq: number; data: Uint8Array | null }>(
        LOAD_SQL,
        [doc],
      );
      let snapshot: Uint8Array | null = null;
      let throughSeq = 0;
      let lastSeq = 0;
      const updates: Uint8Array[] = [];
      for (const row of rows) {
        const kind = Number(row.kind);
        const seq = Number(row.seq);
        if (kind === KIND_SNAPSHOT) {
          snapshot = row.data;
          throughSeq = seq;
        } else if (kind === KIND_HEAD) {
          lastSeq = seq;
        } else if (seq > throughSeq && row.data !== null) {
          updates.push(row.data);
        }
      }
      return { snapshot, updates, lastSeq: Math.max(lastSeq, throughSeq) };
    },

    async loadSince(doc: DocName, afterSeq: number): Promise<StoredTail> {
      assertOpen();
      checkAfterSeq(doc, afterSeq);
      // One statement, like load: a compaction by another process is seen
      // whole or not at all, so no seq falls between snapshot and updates.
      const rows = await db.query<{ kind: number; seq: number; data: Uint8Array | null }>(
        LOAD_SINCE_SQL,
        [doc, afterSeq],
      );
      let snapshot: Uint8Array | null = null;
      let from = afterSeq;
      let lastSeq = 0;
      const updates: StoredUpdate[] = [];
      for (const row of rows) {
        const kind = Number(row.kind);
        const seq = Number(row.seq);
        if (kind === KIND_SNAPSHOT) {
          if (seq > afterSeq && row.data !== null) {
            snapshot = row.data;
            from = seq;
          }
          lastSeq = Math.max(lastSeq, seq);
        } else if (kind === KIND_HEAD) {
          lastSeq = Math.max(lastSeq, seq);
        } else if (seq > from && row.data !== null) {
          updates.push({ seq, data: row.data });
        }
      }
      return { snapshot, updates, lastSeq };
    },

    async exists(doc: DocName): Promise<boolean> {
      assertOpen();
      const rows = await db.query(EXISTS_SQL, [doc]);
      return rows.length > 0;
    },

    async appendMany(items: readonly AppendItem[]): Promise<number[]> {
      assertOpen();
      if (items.length === 0) return [];
      checkAppendItems(items);
      const counts = new Map<string, number>();
      for (let i = 0; i < items.length; i++) {
        const doc = items[i]!.doc;
        counts.set(doc, (counts.get(doc) ?? 0) + 1);
      }
      // Same lock order in every transaction, so two batches touching the same
      // docs cannot deadlock (PostgreSQL row locks on doc_heads).
      const docs = counts.size === 1 ? [...counts.keys()] : [...counts.keys()].sort();

      return db.transaction(async (tx) => {
        const next = new Map<string, number>();
        for (const doc of docs) {
          const n = counts.get(doc)!;
          const rows = await tx.query<{ last_seq: number }>(BUMP_HEAD_SQL, [doc, n]);
          next.set(doc, Number(rows[0]!.last_seq) - n + 1);
        }
        const seqs = new Array<number>(items.length);
        for (let i = 0; i < items.length; i++) {
          const doc = items[i]!.doc;
          const seq = next.get(doc)!;
          seqs[i] = seq;
          next.set(doc, seq + 1);
        }
        await insertUpdates(tx, insertSql, items, seqs);
        return seqs;
      });
    },

    async compact(doc: DocName, snapshot: Uint8Array, throughSeq: number): Promise<void> {
      assertOpen();
      checkCompaction(doc, snapshot, throughSeq);
      await db.transaction(async (tx) => {
        // One compactor per doc at a time, across processes: SQLite's write
        // lock is already held (BEGIN IMMEDIATE); PostgreSQL takes a lock on
        // the doc's name for the rest of the transaction.
        if (db.dialect === 'postgres') await tx.query(COMPACT_LOCK_SQL, [doc]);
        const head = await tx.query<{ last_seq: number }>(
          'SELECT last_seq FROM doc_heads WHERE doc = $1',
          [doc],
        );
        const lastSeq = head[0] ? Number(head[0].last_seq) : 0;
        if (throughSeq > lastSeq) throw new CompactionRangeError(doc, throughSeq, lastSeq);
        // Keeps a stored snapshot that already covers more: two instances may
        // compact the same doc, and the one that covers less must not win.
        const replaced = await tx.execute(UPSERT_SNAPSHOT_SQL, [doc, snapshot, throughSeq, now()]);
        if (replaced === 0) return;
        await tx.execute('DELETE FROM doc_updates WHERE doc = $1 AND seq <= $2', [doc, throughSeq]);
      });
    },

    async pendingStats(doc: DocName): Promise<{ count: number; bytes: number }> {
      assertOpen();
      const rows = await db.query<{ count: number; bytes: number }>(PENDING_SQL, [doc]);
      const row = rows[0];
      return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (options.closeDatabase) await db.close();
    },
  };
}

const KIND_SNAPSHOT = 0;
const KIND_HEAD = 1;

const LOAD_SQL = `
  SELECT ${KIND_SNAPSHOT} AS kind, through_seq AS seq, snapshot AS data FROM doc_snapshots WHERE doc = $1
  UNION ALL
  SELECT ${KIND_HEAD} AS kind, last_seq AS seq, NULL AS data FROM doc_heads WHERE doc = $1
  UNION ALL
  SELECT 2 AS kind, seq, data FROM doc_updates WHERE doc = $1
  ORDER BY kind, seq`;

// The snapshot's bytes only when it covers seqs the caller lacks.
const LOAD_SINCE_SQL = `
  SELECT ${KIND_SNAPSHOT} AS kind, through_seq AS seq,
         CASE WHEN through_seq > $2 THEN snapshot ELSE NULL END AS data
    FROM doc_snapshots WHERE doc = $1
  UNION ALL
  SELECT ${KIND_HEAD} AS kind, last_seq AS seq, NULL AS data FROM doc_heads WHERE doc = $1
  UNION ALL
  SELECT 2 AS kind, seq, data FROM doc_updates WHERE doc = $1 AND seq > $2
  ORDER BY kind, seq`;

const COMPACT_LOCK_SQL =
  "SELECT pg_advisory_xact_lock(hashtext('queuemed.compact.' || current_schema() || '.' || $1))";

const EXISTS_SQL = `
  SELECT 1 AS found FROM doc_heads WHERE doc = $1
  UNION ALL
  SELECT 1 AS found FROM doc_snapshots WHERE doc = $1
  LIMIT 1`;

const BUMP_HEAD_SQL = `
  INSERT INTO doc_heads (doc, last_seq) VALUES ($1, $2)
  ON CONFLICT (doc) DO UPDATE SET last_seq = doc_heads.last_seq + excluded.last_seq
  RETURNING last_seq`;

const UPSERT_SNAPSHOT_SQL = `
  INSERT INTO doc_snapshots (doc, snapshot, through_seq, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (doc) DO UPDATE
    SET snapshot = excluded.snapshot, through_seq = excluded.through_seq, updated_at = excluded.updated_at
    WHERE doc_snapshots.through_seq <= excluded.through_seq`;

const PENDING_SQL = `
  SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc = $1`;

/** Largest multi-row INSERT, in rows (3 parameters each). A power of two. */
const MAX_INSERT_ROWS = 128;

/**
 * Multi-row INSERTs for 1, 2, 4 … MAX_INSERT_ROWS rows. A batch is written as
 * a sum of these sizes, so only a handful of distinct statements exist (the
 * SQLite adapter caches prepared statements by text) and a batch of n rows
 * takes at most about n/128 + log2(128) round trips.
 */
function insertStatements(): Map<number, string> {
  const statements = new Map<number, string>();
  for (let size = 1; size <= MAX_INSERT_ROWS; size *= 2) {
    const values: string[] = [];
    for (let r = 0; r < size; r++) values.push(`($${3 * r + 1}, $${3 * r + 2}, $${3 * r + 3})`);
    statements.set(size, `INSERT INTO doc_updates (doc, seq, data) VALUES ${values.join(', ')}`);
  }
  return statements;
}

async function insertUpdates(
  tx: Queryable,
  statements: Map<number, string>,
  items: readonly AppendItem[],
  seqs: readonly number[],
): Promise<void> {
  let start = 0;
  while (start < items.length) {
    let size = MAX_INSERT_ROWS;
    while (size > items.length - start) size >>= 1;
    const params = new Array<SqlValue>(size * 3);
    for (let r = 0; r < size; r++) {
      const item = items[start + r]!;
      params[3 * r] = item.doc;
      params[3 * r + 1] = seqs[start + r]!;
      params[3 * r + 2] = item.update;
    }
    await tx.execute(statements.get(size)!, params);
    start += size;
  }
}
