/**
 * Building blocks for store selectors that derive new arrays, maps or objects
 * from a store's state. `useStore(store, selector)` re-renders whenever the
 * selector's result is not `Object.is` the previous one, and a selector that
 * returns a fresh object on every call makes React loop ("Maximum update depth
 * exceeded"): such a selector must hand back the same result while its inputs
 * are unchanged.
 */

/** One level of the memo: the next level by the value of the next input. */
interface Node {
  readonly objects: WeakMap<object, Node>;
  readonly others: Map<unknown, Node>;
  result?: { readonly value: unknown };
}

const node = (): Node => ({ objects: new WeakMap(), others: new Map() });

const isObject = (v: unknown): v is object =>
  (typeof v === 'object' && v !== null) || typeof v === 'function';

function child(parent: Node, key: unknown): Node {
  const found = isObject(key) ? parent.objects.get(key) : parent.others.get(key);
  if (found) return found;
  const made = node();
  if (isObject(key)) parent.objects.set(key, made);
  else parent.others.set(key, made);
  return made;
}

/**
 * A selector computed from `inputs` (parts of the state), memoized on their
 * identity: the same inputs give the same result object, whichever store they
 * come from. Objects are held weakly; put object inputs first, so that
 * primitive inputs below them are dropped with them.
 */
export function createSelector<S, A, R>(
  inputs: readonly [(state: S) => A],
  compute: (a: A) => R,
): (state: S) => R;
export function createSelector<S, A, B, R>(
  inputs: readonly [(state: S) => A, (state: S) => B],
  compute: (a: A, b: B) => R,
): (state: S) => R;
export function createSelector<S, A, B, C, R>(
  inputs: readonly [(state: S) => A, (state: S) => B, (state: S) => C],
  compute: (a: A, b: B, c: C) => R,
): (state: S) => R;
export function createSelector<S, R>(
  inputs: readonly ((state: S) => unknown)[],
  compute: (...args: never[]) => R,
): (state: S) => R {
  const root = node();
  const run = compute as (...args: unknown[]) => R;
  return (state) => {
    const args = inputs.map((input) => input(state));
    let at = root;
    for (const arg of args) at = child(at, arg);
    if (!at.result) at.result = { value: run(...args) };
    return at.result.value as R;
  };
}

/** One selector per key (a room, an entry), created once, so its memo outlives a render. */
export function selectorFamily<K, S, R>(
  make: (key: K) => (state: S) => R,
): (key: K) => (state: S) => R {
  const made = new Map<K, (state: S) => R>();
  return (key) => {
    let selector = made.get(key);
    if (!selector) {
      selector = make(key);
      made.set(key, selector);
    }
    return selector;
  };
}
