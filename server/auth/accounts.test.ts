import { describe } from 'vitest';
import { openTempSqlite } from '../db/test-support/sqlite.js';
import { describeAccountRepos } from './accounts-contract.js';

describe('staff accounts on SQLite', () => {
  describeAccountRepos('SQLite', () => openTempSqlite('accounts'));
});
