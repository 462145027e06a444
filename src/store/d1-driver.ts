import type { D1Database } from '@cloudflare/workers-types/index.js';
import { is, type Query, SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import * as schema from '../../db/schema.js';
import type { Atomic, Db } from './db.js';

export interface D1Handle {
  db: Db;
  atomic: Atomic;
}

/**
 * The store's database on Cloudflare D1. Migrations are applied by wrangler (`d1 migrations apply`), not
 * here. D1 rejects BEGIN, so `atomic` is one batch: D1 runs a batch as a single implicit transaction, which
 * is exactly the all-or-nothing contract `Atomic` promises.
 */
export function openD1(binding: D1Database): D1Handle {
  const db = drizzle(binding, { schema });
  const dialect = new SQLiteAsyncDialect();
  // Built here rather than by drizzle's batch(), which cannot bind a `sql` template's parameters (its raw
  // statement has no prepared D1 statement). Every statement's own SQL text and parameters go in unchanged.
  const atomic: Atomic = async (statements) => {
    if (statements.length === 0) return [];
    const results = await binding.batch(statements.map((s) => {
      const q: Query = is(s, SQL) ? dialect.sqlToQuery(s) : (s as unknown as { toSQL(): Query }).toSQL();
      return binding.prepare(q.sql).bind(...q.params);
    }));
    return results.map((r) => r.meta?.changes ?? 0);
  };
  return { db: db as unknown as Db, atomic };
}
