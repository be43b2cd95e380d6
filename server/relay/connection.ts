/**
 * One client's socket on one document: what it may do, what it owns of the
 * awareness, its rate budget, its liveness and, when it falls behind, its
 * merged backlog. State changes go through methods; nothing outside writes
 * its fields.
 */
import * as Y from 'yjs';
import type { Identity } from '../auth/identity.js';
import type { Access } from '../docs/kinds.js';
import { CloseReason, type CloseCode } from '../../shared/protocol.js';
import { updateFrame } from './frames.js';
import type { RelayLimits } from './limits.js';
import type { RelaySocket, SocketListener } from './socket.js';

export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Shared by every connection of a relay (one object, not closures per connection). */
export interface ConnectionHooks {
  onSent(bytes: number): void;
  onBacklog(conn: Connection): void;
  onMessage(conn: Connection, bytes: Uint8Array, isBinary: boolean): void;
  onClosed(conn: Connection): void;
}

export type Liveness = 'alive' | 'dead';

/** Listens to its own socket: what it receives goes to the relay through the hooks. */
export class Connection implements SocketListener {
  /** Awareness clientIDs this connection set; most readers never own one, so created lazily. */
  private owned: Set<number> | null = null;
  readonly messages: TokenBucket;
  private awarenessBucket: TokenBucket | null = null;
  lastSentAt: number;
  #closed = false;
  /** Set once the client has our sync step 2; awareness flows after that. */
  #synced = false;
  #needsAck = false;
  /** The peer sent bytes since the last liveness check. */
  #heard = false;
  #lastHeardAt: number;
  /** Updates held back while the socket's buffer is above the soft bound. */
  private backlog: Uint8Array[] | null = null;
  private backlogBytes = 0;
  private backlogSince = 0;

  constructor(
    readonly id: number,
    readonly socket: RelaySocket,
    readonly identity: Identity,
    readonly access: Access,
    private readonly limits: RelayLimits,
    private readonly hooks: ConnectionHooks,
    now: number,
  ) {
    this.lastSentAt = now;
    this.#lastHeardAt = now;
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
  }

  owns(clientId: number): boolean {
    return this.owned !== null && this.owned.has(clientId);
  }

  get ownedCount(): number {
    return this.owned === null ? 0 : this.owned.size;
  }

  claim(clientId: number): void {
    (this.owned ??= new Set()).add(clientId);
  }

  ownedClients(): Iterable<number> {
    return this.owned ?? [];
  }

  /** Spends one awareness message from the connection's budget; false when it is exhausted. */
  takeAwareness(now: number): boolean {
    this.awarenessBucket ??= new TokenBucket(
      this.limits.awarenessPerSecond,
      this.limits.awarenessBurst,
      now,
    );
    return this.awarenessBucket.take(now);
  }

  get canWrite(): boolean {
    return this.access === 'write';
  }

  get closed(): boolean {
    return this.#closed;
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** The client got our sync step 2; returns true the first time. */
  markSynced(): boolean {
    if (this.#synced) return false;
    this.#synced = true;
    return true;
  }

  /** Its writes must be acknowledged (our state vector, debounced). */
  requestAck(): void {
    this.#needsAck = true;
  }

  /** Whether an acknowledgement is due; clears it. */
  takeAck(): boolean {
    const due = this.#needsAck;
    this.#needsAck = false;
    return due;
  }

  message(bytes: Uint8Array, isBinary: boolean): void {
    this.hooks.onMessage(this, bytes, isBinary);
  }

  /** The peer sent bytes (part of a long frame, a pong): it is alive. */
  heard(): void {
    this.#heard = true;
  }

  ended(): void {
    this.hooks.onClosed(this);
  }

  /** Dead when nothing was heard from the peer for longer than the deadline. */
  liveness(now: number, deadAfterMs: number): Liveness {
    if (this.#heard) {
      this.#heard = false;
      this.#lastHeardAt = now;
    }
    return now - this.#lastHeardAt > deadAfterMs ? 'dead' : 'alive';
  }

  silentFor(now: number): number {
    return now - this.#lastHeardAt;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /** Updates are held back (merged) until the socket drains. */
  get backlogged(): boolean {
    return this.backlog !== null;
  }

  send(frame: Uint8Array, now: number): void {
    if (this.#closed) return;
    this.socket.send(frame);
    this.lastSentAt = now;
    this.hooks.onSent(frame.byteLength);
  }

  /**
   * Sends a document update, or holds it in a backlog (merged on flush) while
   * the socket cannot keep up, so a slow phone never stalls the others.
   */
  sendUpdate(update: Uint8Array, frame: Uint8Array, now: number): void {
    if (this.#closed) return;
    if (this.backlog === null && this.socket.bufferedAmount <= this.limits.sendBufferSoftBytes) {
      this.send(frame, now);
      return;
    }
    if (this.backlog === null) {
      this.backlog = [];
      this.backlogSince = now;
      this.hooks.onBacklog(this);
    }
    this.backlog.push(update);
    this.backlogBytes += update.byteLength;
  }

  /** Returns false when the connection should be closed as a slow consumer. */
  drainBacklog(now: number): boolean {
    if (this.backlog === null || this.#closed) return true;
    if (this.socket.bufferedAmount <= this.limits.sendBufferSoftBytes) {
      const merged = this.backlog.length === 1 ? this.backlog[0]! : Y.mergeUpdates(this.backlog);
      this.backlog = null;
      this.backlogBytes = 0;
      this.send(updateFrame(merged), now);
      return true;
    }
    if (this.backlogBytes > this.limits.sendBufferHardBytes) return false;
    return now - this.backlogSince < this.limits.slowConsumerGraceMs;
  }

  close(code: CloseCode, detail?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.backlog = null;
    // Close reasons are limited to 123 bytes by the protocol.
    const reason = (detail ? `${CloseReason[code]}: ${detail}` : CloseReason[code]).slice(0, 120);
    this.socket.close(code, reason);
  }

  /** Drops a dead peer's transport without a closing handshake. */
  terminate(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.backlog = null;
    this.socket.terminate();
  }

  /** The transport closed on its own (the peer left). */
  markClosed(): void {
    this.#closed = true;
    this.backlog = null;
  }
}
