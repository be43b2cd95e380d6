/**
 * The relay: y-websocket's protocol spoken to the unmodified client, one
 * message per frame, over any RelaySocket (`ws` through `upgrade.ts`; tests
 * through an in-memory pair). It owns the connections — who is where, under
 * which credential — and turns each typed message into a room operation.
 * See README.md in this folder for the path of one update.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import { parseDocName, type DocName, type ParsedDocName } from '../../shared/ids.js';
import { CloseCode } from '../../shared/protocol.js';
import type { AuthRefusal, Identity } from '../auth/identity.js';
import { DOC_KIND_SPECS, type Access, type DocLookups } from '../docs/kinds.js';
import type { RevocationFeed } from '../auth/revocations.js';
import type { DocStore } from '../store/types.js';
import { BoardGuard, type GuardedRoom } from './board-guard.js';
import { createMemoryClientRegistry, type ClientRegistry } from './client-registry.js';
import { Connection } from './connection.js';
import type { DocRoom } from './doc-room.js';
import { createRelayEvents, type RelayEvents } from './events.js';
import type { RelayLimits } from './limits.js';
import { ProtocolError, readMessage, type RelayMessage } from './message-reader.js';
import { RoomRegistry } from './room-registry.js';
import { createServerChanges } from './server-changes.js';
import type { RelaySocket } from './socket.js';
import { createRelayStats, type RelayStats } from './stats.js';
import { startSweeps } from './sweeps.js';
import { createWsHost } from './upgrade.js';
import { checkUpdate } from './validate.js';

export { StoreUnavailableError } from './server-changes.js';
export { redactedPath } from './upgrade.js';

export interface RelayDeps {
  readonly store: DocStore;
  /** Durable append (group-committed); resolves with the update's sequence number. */
  readonly append: (doc: DocName, update: Uint8Array) => Promise<number>;
  readonly limits: RelayLimits;
  readonly logger: Logger;
  readonly now: () => number;
  /** Per-frame counters (read by the metrics); default: a private set. */
  readonly stats?: RelayStats;
  /**
   * Resolves the credential of an upgrade request: null when there is none or
   * it is invalid (4401), or a refusal with its own code (e.g. 4403 for a
   * session cookie sent from another origin).
   */
  readonly authenticate: (req: IncomingMessage, url: URL) => Promise<Identity | AuthRefusal | null>;
  /** A registered board's clinic and archived flag, or null (server/boards/board-lookup.ts). */
  readonly board: DocLookups['board'];
  /**
   * The revocation log (server/auth/revocations.ts), polled so that a
   * revocation made by another process closes this one's sockets too.
   * `revokedAfter` is where polling starts: the log's head when the server
   * started (no socket of this process is older).
   */
  readonly revocations: RevocationFeed;
  readonly revokedAfter: number;
  /**
   * Who owns each Yjs clientID of a board document (the forged-write guard,
   * `board-guard.ts`). Default: in memory — one process only; a server
   * passes the database's.
   */
  readonly clientRegistry?: ClientRegistry;
}

export interface Relay {
  /** What the relay announces: metrics, logs and (later) pub/sub subscribe. */
  readonly events: RelayEvents;
  /** Handles an HTTP upgrade under /ws/; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Serves an authorised socket of any transport on one document. */
  connect(socket: RelaySocket, doc: ParsedDocName, identity: Identity, access: Access): void;
  /** Closes every socket opened with this credential. */
  closeCredential(credentialId: string, code: CloseCode): number;
  /**
   * Closes every socket open on this document here — or only those whose
   * access `only` picks — e.g. 1012 when a board is archived: clients
   * reconnect and are authorised afresh, read-only.
   */
  closeDoc(
    doc: DocName,
    code: CloseCode,
    detail: string,
    only?: (access: Access) => boolean,
  ): number;
  /** Documents with at least one socket open on this instance, with the access of each socket. */
  openDocs(): { readonly doc: DocName; readonly access: readonly Access[] }[];
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

export function createRelay(deps: RelayDeps): Relay {
  const { limits, logger, now } = deps;
  const stats = deps.stats ?? createRelayStats();
  const events = createRelayEvents((err) => logger.error({ err }, 'a relay event listener failed'));
  const registry = new RoomRegistry({
    store: deps.store,
    append: deps.append,
    limits,
    now,
    events,
  });
  const byCredential = new Map<string, Set<Connection>>();
  const roomOf = new Map<Connection, DocRoom>();
  const backlogged = new Set<Connection>();
  const clientRegistry = deps.clientRegistry ?? createMemoryClientRegistry();
  /** The forged-write guard of each loaded room whose kind judges writes (boards); null for the others. */
  const guards = new WeakMap<DocRoom, BoardGuard | null>();
  let connectionCount = 0;
  let nextConnectionId = 1;
  let stopping: Promise<void> | null = null;

  const connectionHooks = {
    onSent(bytes: number) {
      stats.framesOut++;
      stats.bytesOut += bytes;
    },
    onBacklog(conn: Connection) {
      backlogged.add(conn);
    },
    onMessage(conn: Connection, bytes: Uint8Array, isBinary: boolean) {
      const room = roomOf.get(conn);
      if (room) onMessage(conn, room, bytes, isBinary);
    },
    onClosed(conn: Connection) {
      const room = roomOf.get(conn);
      if (room) detach(conn, room, null, null);
    },
  };

  function connect(
    socket: RelaySocket,
    doc: ParsedDocName,
    identity: Identity,
    access: Access,
  ): void {
    registry.get(doc.name).then(
      (room) => {
        if (!socket.open) return;
        if (stopping) {
          socket.close(CloseCode.restart, 'server restarting');
          return;
        }
        registry.keep(room);
        const conn = new Connection(
          nextConnectionId++,
          socket,
          identity,
          access,
          limits,
          connectionHooks,
          now(),
        );
        room.join(conn);
        roomOf.set(conn, room);
        connectionCount++;
        let set = byCredential.get(identity.credential.id);
        if (!set) byCredential.set(identity.credential.id, (set = new Set()));
        set.add(conn);
        events.emit({ type: 'connection-opened', doc: room.name, connection: conn });
        // Any bytes count as signs of life, not only whole messages: a slow
        // phone uploading a large offline sync cannot answer pings mid-frame.
        socket.start(conn);
        conn.send(room.step1Frame(), now());
      },
      () => socket.close(CloseCode.overloaded, 'overloaded'),
    );
  }

  /** Removes a connection from its room; `code` is what the relay closed it with (null: the peer left). */
  function detach(
    conn: Connection,
    room: DocRoom,
    code: CloseCode | 'dead' | null,
    detail: string | null,
  ): void {
    conn.markClosed();
    if (!room.leave(conn)) return;
    roomOf.delete(conn);
    connectionCount--;
    backlogged.delete(conn);
    const set = byCredential.get(conn.identity.credential.id);
    set?.delete(conn);
    if (set?.size === 0) byCredential.delete(conn.identity.credential.id);
    room.awareness.removeOwnedBy(conn);
    events.emit({ type: 'connection-closed', doc: room.name, connection: conn, code, detail });
    if (room.connections.size === 0) registry.restartIdle(room);
  }

  /** Closes a connection with a code the client sees ('dead': dropped without a handshake). */
  function close(
    conn: Connection,
    room: DocRoom,
    code: CloseCode | 'dead',
    detail: string | null,
  ): void {
    if (conn.closed) return;
    if (code === 'dead') conn.terminate();
    else conn.close(code, detail ?? undefined);
    detach(conn, room, code, detail);
  }

  function onMessage(conn: Connection, room: DocRoom, bytes: Uint8Array, isBinary: boolean): void {
    if (conn.closed) return;
    stats.bytesIn += bytes.byteLength;
    try {
      if (!isBinary) throw new ProtocolError(CloseCode.unsupportedData, 'text frame');
      if (!conn.messages.take(now()))
        throw new ProtocolError(CloseCode.rateLimited, 'too many messages');
      if (room.failed) throw new ProtocolError(CloseCode.storeFailed, 'document reloading');
      const message = readMessage(bytes, limits);
      stats.messagesIn[message.type]++;
      handle(conn, room, message);
    } catch (err) {
      if (err instanceof ProtocolError) close(conn, room, err.code, err.message);
      else close(conn, room, CloseCode.invalidPayload, (err as Error).message ?? 'error');
    }
  }

  function handle(conn: Connection, room: DocRoom, message: RelayMessage): void {
    switch (message.type) {
      case 'sync-step1':
        room.answerStep1(conn, message.stateVector);
        return;
      case 'sync-step2':
      case 'sync-update': {
        if (!conn.canWrite) {
          stats.writesDropped++;
          return;
        }
        const problem = checkUpdate(message.update);
        if (problem) throw new ProtocolError(CloseCode.invalidPayload, problem);
        const guard = guardOf(room);
        if (guard) guardedWrite(guard, conn, room, message.update);
        else applyWrite(conn, room, message.update);
        return;
      }
      case 'awareness':
        if (conn.canWrite) {
          room.awareness.receive(conn, message.payload, () => conn.takeAwareness(now()));
          guardOf(room)?.claimPresence(conn.ownedClients(), conn.identity.user.id);
        }
        return;
      case 'query-awareness':
        if (conn.canWrite) conn.send(room.awareness.snapshotFrame(), now());
        return;
    }
  }

  function applyWrite(conn: Connection, room: DocRoom, update: Uint8Array): void {
    // Part of it depends on structs we lack: ask the client for everything we miss.
    if (room.applyClientUpdate(conn, update) === 'missing-deps')
      conn.send(room.step1Frame(), now());
  }

  /** The room's forged-write guard if its document kind judges writes (kinds.ts), else null. */
  function guardOf(room: DocRoom): BoardGuard | null {
    let guard = guards.get(room);
    if (guard === undefined) {
      guard = DOC_KIND_SPECS[parseDocName(room.name).kind].judgesWrites
        ? new BoardGuard(guardedRoom(room), clientRegistry, now)
        : null;
      guards.set(room, guard);
    }
    return guard;
  }

  function guardedRoom(room: DocRoom): GuardedRoom {
    return {
      name: room.name,
      doc: room.doc,
      get failed() {
        return room.failed;
      },
      catchUp: () => room.catchUp(),
      presenceUserOf(clientId: number) {
        for (const c of room.connections) if (c.owns(clientId)) return c.identity.user.id;
        return undefined;
      },
    };
  }

  /** A board write: applied once the guard judged it (maybe later, in order), or refused with 4422. */
  function guardedWrite(
    guard: BoardGuard,
    conn: Connection,
    room: DocRoom,
    update: Uint8Array,
  ): void {
    guard.submit(conn, update, {
      apply: () => applyWrite(conn, room, update),
      refuse: (reason) => {
        events.emit({ type: 'forged-write', doc: room.name, connection: conn, reason });
        close(conn, room, CloseCode.forgedWrite, reason);
      },
      fail: (err) => {
        if (err instanceof ProtocolError) return close(conn, room, err.code, err.message);
        events.emit({ type: 'catch-up-failed', doc: room.name, error: err });
        close(conn, room, CloseCode.storeFailed, 'could not check the write, retry');
      },
    });
  }

  function closeCredential(credentialId: string, code: CloseCode): number {
    const set = byCredential.get(credentialId);
    if (!set) return 0;
    let n = 0;
    for (const conn of [...set]) {
      const room = roomOf.get(conn);
      if (room) close(conn, room, code, 'credential revoked');
      n++;
    }
    return n;
  }

  function closeDoc(
    doc: DocName,
    code: CloseCode,
    detail: string,
    only: (access: Access) => boolean = () => true,
  ): number {
    const room = [...registry.all()].find((r) => r.name === doc);
    if (!room) return 0;
    const conns = [...room.connections].filter((conn) => only(conn.access));
    for (const conn of conns) close(conn, room, code, detail);
    return conns.length;
  }

  function openDocs() {
    const out: { doc: DocName; access: Access[] }[] = [];
    for (const room of registry.all()) {
      if (room.connections.size > 0)
        out.push({ doc: room.name, access: [...room.connections].map((c) => c.access) });
    }
    return out;
  }

  const host = createWsHost({
    limits,
    events,
    now,
    authenticate: deps.authenticate,
    board: deps.board,
    isStopping: () => stopping !== null,
    onAuthError: (err) => logger.error({ err }, 'authentication failed unexpectedly'),
    connect,
  });

  const stopSweeps = startSweeps(
    {
      rooms: () => registry.all(),
      backlogged,
      roomOf: (conn) => roomOf.get(conn),
      close,
      closeCredential,
    },
    { limits, now, logger, revocations: deps.revocations, revokedAfter: deps.revokedAfter },
  );

  const changes = createServerChanges(registry, () => stopping !== null);

  function stop(): Promise<void> {
    stopping ??= (async () => {
      stopSweeps();
      await registry.loadsSettled();
      for (const room of registry.all()) {
        for (const conn of [...room.connections]) {
          conn.close(CloseCode.restart);
          detach(conn, room, CloseCode.restart, null);
        }
      }
      // Flush: every change applied must be durable before the final snapshots.
      await registry.stop();
      host.close();
    })();
    return stopping;
  }

  return {
    events,
    handleUpgrade: host.handleUpgrade,
    connect,
    closeCredential,
    closeDoc,
    openDocs,
    ...changes,
    isOnline: (credentialId) => (byCredential.get(credentialId)?.size ?? 0) > 0,
    get roomCount() {
      return registry.size;
    },
    get connectionCount() {
      return connectionCount;
    },
    stop,
  };
}
