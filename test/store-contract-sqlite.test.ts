import { SqlJobQueue } from '../src/store/sql-job-queue.js';
import { DedupeCache } from '../src/store/dedupe-cache.js';
import { SqlStore } from '../src/store/sql-store.js';
import { openSqlite } from '../src/store/sqlite-driver.js';
import { storeContract } from './contract/store-contract.js';

storeContract('better-sqlite3', async () => {
  const handle = openSqlite(':memory:');
  return {
    store: new SqlStore(handle.db, handle.atomic),
    jobs: new SqlJobQueue(handle.db),
    close: async () => handle.close(),
  };
});

// The Node runtime's store keeps dedupe candidates in memory; it must answer exactly as the plain one.
storeContract('better-sqlite3 with the dedupe cache', async () => {
  const handle = openSqlite(':memory:');
  return {
    store: new SqlStore(handle.db, handle.atomic, new DedupeCache()),
    jobs: new SqlJobQueue(handle.db),
    close: async () => handle.close(),
  };
});
