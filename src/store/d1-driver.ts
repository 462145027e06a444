import type { D1Database } from '@cloudflare/workers-types/index.js';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../db/schema.js';
import type { Atomic, Db } from './db.js';

export interface D1Handle {
  db: Db;
  atomic: Atomic;
}

/** drizzle's batch() wants a non-empty tuple of its own builders; the store hands it exactly those. */
type BatchArg = Parameters<ReturnType<typeof drizzle<typeof schema>>['batch']>[0];

/**
 * The store's database on Cloudflare D1. Migrations are applied by wrangler (`d1 migrations apply`), not
 * here. D1 rejects BEGIN, so `atomic` is one `batch()`: D1 runs a batch as a single implicit transaction,
 * which is exactly the all-or-nothing contract `Atomic` promises.
 */
export function openD1(binding: D1Database): D1Handle {
  const db = drizzle(binding, { schema });
  const atomic: Atomic = async (statements) => {
    if (statements.length === 0) return;
    await db.batch(statements as unknown as BatchArg);
  };
  return { db: db as unknown as Db, atomic };
}
