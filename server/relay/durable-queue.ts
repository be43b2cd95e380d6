/**
 * A room's changes in flight, in the order they were applied: each waits
 * for its append, and whatever must not happen before a change is durable
 * (a relay, a sync answer, an acknowledgement) waits behind it here.
 */
import type { ChangeOrigin } from './origin.js';

export interface PendingChange {
  readonly update: Uint8Array;
  readonly origin: ChangeOrigin;
  /** The store's seq, once durable. */
  seq: number;
  durable: boolean;
  waiters: (() => void)[] | null;
  /** Told when the append fails (server-side changes answer their caller with an error). */
  failers: ((err: unknown) => void)[] | null;
}

export class DurableQueue {
  private readonly pending: PendingChange[] = [];

  get size(): number {
    return this.pending.length;
  }

  push(update: Uint8Array, origin: ChangeOrigin): PendingChange {
    const entry: PendingChange = {
      update,
      origin,
      seq: 0,
      durable: false,
      waiters: null,
      failers: null,
    };
    this.pending.push(entry);
    return entry;
  }

  /** Runs `fn` once every change queued so far is durable (`onFail` if an append fails first). */
  afterDurable(fn: () => void, onFail?: (err: unknown) => void): void {
    const last = this.pending[this.pending.length - 1];
    if (last === undefined) fn();
    else {
      (last.waiters ??= []).push(fn);
      if (onFail) (last.failers ??= []).push(onFail);
    }
  }

  /** Removes and returns the run of durable changes at the head (in order). */
  takeDurable(): PendingChange[] {
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.durable) n++;
    return n === 0 ? [] : this.pending.splice(0, n);
  }

  /** An append failed: every change in flight is lost; tells their callers. */
  failAll(error: unknown): void {
    for (const p of this.pending) if (p.failers) for (const f of p.failers) f(error);
    this.pending.length = 0;
  }
}
