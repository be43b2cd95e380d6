/**
 * The y-websocket relay at /ws/<docName>: authenticates at the upgrade,
 * always completes the handshake and then closes with a code when it must
 * refuse (browsers cannot see an HTTP refusal), and speaks y-websocket's
 * protocol to the unmodified client, one message per frame.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import type * as Y from 'yjs';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  InvalidIdError,
  parseDocName,
  type DocName,
  type ParsedDocName,
} from '../../shared/ids.js';
import { CloseCode, CloseReason, MessageType, SyncMessageType } from '../../shared/protocol.js';
import type { AuthRefusal, Identity } from '../auth/identity.js';
import type { RevocationFeed } from '../auth/revocations.js';
import { accessFor, type Access } from '../auth/policy.js';
import type { Metrics } from '../metrics.js';
import type { DocStore } from '../store/types.js';
import { AwarenessDecodeError, decodeAwarenessUpdate, stampState } from './awareness.js';
import { Connection } from './connection.js';
import { DocRoom } from './doc-room.js';
import type { RelayLimits } from './limits.js';
import { checkStateVector, checkUpdate } from './validate.js';

export interface RelayDeps {
  readonly store: DocStore;
  /** Durable append (group-committed); resolves with the update's sequence number. */
  readonly append: (doc: DocName, update: Uint8Array) => Promise<number>;
  readonly limits: RelayLimits;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
  /**
   * Resolves the credential of an upgrade request: null when there is none or
   * it is invalid (4401), or a refusal with its own code (e.g. 4403 for a
   * session cookie sent from another origin).
   */
  readonly authenticate: (req: IncomingMessage, url: URL) => Promise<Identity | AuthRefusal | null>;
  /** Clinic a board is registered to, or null. */
  readonly boardClinic: (boardId: string) => Promise<string | null>;
  /**
   * The revocation log (server/auth/revocations.ts), polled so that a
   * revocation made by another process closes this one's sockets too.
   * `revokedAfter` is where polling starts: the log's head when the server
   * started (no socket of this process is older).
   */
  readonly revocations: RevocationFeed;
  readonly revokedAfter: number;
}

export interface Relay {
  /** Handles an HTTP upgrade under /ws/; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every socket opened with this credential. */
  closeCredential(credentialId: string, code: CloseCode): number;
  /**
   * A change the server makes (HTTP API): runs `fn` — one shared domain
   * operation — on the live document, stores what it changed, relays it to
   * every connection, and resolves with `fn`'s result once durable. Rejects
   * with StoreUnavailableError when the store write fails (nothing changed).
   */
  change<T>(doc: DocName, fn: (doc: Y.Doc) => T): Promise<T>;
  /** Like `change`, over several documents edited together (e.g. a ticket and its staff record). */
  changeMany<T>(docs: readonly DocName[], fn: (docs: Y.Doc[]) => T): Promise<T>;
  /** Reads the live document (loading it if needed), after every change in flight is durable. */
  read<T>(doc: DocName, fn: (doc: Y.Doc) => T): Promise<T>;
  /** Whether a socket opened with this credential is open on this instance now. */
  isOnline(credentialId: string): boolean;
  readonly roomCount: number;
  readonly connectionCount: number;
  /** Stops accepting, closes sockets with 1012, compacts loaded docs. Idempotent. */
  stop(): Promise<void>;
}

/** A server-side change could not be stored: nothing changed; try again later. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly doc: DocName,
    options?: { cause?: unknown },
  ) {
    super(`document ${doc} could not be stored`, options);
  }
}

class ProtocolError extends Error {
  constructor(
    readonly code: CloseCode,
    message: string,
  ) {
    super(message);
  }
}

export function createRelay(deps: RelayDeps): Relay {
  const { limits, logger, metrics, now } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const rooms = new Map<DocName, DocRoom>();
  const loading = new Map<DocName, Promise<DocRoom>>();
  const byCredential = new Map<string, Set<Connection>>();
  const roomOf = new Map<Connection, DocRoom>();
  const backlogged = new Set<Connection>();
  let connectionCount = 0;
  let nextConnectionId = 1;
  let stopping: Promise<void> | null = null;
  let revokedAfter = deps.revokedAfter;

  const connectionHooks = {
    onSent(bytes: number) {
      metrics.out.frames++;
      metrics.out.bytes += bytes;
    },
    onBacklog(conn: Connection) {
      backlogged.add(conn);
    },
  };

  const roomDeps = {
    store: deps.store,
    append: async (doc: DocName, update: Uint8Array) => {
      const end = metrics.storeAppendSeconds.startTimer();
      try {
        return await deps.append(doc, update);
      } finally {
        end();
      }
    },
    limits,
    now,
    onFailed(room: DocRoom, err: unknown) {
      metrics.errors.inc({ kind: 'store-append' });
      logger.error({ doc: room.name, err }, 'store append failed; document reloads from the store');
      if (rooms.get(room.name) === room) rooms.delete(room.name);
      metrics.docsLoaded.set(rooms.size);
      room.destroy();
    },
    onCompactFailed(room: DocRoom, err: unknown) {
      metrics.errors.inc({ kind: 'store-compact' });
      logger.warn({ doc: room.name, err }, 'compaction failed; will retry');
    },
    onCaughtUp(_room: DocRoom, count: number) {
      metrics.storeCaughtUp.inc(count);
    },
    onCatchUpFailed(room: DocRoom, err: unknown) {
      metrics.errors.inc({ kind: 'store-catch-up' });
      logger.warn({ doc: room.name, err }, "loading another process's updates failed; will retry");
    },
  };

  async function getRoom(name: DocName): Promise<DocRoom> {
    const existing = rooms.get(name);
    if (existing) return existing;
    let p = loading.get(name);
    if (!p) {
      p = deps.store.load(name).then((stored) => {
        const room = new DocRoom(name, stored, roomDeps);
        rooms.set(name, room);
        metrics.docsLoaded.set(rooms.size);
        return room;
      });
      loading.set(name, p);
      p.finally(() => loading.delete(name)).catch(() => {});
    }
    return p;
  }

  function scheduleUnload(room: DocRoom): void {
    if (room.idleTimer) clearTimeout(room.idleTimer);
    room.idleTimer = setTimeout(() => {
      room.idleTimer = null;
      if (!room.idle || rooms.get(room.name) !== room) return;
      rooms.delete(room.name);
      metrics.docsLoaded.set(rooms.size);
      room.compact().finally(() => room.destroy());
    }, limits.idleUnloadMs);
    room.idleTimer.unref();
  }

  /** Completes the handshake only to close it with a code the client can see. */
  function refuse(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    code: CloseCode,
    detail: string,
  ) {
    metrics.closes.inc({ code });
    logger.info(
      { code, reason: CloseReason[code], detail, path: redactedPath(req) },
      'websocket refused',
    );
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(code, CloseReason[code]));
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    if (!url.pathname.startsWith('/ws/')) return false;
    socket.on('error', () => {});
    if (stopping) {
      refuse(req, socket, head, CloseCode.restart, 'shutting down');
      return true;
    }
    let parsed: ParsedDocName;
    try {
      parsed = parseDocName(decodeURIComponent(url.pathname.slice(4)));
    } catch (err) {
      refuse(
        req,
        socket,
        head,
        CloseCode.badDocName,
        err instanceof InvalidIdError ? err.message : 'undecodable',
      );
      return true;
    }
    void authorize(req, url, parsed).then(
      (result) => {
        if (socket.destroyed) return;
        if ('refuse' in result) {
          refuse(req, socket, head, result.refuse, result.detail);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) =>
          accept(ws, socket, parsed, result.identity, result.access),
        );
      },
      (err: unknown) => {
        metrics.errors.inc({ kind: 'auth' });
        logger.error({ err }, 'authentication failed unexpectedly');
        if (!socket.destroyed) refuse(req, socket, head, CloseCode.overloaded, 'auth unavailable');
      },
    );
    return true;
  }

  async function authorize(
    req: IncomingMessage,
    url: URL,
    doc: ParsedDocName,
  ): Promise<{ refuse: CloseCode; detail: string } | { identity: Identity; access: Access }> {
    const identity = await deps.authenticate(req, url);
    if (identity && 'refuse' in identity)
      return { refuse: identity.refuse, detail: identity.detail };
    if (!identity) return { refuse: CloseCode.unauthenticated, detail: 'no valid credential' };
    if (identity.expiresAt !== null && identity.expiresAt <= now()) {
      return { refuse: CloseCode.unauthenticated, detail: 'credential expired' };
    }
    const boardClinic = doc.kind === 'board' ? await deps.boardClinic(doc.id) : null;
    const access = accessFor(identity, doc, { boardClinic });
    if (access === 'none')
      return {
        refuse: CloseCode.forbidden,
        detail: `${identity.role} of ${identity.clinicId} on ${doc.name}`,
      };
    return { identity, access };
  }

  function accept(
    ws: WebSocket,
    socket: Duplex,
    doc: ParsedDocName,
    identity: Identity,
    access: Access,
  ): void {
    // Hold incoming frames until the document is loaded and the connection registered.
    ws.pause();
    let conn: Connection | null = null;
    let room: DocRoom | null = null;
    ws.on('error', (err) => logger.debug({ err, doc: doc.name }, 'websocket error'));
    ws.on('close', () => {
      if (conn && room) detach(conn, room);
    });
    getRoom(doc.name).then(
      (r) => {
        if (ws.readyState !== ws.OPEN) return;
        room = r;
        if (room.idleTimer) {
          clearTimeout(room.idleTimer);
          room.idleTimer = null;
        }
        const c = new Connection(
          nextConnectionId++,
          ws,
          identity,
          access,
          limits,
          connectionHooks,
          now(),
        );
        conn = c;
        room.connections.add(c);
        roomOf.set(c, room);
        connectionCount++;
        metrics.connectionsTotal.inc();
        metrics.connectionsOpen.inc();
        let set = byCredential.get(identity.credential.id);
        if (!set) byCredential.set(identity.credential.id, (set = new Set()));
        set.add(c);
        ws.on('message', (data, isBinary) => onMessage(c, r, data, isBinary));
        // Any bytes count, not only whole messages: a slow phone uploading a
        // large offline sync cannot answer pings until its frame is sent.
        socket.on('data', () => (c.heard = true));
        c.send(r.step1Frame(), now());
        ws.resume();
      },
      (err: unknown) => {
        metrics.errors.inc({ kind: 'store-load' });
        logger.error({ err, doc: doc.name }, 'document failed to load');
        ws.close(CloseCode.overloaded, CloseReason[CloseCode.overloaded]);
      },
    );
  }

  function detach(conn: Connection, room: DocRoom): void {
    conn.closed = true;
    if (!room.connections.delete(conn)) return;
    roomOf.delete(conn);
    connectionCount--;
    metrics.connectionsOpen.dec();
    backlogged.delete(conn);
    const set = byCredential.get(conn.identity.credential.id);
    set?.delete(conn);
    if (set?.size === 0) byCredential.delete(conn.identity.credential.id);
    room.removeAwarenessOf(conn);
    if (room.connections.size === 0 && rooms.get(room.name) === room) scheduleUnload(room);
  }

  function closeWith(conn: Connection, room: DocRoom, code: CloseCode, detail: string): void {
    if (conn.closed) return;
    metrics.closes.inc({ code });
    logger.warn(
      {
        code,
        reason: CloseReason[code],
        detail,
        doc: room.name,
        credential: conn.identity.credential.id,
        conn: conn.id,
      },
      'closing connection',
    );
    conn.close(code, detail);
    detach(conn, room);
  }

  function onMessage(conn: Connection, room: DocRoom, data: RawData, isBinary: boolean): void {
    if (conn.closed) return;
    const t = now();
    const buf = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    metrics.bytesIn.inc(buf.byteLength);
    try {
      if (!isBinary) throw new ProtocolError(CloseCode.unsupportedData, 'text frame');
      if (!conn.messages.take(t))
        throw new ProtocolError(CloseCode.rateLimited, 'too many messages');
      if (room.failed) throw new ProtocolError(CloseCode.storeFailed, 'document reloading');
      dispatch(conn, room, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    } catch (err) {
      if (err instanceof ProtocolError) {
        closeWith(conn, room, err.code, err.message);
      } else {
        metrics.errors.inc({ kind: 'message' });
        closeWith(conn, room, CloseCode.invalidPayload, (err as Error).message ?? 'error');
      }
    }
  }

  function readEnd<T>(decoder: decoding.Decoder, read: () => T): T {
    let value: T;
    try {
      value = read();
    } catch (err) {
      throw new ProtocolError(
        CloseCode.invalidPayload,
        `malformed message: ${(err as Error).message}`,
      );
    }
    if (decoding.hasContent(decoder)) {
      throw new ProtocolError(CloseCode.invalidPayload, 'trailing bytes after message');
    }
    return value;
  }

  function dispatch(conn: Connection, room: DocRoom, bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes);
    let type: number;
    try {
      type = decoding.readVarUint(decoder);
    } catch {
      throw new ProtocolError(CloseCode.invalidPayload, 'empty frame');
    }
    const large = bytes.byteLength > limits.maxUpdateBytes;
    switch (type) {
      case MessageType.sync: {
        let sub: number;
        try {
          sub = decoding.readVarUint(decoder);
        } catch {
          throw new ProtocolError(CloseCode.invalidPayload, 'truncated sync message');
        }
        metrics.messagesIn.inc({ type: `sync-${sub}` });
        if (sub === SyncMessageType.step1) {
          if (large) throw new ProtocolError(CloseCode.messageTooBig, 'sync step 1 too large');
          const sv = readEnd(decoder, () => decoding.readVarUint8Array(decoder));
          const problem = checkStateVector(sv);
          if (problem) throw new ProtocolError(CloseCode.invalidPayload, problem);
          room.answerStep1(conn, sv);
          return;
        }
        if (sub !== SyncMessageType.step2 && sub !== SyncMessageType.update) {
          throw new ProtocolError(CloseCode.unsupportedData, `unknown sync message type ${sub}`);
        }
        if (sub === SyncMessageType.update && large) {
          throw new ProtocolError(CloseCode.messageTooBig, `update of ${bytes.byteLength} bytes`);
        }
        const update = readEnd(decoder, () => decoding.readVarUint8Array(decoder));
        if (!conn.canWrite) {
          metrics.writesDropped.inc();
          return;
        }
        const problem = checkUpdate(update);
        if (problem) throw new ProtocolError(CloseCode.invalidPayload, problem);
        const result = room.applyClientUpdate(conn, update);
        // Part of it depends on structs we lack: ask the client for everything we miss.
        if (result === 'missing-deps') conn.send(room.step1Frame(), now());
        return;
      }
      case MessageType.awareness: {
        metrics.messagesIn.inc({ type: 'awareness' });
        if (bytes.byteLength > limits.maxAwarenessBytes) {
          throw new ProtocolError(CloseCode.messageTooBig, 'awareness update too large');
        }
        const payload = readEnd(decoder, () => decoding.readVarUint8Array(decoder));
        if (!conn.canWrite) return;
        if (!conn.takeAwareness(now())) {
          throw new ProtocolError(CloseCode.rateLimited, 'awareness flood');
        }
        let entries;
        try {
          entries = decodeAwarenessUpdate(payload, 10_000);
        } catch (err) {
          throw new ProtocolError(CloseCode.invalidPayload, (err as AwarenessDecodeError).message);
        }
        for (const e of entries) {
          if (e.json.length > limits.maxAwarenessStateBytes && conn.owns(e.clientId)) {
            throw new ProtocolError(CloseCode.rateLimited, 'awareness state too large');
          }
        }
        const user = conn.identity.user;
        const ok = room.applyAwareness(
          conn,
          entries.filter((e) => e.json.length <= limits.maxAwarenessStateBytes),
          (json) => stampState(json, user),
        );
        if (!ok) throw new ProtocolError(CloseCode.rateLimited, 'too many awareness clients');
        return;
      }
      case MessageType.queryAwareness: {
        metrics.messagesIn.inc({ type: 'query-awareness' });
        readEnd(decoder, () => undefined);
        if (conn.canWrite) conn.send(room.awarenessSnapshotFrame(), now());
        return;
      }
      case MessageType.auth:
        throw new ProtocolError(
          CloseCode.unsupportedData,
          'auth messages are sent by the server only',
        );
      default:
        throw new ProtocolError(CloseCode.unsupportedData, `unknown message type ${type}`);
    }
  }

  function closeCredential(credentialId: string, code: CloseCode): number {
    const set = byCredential.get(credentialId);
    if (!set) return 0;
    let n = 0;
    for (const conn of [...set]) {
      const room = roomOf.get(conn);
      if (room) closeWith(conn, room, code, 'credential revoked');
      n++;
    }
    return n;
  }

  // ── server-side changes (HTTP API) ─────────────────────────────────────

  /** Runs `fn` on loaded rooms; rooms that failed meanwhile are reloaded once. */
  async function withRooms<T>(
    names: readonly DocName[],
    fn: (rooms: DocRoom[]) => Promise<T>,
  ): Promise<T> {
    if (stopping) throw new StoreUnavailableError(names[0]!);
    for (let attempt = 0; ; attempt++) {
      const loaded = await Promise.all(names.map(getRoom));
      try {
        return await fn(loaded);
      } catch (err) {
        const failed = loaded.find((r) => r.failed);
        if (!failed) throw err;
        if (attempt >= 1) throw new StoreUnavailableError(failed.name, { cause: err });
      } finally {
        for (const room of loaded)
          if (room.idle && rooms.get(room.name) === room && !room.idleTimer) scheduleUnload(room);
      }
    }
  }

  function changeMany<T>(names: readonly DocName[], fn: (docs: Y.Doc[]) => T): Promise<T> {
    return withRooms(names, async (loaded) => {
      for (const room of loaded) room.beginLocal();
      let outcome: { value: T } | { error: unknown };
      try {
        outcome = { value: fn(loaded.map((r) => r.doc)) };
      } catch (error) {
        outcome = { error };
      }
      // A throwing transaction still commits what it did: keep the store in step.
      await Promise.all(loaded.map((r) => r.commitLocal()));
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    });
  }

  function change<T>(name: DocName, fn: (doc: Y.Doc) => T): Promise<T> {
    return changeMany([name], ([doc]) => fn(doc!));
  }

  function read<T>(name: DocName, fn: (doc: Y.Doc) => T): Promise<T> {
    return withRooms([name], async ([room]) => {
      await room!.whenDurable();
      return fn(room!.doc);
    });
  }

  // ── timers ─────────────────────────────────────────────────────────────

  const keepalive = setInterval(
    () => {
      const t = now();
      for (const room of rooms.values()) {
        for (const conn of room.connections) {
          if (conn.backlog === null && t - conn.lastSentAt >= limits.keepaliveMs)
            conn.send(room.step1Frame(), t);
        }
      }
      // Expired credentials lose their sockets too.
      for (const room of rooms.values()) {
        for (const conn of [...room.connections]) {
          const exp = conn.identity.expiresAt;
          if (exp !== null && exp <= t)
            closeWith(conn, room, CloseCode.unauthenticated, 'credential expired');
        }
      }
    },
    Math.max(50, Math.floor(limits.keepaliveMs / 3)),
  );
  keepalive.unref();

  // Dead peers: a reception PC that lost the network keeps its socket (and
  // its presence, "editing" for everyone) until TCP gives up, minutes later.
  // Browsers and ws answer pings by themselves.
  const liveness = setInterval(
    () => {
      const t = now();
      for (const room of rooms.values()) {
        for (const conn of [...room.connections]) {
          if (conn.heard) {
            conn.heard = false;
            conn.lastHeardAt = t;
          }
          if (t - conn.lastHeardAt > limits.deadAfterMs) {
            metrics.closes.inc({ code: 'dead' });
            logger.info(
              { doc: room.name, conn: conn.id, silentMs: t - conn.lastHeardAt },
              'connection dead: no message or pong',
            );
            conn.closed = true;
            conn.ws.terminate();
            detach(conn, room);
          } else {
            try {
              conn.ws.ping();
            } catch {
              // Closing already; its close event detaches it.
            }
          }
        }
      }
    },
    Math.max(20, limits.pingIntervalMs),
  );
  liveness.unref();

  const drainer = setInterval(() => {
    if (backlogged.size === 0) return;
    const t = now();
    for (const conn of [...backlogged]) {
      if (conn.drainBacklog(t)) {
        if (conn.backlog === null) backlogged.delete(conn);
        continue;
      }
      backlogged.delete(conn);
      const room = roomOf.get(conn);
      if (room)
        closeWith(
          conn,
          room,
          CloseCode.slowConsumer,
          `send buffer ${conn.ws.bufferedAmount} bytes`,
        );
    }
  }, 25);
  drainer.unref();

  // Polled by seq, which the database orders (never by timestamps: a clock
  // ahead of the revoker's, or a slow commit, would skip a revocation).
  let polling = false;
  const revocation = setInterval(() => {
    if (polling) return;
    polling = true;
    deps.revocations
      .since(revokedAfter)
      .then(({ ids, seq }) => {
        revokedAfter = seq;
        for (const id of ids) closeCredential(id, CloseCode.unauthenticated);
      })
      .catch((err: unknown) => logger.warn({ err }, 'revocation poll failed'))
      .finally(() => (polling = false));
  }, limits.revocationPollMs);
  revocation.unref();

  function stop(): Promise<void> {
    stopping ??= (async () => {
      clearInterval(keepalive);
      clearInterval(liveness);
      clearInterval(drainer);
      clearInterval(revocation);
      await Promise.allSettled([...loading.values()]);
      for (const room of rooms.values()) {
        for (const conn of [...room.connections]) {
          metrics.closes.inc({ code: CloseCode.restart });
          conn.close(CloseCode.restart);
          detach(conn, room);
        }
      }
      // Flush: every change applied must be durable before the final snapshots.
      await Promise.allSettled(
        [...rooms.values()].map(async (room) => {
          await Promise.race([room.whenDurable(), delay(10_000)]);
          await room.compact();
        }),
      );
      for (const room of rooms.values()) room.destroy();
      rooms.clear();
      wss.close();
    })();
    return stopping;
  }

  return {
    handleUpgrade,
    closeCredential,
    change,
    changeMany,
    read,
    isOnline: (credentialId) => (byCredential.get(credentialId)?.size ?? 0) > 0,
    get roomCount() {
      return rooms.size;
    },
    get connectionCount() {
      return connectionCount;
    },
    stop,
  };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The request path without its query string: tokens never reach the logs. */
export function redactedPath(req: IncomingMessage): string {
  const raw = req.url ?? '';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}
