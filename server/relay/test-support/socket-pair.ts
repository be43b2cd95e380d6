/**
 * An in-memory socket pair for relay tests: the server half is a
 * RelaySocket handed to `relay.connect`, the client half speaks the browser
 * WebSocket API, so the unmodified y-websocket client runs over it. Nothing
 * moves until the test flushes: `network.flush()` delivers every queued
 * frame in both directions, `network.settle()` flushes until nothing is in
 * flight (appends included). No ports, no sleeps.
 *
 * What `ws` itself enforces is not emulated: it refuses a frame over
 * `maxFrameBytes` before the relay sees it (tests of that run over real ws).
 */
import { parseDocName } from '../../../shared/ids.js';
import type { Identity } from '../../auth/identity.js';
import { accessTo, type BoardLookup } from '../../docs/kinds.js';
import type { Relay } from '../relay.js';
import type { RelaySocket, SocketListener } from '../socket.js';

type Frame = { readonly data: Uint8Array; readonly binary: boolean };

export class SocketPair {
  readonly toServer: Frame[] = [];
  readonly toClient: Frame[] = [];
  /** The close code and reason the relay sent, or 'terminated', or null while open. */
  closedBy: { code: number; reason: string } | 'terminated' | null = null;
  clientClosed = false;
  pings = 0;
  /** A ping awaits its pong, which a client that reads answers on the next flush (as browsers do). */
  private pongDue = false;
  /**
   * What the server half reports as not yet written (tests of slow readers
   * set it); while reading is paused, the frames held for the client count too.
   */
  bufferedAmount = 0;
  /** A client that stopped reading: frames for it stay queued (see `pauseReading`). */
  private readPaused = false;
  private queuedToClientBytes = 0;
  private listener: SocketListener | null = null;
  onClientFrame: ((data: Uint8Array) => void) | null = null;
  onClientClose: ((code: number, reason: string) => void) | null = null;
  private serverCloseDelivered = false;
  private clientCloseDelivered = false;

  readonly server: RelaySocket;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.server = {
      get open() {
        return self.closedBy === null && !self.clientClosed;
      },
      get bufferedAmount() {
        return self.bufferedAmount + (self.readPaused ? self.queuedToClientBytes : 0);
      },
      send(frame) {
        if (self.closedBy !== null) return;
        self.toClient.push({ data: Uint8Array.from(frame), binary: true });
        self.queuedToClientBytes += frame.byteLength;
      },
      close(code, reason) {
        if (self.closedBy === null) self.closedBy = { code, reason };
      },
      terminate() {
        if (self.closedBy === null) self.closedBy = 'terminated';
      },
      ping() {
        self.pings++;
        self.pongDue = true;
      },
      start(listener) {
        self.listener = listener;
      },
    };
  }

  /** The client sends a frame (queued until flushed); a string goes as a text frame. */
  clientSend(data: Uint8Array | string): void {
    if (this.clientClosed || this.closedBy !== null) return;
    this.toServer.push(
      typeof data === 'string'
        ? { data: new TextEncoder().encode(data), binary: false }
        : { data: Uint8Array.from(data), binary: true },
    );
  }

  /**
   * The client stops reading (a phone in a tunnel): what the server sends
   * stays queued and counts in the server half's `bufferedAmount`, as it
   * would in a real socket's buffers.
   */
  pauseReading(): void {
    this.readPaused = true;
  }

  resumeReading(): void {
    this.readPaused = false;
  }

  /** Frames queued for the client and not yet delivered. */
  get pendingToClient(): number {
    return this.toClient.length;
  }

  /** The client goes away (the peer closes). */
  clientClose(): void {
    if (this.clientClosed) return;
    this.clientClosed = true;
  }

  /** Moves queued frames; returns how many moved (closes count too). */
  flush(): number {
    let moved = 0;
    if (this.listener) {
      while (this.toServer.length > 0 && this.closedBy === null) {
        const frame = this.toServer.shift()!;
        this.listener.heard();
        this.listener.message(frame.data, frame.binary);
        moved++;
      }
    }
    while (this.toClient.length > 0 && !this.readPaused) {
      const frame = this.toClient.shift()!;
      this.queuedToClientBytes -= frame.data.byteLength;
      this.onClientFrame?.(frame.data);
      moved++;
    }
    if (this.pongDue && !this.readPaused && !this.clientClosed && this.closedBy === null) {
      this.pongDue = false;
      this.listener?.heard();
    }
    const closing = this.closedBy !== null || this.clientClosed;
    if (closing && !this.serverCloseDelivered) {
      this.serverCloseDelivered = true;
      this.toServer.length = 0;
      this.listener?.ended();
      moved++;
    }
    // A client that stopped reading sees the close after what was queued before it.
    if (closing && !this.clientCloseDelivered && (this.clientClosed || !this.readPaused)) {
      this.clientCloseDelivered = true;
      const by = this.closedBy;
      this.onClientClose?.(
        by === null ? 1000 : by === 'terminated' ? 1006 : by.code,
        by === null || by === 'terminated' ? '' : by.reason,
      );
      moved++;
    }
    return moved;
  }
}

export interface MemoryNetworkOptions {
  /** The identity behind a `?token=` value (null: refused with 4401, as the relay would). */
  readonly identify: (token: string) => Identity | null;
  /** A registered board's clinic and archived flag (null: unregistered). */
  readonly board?: (boardId: string) => BoardLookup | null;
}

/**
 * Connects clients to a relay through socket pairs. `WebSocket` is a class
 * to hand to y-websocket's `WebSocketPolyfill`.
 */
export class MemoryNetwork {
  readonly pairs: SocketPair[] = [];
  readonly WebSocket: typeof globalThis.WebSocket;

  constructor(
    readonly relay: Relay,
    private readonly options: MemoryNetworkOptions,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const network = this;
    this.WebSocket = class MemoryWebSocket {
      static readonly CONNECTING = 0;
      static readonly OPEN = 1;
      static readonly CLOSING = 2;
      static readonly CLOSED = 3;
      readonly CONNECTING = 0;
      readonly OPEN = 1;
      readonly CLOSING = 2;
      readonly CLOSED = 3;
      readyState = 0;
      binaryType = 'arraybuffer';
      onopen: ((ev: unknown) => void) | null = null;
      onmessage: ((ev: { data: ArrayBuffer }) => void) | null = null;
      onclose: ((ev: { code: number; reason: string }) => void) | null = null;
      onerror: ((ev: unknown) => void) | null = null;
      readonly pair: SocketPair;
      private readonly listeners = new Map<string, Set<(ev: unknown) => void>>();
      constructor(url: string) {
        this.pair = network.open(url);
        this.pair.onClientFrame = (data) => {
          const copy = data.slice();
          this.dispatch('message', { data: copy.buffer });
        };
        this.pair.onClientClose = (code, reason) => {
          this.readyState = 3;
          this.dispatch('close', { code, reason });
        };
        // Opens on the next flush, like a real handshake.
        queueMicrotask(() => {
          if (this.readyState !== 0) return;
          this.readyState = 1;
          this.dispatch('open', {});
        });
      }
      addEventListener(type: string, fn: (ev: unknown) => void): void {
        let set = this.listeners.get(type);
        if (!set) this.listeners.set(type, (set = new Set()));
        set.add(fn);
      }
      removeEventListener(type: string, fn: (ev: unknown) => void): void {
        this.listeners.get(type)?.delete(fn);
      }
      private dispatch(type: 'open' | 'message' | 'close', ev: unknown): void {
        const handler = (this as unknown as Record<string, ((ev: unknown) => void) | null>)[
          `on${type}`
        ];
        handler?.(ev);
        for (const fn of this.listeners.get(type) ?? []) fn(ev);
      }
      send(data: ArrayBuffer | Uint8Array): void {
        this.pair.clientSend(data instanceof Uint8Array ? data : new Uint8Array(data));
      }
      close(): void {
        if (this.readyState >= 2) return;
        this.readyState = 2;
        this.pair.clientClose();
      }
    } as unknown as typeof globalThis.WebSocket;
  }

  /** Opens a pair on `<prefix>/<docName>?token=…`, authorised as the relay's upgrade would. */
  open(url: string): SocketPair {
    const parsedUrl = new URL(url, 'ws://memory.invalid');
    const p = new SocketPair();
    this.pairs.push(p);
    const name = decodeURIComponent(parsedUrl.pathname.split('/').pop() ?? '');
    const token = parsedUrl.searchParams.get('token');
    let doc;
    try {
      doc = parseDocName(name);
    } catch {
      p.server.close(4400, 'bad document name');
      return p;
    }
    const identity = token ? this.options.identify(token) : null;
    if (!identity) {
      p.server.close(4401, 'unauthenticated');
      return p;
    }
    const board = async (id: string) => this.options.board?.(id) ?? null;
    void accessTo(identity, doc, { board }).then((access) => {
      if (access === 'none') p.server.close(4403, 'forbidden');
      else this.relay.connect(p.server, doc, identity, access);
    });
    return p;
  }

  /** One round of delivery on every pair; returns how many frames moved. */
  flush(): number {
    let moved = 0;
    for (const p of this.pairs) moved += p.flush();
    return moved;
  }

  /**
   * Flushes until nothing moves for a whole macrotask turn (appends resolve,
   * rooms load, providers answer). Bounded: throws if traffic never stops.
   */
  async settle(maxRounds = 1000): Promise<void> {
    let quiet = 0;
    for (let round = 0; round < maxRounds; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.flush() === 0) {
        if (++quiet >= 3) return;
      } else quiet = 0;
    }
    throw new Error(`network did not settle after ${maxRounds} rounds`);
  }
}
