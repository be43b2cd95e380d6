import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import {
  awarenessFrame,
  CloseCode,
  ProtocolError,
  queryAwarenessFrame,
  readMessage,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from './protocol.js';

const bytes = (...v: number[]) => Uint8Array.from(v);

function codeOf(frame: Uint8Array, limits?: Parameters<typeof readMessage>[1]): number {
  try {
    readMessage(frame, limits);
  } catch (err) {
    if (err instanceof ProtocolError) return err.code;
    throw err;
  }
  return 0;
}

describe('protocol frames', () => {
  it('reads back every message it writes', () => {
    expect(readMessage(syncStep1Frame(bytes(1, 2)))).toEqual({
      type: 'sync-step1',
      stateVector: bytes(1, 2),
    });
    expect(readMessage(syncStep2Frame(bytes(3)))).toEqual({
      type: 'sync-step2',
      update: bytes(3),
    });
    expect(readMessage(updateFrame(bytes(4)))).toEqual({ type: 'sync-update', update: bytes(4) });
    expect(readMessage(awarenessFrame(bytes(5)))).toEqual({
      type: 'awareness',
      payload: bytes(5),
    });
    expect(readMessage(queryAwarenessFrame())).toEqual({ type: 'query-awareness' });
  });

  it('names the close code of every broken frame', () => {
    expect(codeOf(bytes())).toBe(CloseCode.invalidPayload);
    expect(codeOf(bytes(0))).toBe(CloseCode.invalidPayload);
    expect(codeOf(bytes(0, 9, 0))).toBe(CloseCode.unsupportedData);
    expect(codeOf(bytes(2, 0, 0))).toBe(CloseCode.unsupportedData);
    expect(codeOf(bytes(7))).toBe(CloseCode.unsupportedData);
    expect(codeOf(bytes(0, 2, 5, 1))).toBe(CloseCode.invalidPayload); // truncated payload
    const trailing = encoding.createEncoder();
    encoding.writeUint8Array(trailing, updateFrame(bytes(1)));
    encoding.writeVarUint(trailing, 0);
    expect(codeOf(encoding.toUint8Array(trailing))).toBe(CloseCode.invalidPayload);
    expect(codeOf(bytes(3, 0))).toBe(CloseCode.invalidPayload); // query-awareness takes nothing
  });

  it('refuses updates and awareness over the limits, but not a large sync step 2', () => {
    const big = new Uint8Array(100);
    const limits = { maxUpdateBytes: 50, maxAwarenessBytes: 50 };
    expect(codeOf(updateFrame(big), limits)).toBe(CloseCode.messageTooBig);
    expect(codeOf(syncStep1Frame(big), limits)).toBe(CloseCode.messageTooBig);
    expect(codeOf(awarenessFrame(big), limits)).toBe(CloseCode.messageTooBig);
    expect(codeOf(syncStep2Frame(big), limits)).toBe(0);
  });
});
