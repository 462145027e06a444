import { SqlJobQueue } from '../../src/store/sql-job-queue.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { storeContract } from '../contract/store-contract.js';
import { d1, emptyDatabase } from './d1-harness.js';

storeContract('D1', async () => {
  await emptyDatabase();
  const { db, atomic } = d1();
  return { store: new SqlStore(db, atomic), jobs: new SqlJobQueue(db) };
});
