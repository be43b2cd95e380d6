/**
 * Outgoing frames, built once and sent as-is to every reader: one
 * y-websocket protocol message per WebSocket frame.
 */
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType } from '../../shared/protocol.js';

function frame(type: number, sub: number | null, payload: Uint8Array): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (sub !== null) encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  const bytes = encoding.toUint8Array(encoder);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const syncStep1Frame = (stateVector: Uint8Array): Buffer =>
  frame(MessageType.sync, SyncMessageType.step1, stateVector);

export const syncStep2Frame = (update: Uint8Array): Buffer =>
  frame(MessageType.sync, SyncMessageType.step2, update);

export const updateFrame = (update: Uint8Array): Buffer =>
  frame(MessageType.sync, SyncMessageType.update, update);

export const awarenessFrame = (awarenessUpdate: Uint8Array): Buffer =>
  frame(MessageType.awareness, null, awarenessUpdate);
