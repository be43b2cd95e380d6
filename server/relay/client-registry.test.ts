import { openTempSqlite } from '../db/test-support/sqlite.js';
import { describeClientRegistry } from './client-registry-contract.js';
import { createMemoryClientRegistry, createSqlClientRegistry } from './client-registry.js';

describeClientRegistry('SQLite', async () => {
  const { db, cleanup } = await openTempSqlite('client-registry');
  // Two registries on one database: two processes of a deployment.
  return { registries: [createSqlClientRegistry(db), createSqlClientRegistry(db)], cleanup };
});

describeClientRegistry('memory', async () => {
  const registry = createMemoryClientRegistry();
  return { registries: [registry, registry], cleanup: async () => {} };
});
