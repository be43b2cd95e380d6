/**
 * A relay on a memory store, reached through socket pairs: what most relay
 * tests need, without a port, a database file or a sleep. Tokens are
 * `<role>@<clinic>[#label]`, e.g. `receptionist@c1#Alice`.
 */
import { pino } from 'pino';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { parseClinicId, parseDocName } from '../../../shared/ids.js';
import { colorFor, ROLES, type Role } from '../../../shared/presence.js';
import type { Identity } from '../../auth/identity.js';
import { createMemoryDocStore } from '../../store/memory-store.js';
import type { DocStore } from '../../store/types.js';
import { defaultRelayLimits, type RelayLimits } from '../limits.js';
import { createRelay, type Relay } from '../relay.js';
import { MemoryNetwork } from './socket-pair.js';

export interface MemoryRelay {
  readonly relay: Relay;
  readonly store: DocStore;
  readonly network: MemoryNetwork;
  /** The stock y-websocket client over a socket pair (connects on the next settle). */
  provider(docName: string, token: string, doc?: Y.Doc): WebsocketProvider;
  /** What the store holds for a doc now, as a fresh Y.Doc. */
  storedDoc(docName: string): Promise<Y.Doc>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function identityFor(token: string): Identity | null {
  const m = /^([a-z]+)@([a-z0-9-]+)(?:#(.+))?$/.exec(token);
  if (!m || !(ROLES as readonly string[]).includes(m[1]!)) return null;
  const role = m[1] as Role;
  const userId = `token:${token}`;
  return {
    credential: { kind: 'token', id: token },
    clinicId: parseClinicId(m[2]!),
    role,
    user: { id: userId, name: m[3] ?? role, role, color: colorFor(userId) },
    expiresAt: null,
  };
}

export function startMemoryRelay(
  opts: { limits?: Partial<RelayLimits>; store?: DocStore; now?: () => number } = {},
): MemoryRelay {
  const store = opts.store ?? createMemoryDocStore();
  const relay = createRelay({
    store,
    append: async (doc, update) => (await store.appendMany([{ doc, update }]))[0]!,
    limits: { ...defaultRelayLimits, ...opts.limits },
    logger: pino({ level: 'silent' }),
    now: opts.now ?? Date.now,
    authenticate: async () => null,
    boardClinic: async () => null,
    revocations: { head: async () => 0, since: async (seq) => ({ ids: [], seq }) },
    revokedAfter: 0,
  });
  const network = new MemoryNetwork(relay, { identify: identityFor });
  const providers: WebsocketProvider[] = [];
  return {
    relay,
    store,
    network,
    provider(docName, token, doc = new Y.Doc()) {
      const p = new WebsocketProvider('ws://memory.invalid/ws', docName, doc, {
        WebSocketPolyfill: network.WebSocket,
        params: { token },
        disableBc: true,
      });
      providers.push(p);
      return p;
    },
    async storedDoc(docName) {
      const stored = await store.load(parseDocName(docName).name);
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      return doc;
    },
    settle: () => network.settle(),
    async close() {
      for (const p of providers) p.destroy();
      await network.settle().catch(() => {});
      await relay.stop();
    },
  };
}
