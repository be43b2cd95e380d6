/** The `ws` WebSocket as a RelaySocket. */
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { RelaySocket, SocketListener } from './socket.js';

const toBytes = (data: RawData): Uint8Array => {
  const buf = Buffer.isBuffer(data)
    ? data
    : Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.from(data);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
};

const BINARY = { binary: true } as const;

/**
 * Wraps an accepted WebSocket; `raw` is the TCP socket under it, whose bytes
 * count as signs of life even in the middle of a long frame. A class, not
 * closures: one small object per connection (10 000 readers are the norm).
 */
export class WsRelaySocket implements RelaySocket {
  constructor(
    private readonly ws: WebSocket,
    private readonly raw: Duplex,
  ) {
    // Hold incoming frames until the relay has loaded the document.
    ws.pause();
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(frame: Uint8Array): void {
    this.ws.send(frame, BINARY);
  }

  close(code: number, reason: string): void {
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  terminate(): void {
    this.ws.terminate();
  }

  ping(): void {
    try {
      this.ws.ping();
    } catch {
      // Closing already; its close event reaches the listener.
    }
  }

  start(listener: SocketListener): void {
    this.ws.on('message', (data, isBinary) => listener.message(toBytes(data), isBinary));
    this.raw.on('data', () => listener.heard());
    this.ws.once('close', () => listener.ended());
    this.ws.resume();
  }
}
