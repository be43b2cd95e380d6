/**
 * Incoming frames → one typed message (shared/protocol.ts), with the state
 * vector of a sync step 1 checked too. What a message may do (read-only
 * drops, update validation, awareness ownership) is the relay's business.
 */
import {
  CloseCode,
  ProtocolError,
  readMessage as readProtocolMessage,
  type ProtocolMessage,
  type ReadLimits,
} from '../../shared/protocol.js';
import { checkStateVector } from './validate.js';

export { ProtocolError } from '../../shared/protocol.js';
export type RelayMessage = ProtocolMessage;

export function readMessage(bytes: Uint8Array, limits: ReadLimits): RelayMessage {
  const message = readProtocolMessage(bytes, limits);
  if (message.type === 'sync-step1') {
    const problem = checkStateVector(message.stateVector);
    if (problem) throw new ProtocolError(CloseCode.invalidPayload, problem);
  }
  return message;
}
