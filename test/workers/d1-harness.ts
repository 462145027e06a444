import { env } from 'cloudflare:test';
import type { D1Database } from '@cloudflare/workers-types/index.js';
import { openD1 } from '../../src/store/d1-driver.js';

export const DB = env.DB as D1Database;

const EMPTIED_TABLES_RE = /^(?!sqlite_|_cf_|d1_migrations$)/;

/** Empties every application table, so each test starts from the database a fresh deployment has. */
export async function emptyDatabase(): Promise<void> {
  const { results } = await DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
  const tables = results.map((r) => r.name).filter((n) => EMPTIED_TABLES_RE.test(n));
  if (tables.length) await DB.batch(tables.map((n) => DB.prepare(`DELETE FROM "${n}"`)));
}

export function d1(): ReturnType<typeof openD1> {
  return openD1(DB);
}
