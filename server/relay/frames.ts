/**
 * Outgoing frames (written by shared/protocol.ts) as Buffers over the same
 * bytes: `ws` sends a Buffer as-is, so a frame built once for all readers
 * costs no conversion per reader.
 */
import * as protocol from '../../shared/protocol.js';

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const syncStep1Frame = (stateVector: Uint8Array): Buffer =>
  asBuffer(protocol.syncStep1Frame(stateVector));

export const syncStep2Frame = (update: Uint8Array): Buffer =>
  asBuffer(protocol.syncStep2Frame(update));

export const updateFrame = (update: Uint8Array): Buffer => asBuffer(protocol.updateFrame(update));

export const awarenessFrame = (awarenessUpdate: Uint8Array): Buffer =>
  asBuffer(protocol.awarenessFrame(awarenessUpdate));
