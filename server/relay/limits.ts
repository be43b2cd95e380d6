/** Tunables of the relay; every one is a config setting with these defaults. */
export interface RelayLimits {
  /** Largest live update (sync update message), bytes. Over it: close 1009. */
  maxUpdateBytes: number;
  /** Largest frame at all (a client's sync step 2 may carry days of offline edits). */
  maxFrameBytes: number;
  /** Largest awareness frame, bytes. */
  maxAwarenessBytes: number;
  /** Largest JSON of one awareness state, bytes. */
  maxAwarenessStateBytes: number;
  /** How many awareness clientIDs one connection may own. */
  maxOwnedClients: number;
  /** Messages per second a connection may send (sustained) and its burst. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Awareness messages per second (sustained) and burst. */
  awarenessPerSecond: number;
  awarenessBurst: number;
  /** Above this many buffered bytes, updates for a reader are merged instead of sent. */
  sendBufferSoftBytes: number;
  /** A reader whose buffer stays above soft for this long, or whose backlog passes hard, is closed. */
  sendBufferHardBytes: number;
  slowConsumerGraceMs: number;
  /** Every connection receives an application message at least this often. */
  keepaliveMs: number;
  /** Debounce of the state-vector acknowledgement sent to writers. */
  ackDebounceMs: number;
  /** A doc with no connections for this long is compacted and unloaded. */
  idleUnloadMs: number;
  /** Compact a doc into one snapshot after this many updates or bytes. */
  compactAfterUpdates: number;
  compactAfterBytes: number;
  /** How often revoked credentials are polled from the database. */
  revocationPollMs: number;
  /** A WebSocket ping goes to every connection this often. */
  pingIntervalMs: number;
  /**
   * A connection heard from (a message or a pong) not for this long is dead:
   * dropped with its presence, instead of waiting minutes for TCP to give up
   * on a laptop that lost the network.
   */
  deadAfterMs: number;
}

export const defaultRelayLimits: RelayLimits = {
  maxUpdateBytes: 2 * 1024 * 1024,
  maxFrameBytes: 64 * 1024 * 1024,
  maxAwarenessBytes: 1024 * 1024,
  maxAwarenessStateBytes: 16 * 1024,
  maxOwnedClients: 4,
  messagesPerSecond: 200,
  messageBurst: 1000,
  awarenessPerSecond: 60,
  awarenessBurst: 300,
  sendBufferSoftBytes: 256 * 1024,
  sendBufferHardBytes: 16 * 1024 * 1024,
  slowConsumerGraceMs: 15_000,
  keepaliveMs: 10_000,
  ackDebounceMs: 150,
  idleUnloadMs: 30_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  revocationPollMs: 2_000,
  pingIntervalMs: 4_000,
  deadAfterMs: 10_000,
};
