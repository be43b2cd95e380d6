/**
 * The relay's periodic work: keepalives and expired credentials, liveness
 * (pings, dead peers), draining slow readers' backlogs, and the revocation
 * poll. Each sweep only asks the relay to close a connection; none of them
 * touches another module's state.
 */
import type { Logger } from 'pino';
import { CloseCode } from '../../shared/protocol.js';
import type { RevocationFeed } from '../auth/revocations.js';
import type { Connection } from './connection.js';
import type { DocRoom } from './doc-room.js';
import type { RelayLimits } from './limits.js';

export interface SweepTarget {
  rooms(): Iterable<DocRoom>;
  /** Connections whose updates are held back, drained by the backlog sweep. */
  readonly backlogged: Set<Connection>;
  roomOf(conn: Connection): DocRoom | undefined;
  close(conn: Connection, room: DocRoom, code: CloseCode | 'dead', detail: string): void;
  closeCredential(credentialId: string, code: CloseCode): number;
}

export interface SweepDeps {
  readonly limits: RelayLimits;
  readonly now: () => number;
  readonly logger: Logger;
  readonly revocations: RevocationFeed;
  readonly revokedAfter: number;
}

/** Starts every sweep; returns the function that stops them. */
export function startSweeps(target: SweepTarget, deps: SweepDeps): () => void {
  const { limits, now } = deps;
  const every = (ms: number, fn: () => void): NodeJS.Timeout => {
    const timer = setInterval(fn, ms);
    timer.unref();
    return timer;
  };

  // Every connection gets an application message at least every keepaliveMs
  // (WebSocket pings do not reach the stock client's watchdog); expired
  // credentials lose their sockets.
  const keepalive = every(Math.max(50, Math.floor(limits.keepaliveMs / 3)), () => {
    const t = now();
    for (const room of target.rooms()) {
      for (const conn of room.connections) {
        if (!conn.backlogged && t - conn.lastSentAt >= limits.keepaliveMs)
          conn.send(room.step1Frame(), t);
      }
    }
    for (const room of target.rooms()) {
      for (const conn of [...room.connections]) {
        const exp = conn.identity.expiresAt;
        if (exp !== null && exp <= t)
          target.close(conn, room, CloseCode.unauthenticated, 'credential expired');
      }
    }
  });

  // Dead peers: a reception PC that lost the network keeps its socket (and
  // its presence, "editing" for everyone) until TCP gives up, minutes later.
  const liveness = every(Math.max(20, limits.pingIntervalMs), () => {
    const t = now();
    for (const room of target.rooms()) {
      for (const conn of [...room.connections]) {
        if (conn.liveness(t, limits.deadAfterMs) === 'dead') {
          target.close(conn, room, 'dead', `silent for ${conn.silentFor(t)} ms`);
        } else {
          conn.socket.ping();
        }
      }
    }
  });

  const drainer = every(25, () => {
    if (target.backlogged.size === 0) return;
    const t = now();
    for (const conn of [...target.backlogged]) {
      if (conn.drainBacklog(t)) {
        if (!conn.backlogged) target.backlogged.delete(conn);
        continue;
      }
      target.backlogged.delete(conn);
      const room = target.roomOf(conn);
      if (room)
        target.close(
          conn,
          room,
          CloseCode.slowConsumer,
          `send buffer ${conn.bufferedAmount} bytes`,
        );
    }
  });

  // Polled by seq, which the database orders (never by timestamps: a clock
  // ahead of the revoker's, or a slow commit, would skip a revocation).
  let revokedAfter = deps.revokedAfter;
  let polling = false;
  const revocation = every(limits.revocationPollMs, () => {
    if (polling) return;
    polling = true;
    deps.revocations
      .since(revokedAfter)
      .then(({ ids, seq }) => {
        revokedAfter = seq;
        for (const id of ids) target.closeCredential(id, CloseCode.unauthenticated);
      })
      .catch((err: unknown) => deps.logger.warn({ err }, 'revocation poll failed'))
      .finally(() => (polling = false));
  });

  return () => {
    for (const timer of [keepalive, liveness, drainer, revocation]) clearInterval(timer);
  };
}
