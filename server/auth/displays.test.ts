import { openTempSqlite } from '../db/test-support/sqlite.js';
import { describeDisplayPairingRepo } from './displays-contract.js';

describeDisplayPairingRepo('SQLite', () => openTempSqlite('displays'));
