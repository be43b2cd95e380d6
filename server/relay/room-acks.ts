/**
 * Writers learn which of their changes reached the server: after a short
 * debounce, once everything applied is durable, each writer due an
 * acknowledgement gets our sync step 1 (the state vector with nothing in
 * flight). One timer per room, whatever the number of writers.
 */
import type { Connection } from './connection.js';

export class RoomAcks {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly room: {
      readonly connections: ReadonlySet<Connection>;
      afterDurable(fn: () => void): void;
      step1Frame(): Uint8Array;
    },
    private readonly debounceMs: number,
    private readonly now: () => number,
  ) {}

  request(conn: Connection): void {
    conn.requestAck();
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.room.afterDurable(() => this.send());
    }, this.debounceMs);
    this.timer.unref();
  }

  private send(): void {
    const now = this.now();
    for (const c of this.room.connections) if (c.takeAck()) c.send(this.room.step1Frame(), now);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
