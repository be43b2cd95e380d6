import * as Y from 'yjs';

/**
 * Decodes an untrusted update completely before it may touch a live doc:
 * Yjs integrates the structs of an update whose tail is garbage and
 * y-protocols swallows the error, so a partial apply must never start.
 * Returns an error message, or null when the update is well-formed.
 */
export function checkUpdate(update: Uint8Array): string | null {
  if (update.byteLength < 2) return 'update shorter than 2 bytes';
  try {
    Y.decodeUpdate(update);
    return null;
  } catch (err) {
    return `update does not decode: ${(err as Error).message}`;
  }
}

export function checkStateVector(sv: Uint8Array): string | null {
  try {
    Y.decodeStateVector(sv);
    return null;
  } catch (err) {
    return `state vector does not decode: ${(err as Error).message}`;
  }
}
