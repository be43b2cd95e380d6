/**
 * Relay-side awareness: decoded, checked and re-encoded by hand so the relay
 * controls which clientIDs a connection may set and stamps the authenticated
 * identity into every state it relays.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  /** JSON text of the state; "null" removes the client. */
  readonly json: string;
}

export class AwarenessDecodeError extends Error {
  override readonly name = 'AwarenessDecodeError';
}

/** Decodes a whole awareness update; throws AwarenessDecodeError on anything malformed. */
export function decodeAwarenessUpdate(update: Uint8Array, maxEntries: number): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const len = decoding.readVarUint(decoder);
    if (len > maxEntries) throw new AwarenessDecodeError(`awareness update with ${len} entries`);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < len; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      entries.push({ clientId, clock, json });
    }
    if (decoding.hasContent(decoder)) throw new AwarenessDecodeError('trailing bytes');
    return entries;
  } catch (err) {
    if (err instanceof AwarenessDecodeError) throw err;
    throw new AwarenessDecodeError(`malformed awareness update: ${(err as Error).message}`);
  }
}

export function encodeAwarenessUpdate(entries: Iterable<AwarenessEntry>): Uint8Array {
  const list = [...entries];
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, list.length);
  for (const e of list) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.json);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Replaces the client-claimed `user` with the authenticated one. Returns
 * null when the state is not a JSON object (or null for removal).
 */
export function stampState(json: string, user: object): string | null {
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    return null;
  }
  if (state === null) return 'null';
  if (typeof state !== 'object' || Array.isArray(state)) return null;
  return JSON.stringify({ ...(state as Record<string, unknown>), user });
}
