/**
 * ClientRegistry behaviour, run on SQLite and memory (client-registry.test.ts)
 * and PostgreSQL (client-registry.pg.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDocName } from '../../shared/ids.js';
import type { ClientRegistry } from './client-registry.js';

const BOARD = parseDocName('board:b1').name;
const OTHER = parseDocName('board:b2').name;

export function describeClientRegistry(
  name: string,
  open: () => Promise<{
    registries: [ClientRegistry, ClientRegistry];
    cleanup: () => Promise<void>;
  }>,
): void {
  describe(`client registry (${name})`, () => {
    let a: ClientRegistry;
    let b: ClientRegistry;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({
        registries: [a, b],
        cleanup,
      } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('gives an unclaimed clientID to the first user who claims it, for good', async () => {
      expect(await a.claim(BOARD, [7], 'alice', 1)).toEqual(new Map([[7, 'alice']]));
      expect(await a.claim(BOARD, [7], 'bob', 2)).toEqual(new Map([[7, 'alice']]));
      expect(await a.claim(BOARD, [7], 'alice', 3)).toEqual(new Map([[7, 'alice']]));
    });

    it('keeps claims per document', async () => {
      await a.claim(BOARD, [7], 'alice', 1);
      expect(await a.claim(OTHER, [7], 'bob', 1)).toEqual(new Map([[7, 'bob']]));
    });

    it('answers several clientIDs at once, claiming only the unclaimed ones', async () => {
      await a.claim(BOARD, [1], 'alice', 1);
      const owners = await a.claim(BOARD, [1, 2, 0xffff_ffff, 2], 'bob', 2);
      expect(owners).toEqual(
        new Map([
          [1, 'alice'],
          [2, 'bob'],
          [0xffff_ffff, 'bob'],
        ]),
      );
      expect(await a.claim(BOARD, [], 'bob', 3)).toEqual(new Map());
    });

    it('agrees on one owner when two processes race to claim a clientID', async () => {
      const [x, y] = await Promise.all([
        a.claim(BOARD, [42], 'alice', 1),
        b.claim(BOARD, [42], 'bob', 1),
      ]);
      expect(x.get(42)).toBe(y.get(42));
      expect(['alice', 'bob']).toContain(x.get(42));
      expect((await b.claim(BOARD, [42], 'carol', 2)).get(42)).toBe(x.get(42));
    });

    it('refuses what is not a clientID or a user', async () => {
      await expect(a.claim(BOARD, [-1], 'alice', 1)).rejects.toThrow(/clientID/);
      await expect(a.claim(BOARD, [1.5], 'alice', 1)).rejects.toThrow(/clientID/);
      await expect(a.claim(BOARD, [2 ** 32], 'alice', 1)).rejects.toThrow(/clientID/);
      await expect(a.claim(BOARD, [1], '', 1)).rejects.toThrow(/user/);
    });
  });
}
