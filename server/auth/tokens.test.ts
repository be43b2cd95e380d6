import { openTempSqlite } from '../db/test-support/sqlite.js';
import { describeTokenRepo } from './tokens-contract.js';

describeTokenRepo('SQLite', () => openTempSqlite('tokens'));
