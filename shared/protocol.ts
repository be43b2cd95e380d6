/**
 * The wire protocol spoken at /ws/<docName>: exactly y-websocket's framing
 * (one protocol message per WebSocket frame), plus the close codes the relay
 * uses. 4400–4499: do not reconnect. 4500–4599: try again later.
 *
 * One module for all of it, as y-protocols keeps each message as a
 * write/read pair: the constants, the frame writers and the typed reader,
 * used by the relay, the app's acknowledgement tracking, the tests and the
 * bench.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Top-level message types of y-websocket (first varUint of every frame). */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of a sync message (y-protocols/sync). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/** Sub-type of an auth message (y-protocols/auth). */
export const AuthMessageType = { permissionDenied: 0 } as const;

export const CloseCode = {
  /** Graceful shutdown; the client reconnects. */
  restart: 1012,
  /** A text frame or an unknown message type. */
  unsupportedData: 1003,
  /** A frame or update that does not decode. */
  invalidPayload: 1007,
  /** A frame over the size limit. */
  messageTooBig: 1009,
  badDocName: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  /**
   * A board write that sets, changes or deletes what only another user may
   * (their vote, a card's author, a comment's author) or hard-deletes a card,
   * column or comment; nothing of it was applied.
   */
  forgedWrite: 4422,
  /** Rate limit or flood (awareness, messages): retry later. */
  rateLimited: 4529,
  /** The store refused a write; nothing was applied, retry later. */
  storeFailed: 4503,
  /** The connection's send buffer stayed above the bound; reconnect and resync. */
  slowConsumer: 4508,
  /** The server is overloaded or the document is unavailable. */
  overloaded: 4502,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Does the stock client's reconnect loop need to stop for this code? */
export const isPermanentClose = (code: number): boolean => code >= 4400 && code < 4500;

export const CloseReason: Record<CloseCode, string> = {
  [CloseCode.restart]: 'server restarting',
  [CloseCode.unsupportedData]: 'unsupported data',
  [CloseCode.invalidPayload]: 'invalid payload',
  [CloseCode.messageTooBig]: 'message too big',
  [CloseCode.badDocName]: 'bad document name',
  [CloseCode.unauthenticated]: 'unauthenticated',
  [CloseCode.forbidden]: 'forbidden',
  [CloseCode.forgedWrite]: 'forged-write',
  [CloseCode.rateLimited]: 'rate limited',
  [CloseCode.storeFailed]: 'store write failed',
  [CloseCode.slowConsumer]: 'slow consumer',
  [CloseCode.overloaded]: 'overloaded',
};

// ── frames ────────────────────────────────────────────────────────────────

function frame(type: number, sub: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (sub !== null) encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: a state vector (the relay's is also its acknowledgement and keepalive). */
export const syncStep1Frame = (stateVector: Uint8Array): Uint8Array =>
  frame(MessageType.sync, SyncMessageType.step1, stateVector);

/** Sync step 2: what the other side lacks, as one update. */
export const syncStep2Frame = (update: Uint8Array): Uint8Array =>
  frame(MessageType.sync, SyncMessageType.step2, update);

export const updateFrame = (update: Uint8Array): Uint8Array =>
  frame(MessageType.sync, SyncMessageType.update, update);

export const awarenessFrame = (awarenessUpdate: Uint8Array): Uint8Array =>
  frame(MessageType.awareness, null, awarenessUpdate);

export const queryAwarenessFrame = (): Uint8Array => Uint8Array.of(MessageType.queryAwareness);

// ── reading ───────────────────────────────────────────────────────────────

export type ProtocolMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  /** Sync step 2 or update: a write. */
  | { readonly type: 'sync-step2' | 'sync-update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly payload: Uint8Array }
  | { readonly type: 'query-awareness' };

/** A frame that breaks the protocol; a relay closes the connection with `code`. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: CloseCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadLimits {
  /** Largest sync step 1 or update frame, bytes (a step 2 may be larger). */
  readonly maxUpdateBytes: number;
  readonly maxAwarenessBytes: number;
}

const NO_LIMITS: ReadLimits = { maxUpdateBytes: Infinity, maxAwarenessBytes: Infinity };

/**
 * One frame → one typed message, or a ProtocolError naming the close code:
 * structure and sizes only. Auth messages are sent by servers only.
 */
export function readMessage(bytes: Uint8Array, limits: ReadLimits = NO_LIMITS): ProtocolMessage {
  const decoder = decoding.createDecoder(bytes);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch {
    throw new ProtocolError(CloseCode.invalidPayload, 'empty frame');
  }
  switch (type) {
    case MessageType.sync:
      return readSync(decoder, bytes.byteLength, limits);
    case MessageType.awareness:
      if (bytes.byteLength > limits.maxAwarenessBytes) {
        throw new ProtocolError(CloseCode.messageTooBig, 'awareness update too large');
      }
      return { type: 'awareness', payload: readPayload(decoder) };
    case MessageType.queryAwareness:
      expectEnd(decoder);
      return { type: 'query-awareness' };
    case MessageType.auth:
      throw new ProtocolError(
        CloseCode.unsupportedData,
        'auth messages are sent by the server only',
      );
    default:
      throw new ProtocolError(CloseCode.unsupportedData, `unknown message type ${type}`);
  }
}

/**
 * The rest of a sync message, after its type: also how a client handler that
 * is given a decoder positioned there reads it (pass a clone to peek).
 */
export function readSync(
  decoder: decoding.Decoder,
  frameBytes: number,
  limits: ReadLimits = NO_LIMITS,
): ProtocolMessage {
  let sub: number;
  try {
    sub = decoding.readVarUint(decoder);
  } catch {
    throw new ProtocolError(CloseCode.invalidPayload, 'truncated sync message');
  }
  const large = frameBytes > limits.maxUpdateBytes;
  if (sub === SyncMessageType.step1) {
    if (large) throw new ProtocolError(CloseCode.messageTooBig, 'sync step 1 too large');
    return { type: 'sync-step1', stateVector: readPayload(decoder) };
  }
  if (sub !== SyncMessageType.step2 && sub !== SyncMessageType.update) {
    throw new ProtocolError(CloseCode.unsupportedData, `unknown sync message type ${sub}`);
  }
  if (sub === SyncMessageType.update && large) {
    throw new ProtocolError(CloseCode.messageTooBig, `update of ${frameBytes} bytes`);
  }
  const update = readPayload(decoder);
  return { type: sub === SyncMessageType.step2 ? 'sync-step2' : 'sync-update', update };
}

/** The message's one length-prefixed payload, with nothing after it. */
function readPayload(decoder: decoding.Decoder): Uint8Array {
  let payload: Uint8Array;
  try {
    payload = decoding.readVarUint8Array(decoder);
  } catch (err) {
    throw new ProtocolError(
      CloseCode.invalidPayload,
      `malformed message: ${(err as Error).message}`,
    );
  }
  expectEnd(decoder);
  return payload;
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(CloseCode.invalidPayload, 'trailing bytes after message');
  }
}
