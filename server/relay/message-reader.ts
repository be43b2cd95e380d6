/**
 * Incoming frames → one typed message, or a ProtocolError naming the close
 * code. Structure and size only; what a message may do (read-only drops,
 * update validation, awareness ownership) is the relay's business.
 */
import * as decoding from 'lib0/decoding';
import { CloseCode, MessageType, SyncMessageType } from '../../shared/protocol.js';
import type { RelayLimits } from './limits.js';
import { checkStateVector } from './validate.js';

export type RelayMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  /** Sync step 2 or update: a write. */
  | { readonly type: 'sync-step2' | 'sync-update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly payload: Uint8Array }
  | { readonly type: 'query-awareness' };

/** A frame the relay refuses; the connection closes with `code`. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: CloseCode,
    message: string,
  ) {
    super(message);
  }
}

type ReaderLimits = Pick<RelayLimits, 'maxUpdateBytes' | 'maxAwarenessBytes'>;

export function readMessage(bytes: Uint8Array, limits: ReaderLimits): RelayMessage {
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
      if (sub === SyncMessageType.step1) {
        if (large) throw new ProtocolError(CloseCode.messageTooBig, 'sync step 1 too large');
        const stateVector = readPayload(decoder);
        const problem = checkStateVector(stateVector);
        if (problem) throw new ProtocolError(CloseCode.invalidPayload, problem);
        return { type: 'sync-step1', stateVector };
      }
      if (sub !== SyncMessageType.step2 && sub !== SyncMessageType.update) {
        throw new ProtocolError(CloseCode.unsupportedData, `unknown sync message type ${sub}`);
      }
      if (sub === SyncMessageType.update && large) {
        throw new ProtocolError(CloseCode.messageTooBig, `update of ${bytes.byteLength} bytes`);
      }
      const update = readPayload(decoder);
      return { type: sub === SyncMessageType.step2 ? 'sync-step2' : 'sync-update', update };
    }
    case MessageType.awareness: {
      if (bytes.byteLength > limits.maxAwarenessBytes) {
        throw new ProtocolError(CloseCode.messageTooBig, 'awareness update too large');
      }
      return { type: 'awareness', payload: readPayload(decoder) };
    }
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
