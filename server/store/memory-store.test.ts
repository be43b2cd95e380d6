import { createMemoryDocData, createMemoryDocStore } from './memory-store.js';
import { describeDocStoreContract } from './store-contract.js';

describeDocStoreContract('memory', async () => {
  const data = createMemoryDocData();
  return {
    store: createMemoryDocStore({ data }),
    openAnother: async () => createMemoryDocStore({ data }),
    cleanup: async () => {},
  };
});
