import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../shared/ids.js';
import { openTempSqlite } from '../db/test-support/sqlite.js';
import { describeBoardRepo } from './boards-contract.js';
import { newBoardId } from './boards.js';

describeBoardRepo('SQLite', () => openTempSqlite('boards'));

describe('board ids', () => {
  it('are 16 lowercase base32 characters matching the id pattern, whatever the random bytes', () => {
    for (const fill of [0, 0xff, 0x5a]) {
      const id = newBoardId((n) => new Uint8Array(n).fill(fill));
      expect(id).toHaveLength(16);
      expect(id).toMatch(ID_PATTERN);
    }
  });
});
