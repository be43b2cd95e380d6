import { describe } from 'vitest';
import { migrate } from '../db/migrations.js';
import {
  dropSchema,
  openTestPostgres,
  randomSchemaName,
  warnIfNoPostgres,
} from '../db/test-support/postgres.js';
import { createSqlDocStore } from './sql-store.js';
import { describeDocStoreContract } from './store-contract.js';
import type { DocStore } from './types.js';

const skip = warnIfNoPostgres('postgres-store.pg.test.ts');

async function openStore(schema: string): Promise<DocStore> {
  const db = await openTestPostgres(schema);
  await migrate(db);
  return createSqlDocStore(db, { closeDatabase: true });
}

describe.skipIf(skip)('postgres store', () => {
  describeDocStoreContract('postgres', async () => {
    // A schema per test: every test starts from empty storage.
    const schema = randomSchemaName();
    const opened: DocStore[] = [await openStore(schema)];
    return {
      store: opened[0]!,
      openAnother: async () => {
        const store = await openStore(schema);
        opened.push(store);
        return store;
      },
      cleanup: async () => {
        for (const store of opened) await store.close();
        await dropSchema(schema);
      },
    };
  });
});
