/**
 * Metrics and logs of the relay, subscribed to its events (nothing in the
 * write path calls them).
 */
import type { Logger } from 'pino';
import { CloseReason, type CloseCode } from '../../shared/protocol.js';
import type { Metrics } from '../metrics.js';
import type { RelayEvents } from './events.js';

export function observeRelay(events: RelayEvents, metrics: Metrics, logger: Logger): void {
  events.on('connection-opened', () => {
    metrics.connectionsTotal.inc();
    metrics.connectionsOpen.inc();
  });
  events.on('connection-closed', ({ doc, connection, code, detail }) => {
    metrics.connectionsOpen.dec();
    if (code === null) return; // the peer left
    metrics.closes.inc({ code });
    const who = { doc, credential: connection.identity.credential.id, conn: connection.id };
    if (code === 'dead') {
      logger.info({ ...who, detail }, 'connection dead: no message or pong');
    } else if (detail !== null) {
      logger.warn(
        { ...who, code, reason: CloseReason[code as CloseCode], detail },
        'closing connection',
      );
    }
  });
  events.on('forged-write', ({ doc, connection, reason }) => {
    metrics.forgedWrites.inc();
    logger.warn(
      {
        doc,
        credential: connection.identity.credential.id,
        user: connection.identity.user.id,
        conn: connection.id,
        reason,
      },
      'forged write refused',
    );
  });
  events.on('refused', ({ code, detail, path }) => {
    metrics.closes.inc({ code });
    logger.info(
      { code, reason: CloseReason[code as CloseCode], detail, path },
      'websocket refused',
    );
  });
  events.on('loaded', ({ loadedDocs }) => metrics.docsLoaded.set(loadedDocs));
  events.on('unloaded', ({ loadedDocs }) => metrics.docsLoaded.set(loadedDocs));
  events.on('load-failed', ({ doc, error }) => {
    metrics.errors.inc({ kind: 'store-load' });
    logger.error({ err: error, doc }, 'document failed to load');
  });
  events.on('append-failed', ({ doc, error }) => {
    metrics.errors.inc({ kind: 'store-append' });
    logger.error({ doc, err: error }, 'store append failed; document reloads from the store');
  });
  events.on('compact-failed', ({ doc, error }) => {
    metrics.errors.inc({ kind: 'store-compact' });
    logger.warn({ doc, err: error }, 'compaction failed; will retry');
  });
  events.on('catch-up-failed', ({ doc, error }) => {
    metrics.errors.inc({ kind: 'store-catch-up' });
    logger.warn({ doc, err: error }, "loading another process's updates failed; will retry");
  });
  events.on('caught-up', ({ count }) => metrics.storeCaughtUp.inc(count));
}
