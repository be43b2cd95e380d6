/**
 * What the relay needs of a client's transport. `ws` implements it
 * (`ws-socket.ts`), the HTTP transport will, and tests use an in-memory
 * pair they flush explicitly (`test-support/socket-pair.ts`).
 */
export interface SocketListener {
  /** One protocol message (one frame). */
  message(bytes: Uint8Array, isBinary: boolean): void;
  /** The peer sent bytes (part of a long frame, a pong): it is alive. */
  heard(): void;
  /** The transport closed, for whatever reason; called once. */
  ended(): void;
}

export interface RelaySocket {
  /** False once closing or closed. */
  readonly open: boolean;
  /** Bytes queued for the peer and not yet written (backpressure). */
  readonly bufferedAmount: number;
  send(frame: Uint8Array): void;
  /** Closes with a code the client sees (4400–4499: do not reconnect). */
  close(code: number, reason: string): void;
  /** Drops the transport at once, without a closing handshake (a dead peer). */
  terminate(): void;
  /** Asks the peer to show it is alive (a transport without pings may do nothing). */
  ping(): void;
  /** Starts delivering what the peer sends; until then it is held. Called once. */
  start(listener: SocketListener): void;
}
