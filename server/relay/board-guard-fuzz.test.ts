/**
 * Seeded randomized test of the forged-write guard against the board
 * simulation (shared/board/test-support/board-sim.ts: five devices of three
 * people running every board operation through partitions, offline periods
 * and conflicts). Every update a device produced is judged, in the order
 * produced, as written by that device's person: none may be refused. Now and
 * then a forgery built on the server's current state is slipped in: each
 * must be refused and change nothing.
 *
 *   npx vitest run server/relay/board-guard-fuzz.test.ts      fixed seed, 1,500 ops
 *   SEED=123 npx vitest run server/relay/board-guard-fuzz.test.ts
 *   npm run soak   (BOARD_GUARD_FUZZ_RUNS, BOARD_GUARD_FUZZ_OPS tune it)
 *
 * A failure prints its seed.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRoots, voteKey } from '../../shared/board/index.js';
import { BoardSimulation, SIM_USERS } from '../../shared/board/test-support/board-sim.js';
import { mulberry32 } from '../../shared/board/test-support/fixtures.js';
import { parseDocName } from '../../shared/ids.js';
import { BoardGuard, type GuardedRoom } from './board-guard.js';
import { createMemoryClientRegistry } from './client-registry.js';
import type { Connection } from './connection.js';

const START = Date.UTC(2026, 2, 10, 7, 0);
const SEED = Number(process.env.SEED ?? 20261202);
const SOAK = process.env.SOAK === '1';
const RUNS = SOAK ? Number(process.env.BOARD_GUARD_FUZZ_RUNS ?? 20) : 1;
const OPS = SOAK ? Number(process.env.BOARD_GUARD_FUZZ_OPS ?? 10_000) : 1_500;

const connOf = (user: string) =>
  ({ identity: { user: { id: user } }, closed: false }) as unknown as Connection;

/** A forgery by `by` against `victim`, built on `base` (the server's state), or null when none applies. */
function forgery(base: Y.Doc, rand: () => number, by: string, victim: string): Uint8Array | null {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  const roots = boardRoots(doc);
  const cards = [...roots.cards.keys()];
  const cardId = cards[Math.floor(rand() * cards.length)];
  if (cardId === undefined) return null;
  const victimVotes = [...roots.votes.keys()].filter((k) => k.endsWith(`:${victim}`));
  const comments = [...roots.comments.keys()];
  const kind = Math.floor(rand() * 7);
  if (kind === 0) roots.votes.set(voteKey(cardId, victim), 1);
  else if (kind === 1 && victimVotes[0]) roots.votes.delete(victimVotes[0]);
  else if (kind === 2) roots.cards.get(cardId)!.set('createdBy', by);
  else if (kind === 3) roots.cards.delete(cardId);
  else if (kind === 4 && comments[0]) roots.comments.delete(comments[0]);
  else if (kind === 5) roots.comments.set(`f${Math.floor(rand() * 1e9)}`, { author: victim });
  else if (kind === 6 && roots.columns.size > 0)
    roots.columns.delete([...roots.columns.keys()][0]!);
  else roots.votes.set(voteKey(cardId, victim), 2);
  return Y.encodeStateAsUpdate(doc, before);
}

async function run(seed: number, steps: number): Promise<{ judged: number; forged: number }> {
  const sim = new BoardSimulation(seed, START);
  const produced: { update: Uint8Array; user: string }[] = [];
  for (const r of sim.replicas) {
    r.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if ((origin as { kind?: string } | null)?.kind === 'local')
        produced.push({ update, user: SIM_USERS[r.index]! });
    });
  }
  // The server's doc starts from the seeded state every replica started from.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, sim.mesh.history[0]!);
  const room: GuardedRoom = {
    name: parseDocName('board:fuzz').name,
    doc,
    failed: false,
    catchUp: async () => {},
    presenceUserOf: () => undefined,
  };
  const guard = new BoardGuard(room, createMemoryClientRegistry(), () => START);
  const rand = mulberry32(seed ^ 0x5eed);
  const decide = (user: string, update: Uint8Array) =>
    new Promise<string | null>((resolve, reject) =>
      guard.submit(connOf(user), update, {
        apply: () => {
          Y.applyUpdate(doc, update);
          resolve(null);
        },
        refuse: resolve,
        fail: reject,
      }),
    );
  let judged = 0;
  let forged = 0;
  for (let done = 0; done < steps; done += 100) {
    sim.run(100);
    for (const { update, user } of produced.splice(0)) {
      const refused = await decide(user, update);
      if (refused !== null)
        throw new Error(`seed ${seed}: ${user}'s own update refused: ${refused}`);
      judged++;
    }
    const by = SIM_USERS[Math.floor(rand() * 3) * 2]!; // alice, bob or carol
    const victim = SIM_USERS.find((u) => u !== by)!;
    const bad = forgery(doc, rand, by, victim);
    if (bad === null) continue;
    const before = Buffer.from(Y.encodeStateAsUpdate(doc));
    const refused = await decide(by, bad);
    if (refused === null) throw new Error(`seed ${seed}: a forgery by ${by} was accepted`);
    if (!Buffer.from(Y.encodeStateAsUpdate(doc)).equals(before))
      throw new Error(`seed ${seed}: a refused forgery by ${by} changed the document`);
    forged++;
  }
  return { judged, forged };
}

describe('the forged-write guard on simulated board activity', () => {
  it(`accepts every device's own updates and refuses every forgery (seed ${SEED}${SOAK ? `, ${RUNS} runs` : ''})`, async () => {
    for (let i = 0; i < RUNS; i++) {
      const seed = SEED + i;
      const { judged, forged } = await run(seed, OPS);
      expect(judged).toBeGreaterThan(OPS / 2);
      expect(forged).toBeGreaterThan(0);
    }
  }, 120_000);
});
