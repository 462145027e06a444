import { SqlJobQueue } from '../src/store/sql-job-queue.js';
import { SqlStore } from '../src/store/sql-store.js';
import { openSqlite } from '../src/store/sqlite-driver.js';
import { workflowStoreContract } from './contract/workflow-store-contract.js';

workflowStoreContract('better-sqlite3', async () => {
  const handle = openSqlite(':memory:');
  return { store: new SqlStore(handle.db, handle.atomic), jobs: new SqlJobQueue(handle.db), close: async () => handle.close() };
});
