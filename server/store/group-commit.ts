import type { DocName } from '../../shared/ids.js';
import type { AppendItem, DocStore } from './types.js';

/** An append refused because an earlier append of the same doc failed while it waited. */
export class DependentAppendError extends Error {
  override readonly name = 'DependentAppendError';
  constructor(
    readonly doc: DocName,
    cause: unknown,
  ) {
    super(`an earlier append of ${doc} failed`, { cause });
  }
}

export interface GroupCommitOptions {
  /** Most appends written by one `appendMany`. Default 512. */
  readonly maxBatch?: number;
  /**
   * Called after every batch, for metrics and logs: its size, how long the
   * `appendMany` took (ms), and the error when it failed (every append in it
   * was then rejected with it). Exceptions it throws are ignored.
   */
  readonly onBatch?: (size: number, durationMs: number, error?: unknown) => void;
  /** Monotonic clock in ms for `durationMs`. Default performance.now. */
  readonly now?: () => number;
}

export interface GroupCommit {
  /** Resolves with the update's seq once it is durable; rejects if its batch failed. */
  append(doc: DocName, update: Uint8Array): Promise<number>;
  /** Starts writing now and resolves once every append made before the call has settled. */
  flush(): Promise<void>;
  /** Appends waiting for or being written (for metrics and back-pressure). */
  readonly pending: number;
}

/**
 * Group commit in front of a DocStore: appends that arrive while a batch is
 * being written — or in the same event-loop turn — are written together by
 * one `appendMany` (one transaction, one fsync). A failed batch rejects every
 * append in it with the store's error; nothing of it is stored.
 *
 * The first append after an idle period is written on `setImmediate`, which
 * gathers the appends of every message handled in the same I/O phase. While a
 * batch is in flight the next one accumulates and starts as soon as it ends.
 */
export function createGroupCommit(store: DocStore, options: GroupCommitOptions = {}): GroupCommit {
  const maxBatch = options.maxBatch ?? 512;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }
  const onBatch = options.onBatch;
  const now = options.now ?? (() => performance.now());

  // Parallel arrays instead of one object per append: the AppendItem and the
  // promise callbacks are the only per-append allocations.
  let items: AppendItem[] = [];
  let resolves: Array<(seq: number) => void> = [];
  let rejects: Array<(err: unknown) => void> = [];
  let inFlight = false;
  let scheduled = false;
  let inFlightCount = 0;
  /** Appends ever accepted / ever settled; flush() waits for `settled` to reach a target. */
  let accepted = 0;
  let settled = 0;
  const flushWaiters: Array<{ readonly target: number; readonly resolve: () => void }> = [];

  const run = (): void => {
    scheduled = false;
    if (inFlight || items.length === 0) return;

    let batch: AppendItem[];
    let batchResolves: Array<(seq: number) => void>;
    let batchRejects: Array<(err: unknown) => void>;
    if (items.length <= maxBatch) {
      batch = items;
      batchResolves = resolves;
      batchRejects = rejects;
      items = [];
      resolves = [];
      rejects = [];
    } else {
      batch = items.splice(0, maxBatch);
      batchResolves = resolves.splice(0, maxBatch);
      batchRejects = rejects.splice(0, maxBatch);
    }

    inFlight = true;
    inFlightCount = batch.length;
    const started = now();
    let result: Promise<number[]>;
    try {
      result = store.appendMany(batch);
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (seqs) => {
        if (seqs.length !== batch.length) {
          fail(new Error(`appendMany returned ${seqs.length} seqs for ${batch.length} updates`));
          return;
        }
        report(undefined);
        for (let i = 0; i < seqs.length; i++) batchResolves[i]!(seqs[i]!);
        done();
      },
      (err: unknown) => fail(err),
    );

    function fail(err: unknown): void {
      report(err);
      for (let i = 0; i < batchRejects.length; i++) batchRejects[i]!(err);
      // Appends to the same docs that arrived while this batch was written
      // may depend on what it lost (the next edit of the same text): storing
      // them would leave updates whose dependencies are gone. They fail too;
      // their writers still hold both and resend them on reconnect.
      const lost = new Set(batch.map((item) => item.doc));
      const keep: number[] = [];
      for (let i = 0; i < items.length; i++) {
        if (lost.has(items[i]!.doc)) rejects[i]!(new DependentAppendError(items[i]!.doc, err));
        else keep.push(i);
      }
      if (keep.length < items.length) {
        const dropped = items.length - keep.length;
        items = keep.map((i) => items[i]!);
        resolves = keep.map((i) => resolves[i]!);
        rejects = keep.map((i) => rejects[i]!);
        settled += dropped;
      }
      done();
    }
    function report(error: unknown): void {
      if (!onBatch) return;
      const durationMs = now() - started;
      try {
        if (error === undefined) onBatch(batch.length, durationMs);
        else onBatch(batch.length, durationMs, error);
      } catch {
        // A metrics callback must not break persistence.
      }
    }
    function done(): void {
      inFlight = false;
      inFlightCount = 0;
      settled += batch.length;
      while (flushWaiters.length > 0 && flushWaiters[0]!.target <= settled)
        flushWaiters.shift()!.resolve();
      // Appends that arrived meanwhile form the next batch right away.
      if (items.length > 0) run();
    }
  };

  return {
    append(doc: DocName, update: Uint8Array): Promise<number> {
      const promise = new Promise<number>((resolve, reject) => {
        resolves.push(resolve);
        rejects.push(reject);
      });
      items.push({ doc, update });
      accepted++;
      if (!inFlight && !scheduled) {
        scheduled = true;
        setImmediate(run);
      }
      return promise;
    },

    flush(): Promise<void> {
      if (settled >= accepted) return Promise.resolve();
      const target = accepted;
      const promise = new Promise<void>((resolve) => flushWaiters.push({ target, resolve }));
      run(); // no-op while a batch is in flight; the pending ones follow it
      return promise;
    },

    get pending(): number {
      return items.length + inFlightCount;
    },
  };
}
