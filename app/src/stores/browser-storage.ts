/**
 * The sessions' small key-value storage: localStorage in the browser,
 * injected in tests, null where the browser refuses it (private mode, a
 * sandboxed frame). A failed read is a missing value; a failed write keeps
 * the value in memory only, until the next reload.
 */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readItem(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Writes `value`, or removes the key when it is null. */
export function writeItem(
  storage: KeyValueStorage | null,
  key: string,
  value: string | null,
): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // Storage full or disabled.
  }
}
