/**
 * Board repository behaviour, run on SQLite (boards.test.ts) and PostgreSQL
 * (boards.pg.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ID_PATTERN, parseClinicId, type ClinicId } from '../../shared/ids.js';
import { createClinicRepo } from '../auth/clinics.js';
import type { Database } from '../db/types.js';
import {
  createBoardRepo,
  InvalidBoardError,
  UnknownBoardClinicError,
  type BoardRepo,
} from './boards.js';

const T0 = Date.UTC(2026, 11, 2, 9, 0);

export function describeBoardRepo(
  name: string,
  openDb: () => Promise<{ db: Database; cleanup: () => Promise<void> }>,
): void {
  describe(`board repository (${name})`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    let repo: BoardRepo;
    let north: ClinicId;
    let south: ClinicId;

    beforeEach(async () => {
      ({ db, cleanup } = await openDb());
      const clinics = createClinicRepo(db);
      north = (await clinics.add({ id: parseClinicId('north'), name: 'Nord' }, 0)).id;
      south = (await clinics.add({ id: parseClinicId('south'), name: 'Sud' }, 0)).id;
      repo = createBoardRepo(db);
    });
    afterEach(async () => {
      await cleanup();
    });

    const input = (clinicId: ClinicId, title = 'Huddle du matin') => ({
      clinicId,
      title,
      template: 'huddle',
      createdBy: 'u-alice',
    });

    it('creates a board under a fresh id and reads it back', async () => {
      const board = await repo.create(input(north), T0);
      expect(board.id).toMatch(ID_PATTERN);
      expect(board).toEqual({
        id: board.id,
        clinicId: north,
        title: 'Huddle du matin',
        template: 'huddle',
        createdBy: 'u-alice',
        createdAt: T0,
        archivedAt: null,
      });
      expect(await repo.get(board.id)).toEqual(board);
    });

    it('gives every board its own id', async () => {
      const boards = await Promise.all(
        Array.from({ length: 20 }, (_, i) => repo.create(input(north, `B${i}`), T0 + i)),
      );
      expect(new Set(boards.map((b) => b.id)).size).toBe(20);
    });

    it('stores the title trimmed and refuses an empty, long or control-character title', async () => {
      expect((await repo.create(input(north, '  Rétro  '), T0)).title).toBe('Rétro');
      for (const bad of ['', '   ', 'x'.repeat(201), 'a\nb']) {
        await expect(repo.create(input(north, bad), T0)).rejects.toBeInstanceOf(InvalidBoardError);
      }
      expect(await repo.listForClinic(north)).toHaveLength(1);
    });

    it('refuses a board for a clinic that does not exist', async () => {
      await expect(repo.create(input(parseClinicId('nowhere')), T0)).rejects.toBeInstanceOf(
        UnknownBoardClinicError,
      );
    });

    it("lists a clinic's boards newest first, archived ones included, and no other clinic's", async () => {
      const a = await repo.create(input(north, 'A'), T0);
      const b = await repo.create(input(north, 'B'), T0 + 1);
      const c = await repo.create(input(south, 'C'), T0 + 2);
      await repo.update(a.id, { archived: true }, T0 + 5);
      const list = await repo.listForClinic(north);
      expect(list.map((x) => x.id)).toEqual([b.id, a.id]);
      expect(list[1]!.archivedAt).toBe(T0 + 5);
      expect((await repo.listAll()).map((x) => x.id)).toEqual([b.id, a.id, c.id]);
    });

    it('retitles, archives keeping the first date, and restores', async () => {
      const board = await repo.create(input(north), T0);
      expect(await repo.update(board.id, { title: ' Nouveau ' }, T0 + 1)).toMatchObject({
        title: 'Nouveau',
        archivedAt: null,
      });
      expect((await repo.update(board.id, { archived: true }, T0 + 2))!.archivedAt).toBe(T0 + 2);
      expect((await repo.update(board.id, { archived: true }, T0 + 3))!.archivedAt).toBe(T0 + 2);
      expect((await repo.update(board.id, { archived: false }, T0 + 4))!.archivedAt).toBeNull();
      expect((await repo.get(board.id))!.title).toBe('Nouveau');
    });

    it('changes nothing on a bad title in a patch', async () => {
      const board = await repo.create(input(north), T0);
      await expect(
        repo.update(board.id, { title: '', archived: true }, T0 + 1),
      ).rejects.toBeInstanceOf(InvalidBoardError);
      expect(await repo.get(board.id)).toEqual(board);
    });

    it('answers null for an unknown board or a string that is no id', async () => {
      expect(await repo.get('nope')).toBeNull();
      expect(await repo.get('../etc')).toBeNull();
      expect(await repo.update('nope', { archived: true }, T0)).toBeNull();
    });
  });
}
