/** The `ws` WebSocket as a RelaySocket. */
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { RelaySocket } from './socket.js';

const toBytes = (data: RawData): Uint8Array => {
  const buf = Buffer.isBuffer(data)
    ? data
    : Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.from(data);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
};

/**
 * Wraps an accepted WebSocket; `raw` is the TCP socket under it, whose bytes
 * count as signs of life even in the middle of a long frame.
 */
export function wsRelaySocket(ws: WebSocket, raw: Duplex): RelaySocket {
  // Hold incoming frames until the relay has loaded the document.
  ws.pause();
  return {
    get open() {
      return ws.readyState === ws.OPEN;
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    send(frame) {
      ws.send(frame, { binary: true });
    },
    close(code, reason) {
      try {
        ws.close(code, reason);
      } catch {
        ws.terminate();
      }
    },
    terminate() {
      ws.terminate();
    },
    ping() {
      try {
        ws.ping();
      } catch {
        // Closing already; its close event reaches the listener.
      }
    },
    start(listener) {
      ws.on('message', (data, isBinary) => listener.message(toBytes(data), isBinary));
      raw.on('data', () => listener.heard());
      ws.once('close', () => listener.closed());
      ws.resume();
    },
  };
}
