/**
 * Which local changes the relay has not acknowledged yet, counted the way a
 * person counts them: by what they touched (one ticket, one setting), not by
 * transaction — typing a note is one change, not forty keystrokes.
 *
 * A change is named by its "key": the root type and the key under it that
 * holds what was edited (`entries/<id>`, `patients/<id>`, `meta/open`); the
 * caller maps keys further (a ticket's public entry and its staff record are
 * one change).
 *
 * What is pending is derived, not logged: the relay answers applied writes
 * (debounced, and as a keepalive) with its state vector; whatever the local
 * doc holds beyond that vector is pending. Between two vectors, each local
 * transaction adds its keys. Deletions move no clock, so delete-only
 * transactions are kept apart until the first vector after they were sent.
 *
 * Across reloads: the last vector the relay sent and the unsent deletions are
 * persisted (see `UnsyncedStorage`); after IndexedDB restores the doc, what it
 * holds beyond that vector is pending again, even while offline.
 */
import * as Y from 'yjs';

export type StateVector = Map<number, number>;

/** What survives a reload, per local copy. */
export interface PersistedUnsynced {
  /** The relay's last state vector, as [client, clock] pairs. */
  readonly acked: readonly (readonly [number, number])[];
  /** Keys of delete-only changes not acknowledged yet. */
  readonly deletes: readonly string[];
}

export interface UnsyncedTracker {
  /** A local transaction touched `keys`; `inserted` is false for delete-only ones. */
  local(keys: Iterable<string>, inserted: boolean, sent: boolean): void;
  /** The connection (re)opened and everything pending went out with our sync step 2. */
  sentAll(): void;
  /** The relay's state vector arrived. */
  serverVector(server: StateVector): void;
  /**
   * The relay sent us an update reaching `sv`: it has all that, so it is no
   * longer "beyond" what the relay holds (matters after a reload: the last
   * state vector it sent may be older than the updates that followed).
   */
  fromServer(sv: StateVector): void;
  /** The doc was restored from IndexedDB: recount against the last known acknowledgement. */
  restored(): void;
  keys(): ReadonlySet<string>;
  count(): number;
  /** What to persist now. */
  persisted(): PersistedUnsynced;
}

export function createUnsyncedTracker(args: {
  /** Keys of everything the local doc holds beyond `sv` (insertions only). */
  keysBeyond: (sv: StateVector) => Iterable<string>;
  /** What an earlier session persisted, if anything. */
  initial?: PersistedUnsynced | null;
}): UnsyncedTracker {
  const { keysBeyond } = args;
  let acked: StateVector | null = args.initial ? new Map(args.initial.acked) : null;
  /** Snapshot at the last vector (or restore) of what the relay lacked. */
  let beyond = new Set<string>();
  /** Inserting transactions since that snapshot. */
  let since = new Set<string>();
  const deletesUnsent = new Set<string>(args.initial?.deletes ?? []);
  let deletesSent = new Set<string>();
  const union = () => new Set([...beyond, ...since, ...deletesUnsent, ...deletesSent]);
  const recount = () => {
    beyond = acked === null ? new Set() : new Set(keysBeyond(acked));
    since = new Set();
  };
  return {
    local(keys, inserted, sent) {
      const target = inserted ? since : sent ? deletesSent : deletesUnsent;
      for (const k of keys) target.add(k);
    },
    sentAll() {
      for (const k of deletesUnsent) deletesSent.add(k);
      deletesUnsent.clear();
    },
    serverVector(server) {
      acked = server;
      deletesSent = new Set();
      recount();
    },
    fromServer(sv) {
      const next: StateVector = new Map(acked ?? []);
      for (const [client, clock] of sv)
        if (clock > (next.get(client) ?? 0)) next.set(client, clock);
      acked = next;
    },
    restored() {
      // Without any record of an acknowledgement we cannot tell local work
      // from what the relay sent earlier: count only this session's changes
      // until it speaks.
      if (acked !== null) recount();
    },
    keys: union,
    count: () => union().size,
    persisted: () => ({
      acked: acked === null ? [] : [...acked],
      deletes: [...deletesUnsent, ...deletesSent],
    }),
  };
}

// ── keys of Yjs changes ──────────────────────────────────────────────────

/** `root` or `root/key`: where a change to `type` (at map key `sub`) lives under its root type. */
export function changeKeyOf(type: Y.AbstractType<unknown>, sub: string | null): string {
  let t = type;
  let s = sub;
  while (t._item !== null) {
    s = t._item.parentSub;
    const parent = t._item.parent;
    if (!(parent instanceof Y.AbstractType)) return 'unknown';
    t = parent as Y.AbstractType<unknown>;
  }
  let root: string;
  try {
    root = Y.findRootTypeKey(t);
  } catch {
    return 'unknown';
  }
  return s === null ? root : `${root}/${s}`;
}

/** The keys one transaction touched. */
export function transactionKeys(tr: Y.Transaction): Set<string> {
  const out = new Set<string>();
  tr.changed.forEach((subs, type) => {
    for (const sub of subs) out.add(changeKeyOf(type as Y.AbstractType<unknown>, sub));
  });
  return out;
}

/** True when `local` holds a clock the vector `sv` lacks. */
export function isAhead(local: StateVector, sv: StateVector): boolean {
  for (const [client, clock] of local) if (clock > (sv.get(client) ?? 0)) return true;
  return false;
}

/** The keys of everything `doc` holds beyond the state vector `sv` (insertions). */
export function keysBeyond(doc: Y.Doc, sv: StateVector): Set<string> {
  const out = new Set<string>();
  if (!isAhead(Y.decodeStateVector(Y.encodeStateVector(doc)), sv)) return out;
  const diff = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(sv));
  for (const struct of Y.decodeUpdate(diff).structs) {
    if (!(struct instanceof Y.Item)) continue;
    let item: Y.Item | Y.GC;
    try {
      item = Y.getItem(doc.store, struct.id);
    } catch {
      out.add('unknown');
      continue;
    }
    if (item instanceof Y.Item && item.parent instanceof Y.AbstractType)
      out.add(changeKeyOf(item.parent as Y.AbstractType<unknown>, item.parentSub));
    else out.add('unknown');
  }
  return out;
}

// ── persistence ──────────────────────────────────────────────────────────

export interface UnsyncedStorage {
  load(): PersistedUnsynced | null;
  save(value: PersistedUnsynced): void;
}

const isPair = (v: unknown): v is [number, number] =>
  Array.isArray(v) &&
  v.length === 2 &&
  Number.isInteger(v[0]) &&
  Number.isInteger(v[1]) &&
  (v[0] as number) >= 0 &&
  (v[1] as number) >= 0;

/** Parses what `save` wrote; anything else reads as nothing persisted. */
export function parsePersisted(raw: string | null): PersistedUnsynced | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as { acked?: unknown; deletes?: unknown };
    if (!Array.isArray(v.acked) || !v.acked.every(isPair)) return null;
    const deletes = Array.isArray(v.deletes)
      ? v.deletes.filter((d): d is string => typeof d === 'string')
      : [];
    return { acked: v.acked, deletes };
  } catch {
    return null;
  }
}

/** localStorage under `key`, or nothing where storage is unavailable (Node, private mode quota). */
export function localUnsyncedStorage(key: string): UnsyncedStorage {
  const storage = (): Storage | null => {
    try {
      return typeof localStorage === 'undefined' ? null : localStorage;
    } catch {
      return null;
    }
  };
  return {
    load: () => parsePersisted(storage()?.getItem(key) ?? null),
    save(value) {
      try {
        storage()?.setItem(key, JSON.stringify(value));
      } catch {
        // quota or disabled storage: the count is then only true until a reload
      }
    },
  };
}
