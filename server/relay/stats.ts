/**
 * Per-frame counters, kept as plain numbers on the hot path (one frame per
 * reader per update) and read by the Prometheus metrics when scraped.
 */
import type { RelayMessage } from './message-reader.js';

export interface RelayStats {
  framesOut: number;
  bytesOut: number;
  bytesIn: number;
  /** Writes from read-only connections, dropped. */
  writesDropped: number;
  /** Well-formed messages received, by type. */
  readonly messagesIn: Record<RelayMessage['type'], number>;
}

export const createRelayStats = (): RelayStats => ({
  framesOut: 0,
  bytesOut: 0,
  bytesIn: 0,
  writesDropped: 0,
  messagesIn: {
    'sync-step1': 0,
    'sync-step2': 0,
    'sync-update': 0,
    awareness: 0,
    'query-awareness': 0,
  },
});
