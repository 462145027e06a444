import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.js';
import type { Atomic, Db } from './db.js';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

export interface SqliteHandle {
  db: Db;
  atomic: Atomic;
  sqlite: Database.Database;
  close(): void;
}

interface SyncRunnable {
  run(): unknown;
}

function isSyncRunnable(q: unknown): q is SyncRunnable {
  return typeof q === 'object' && q !== null && typeof (q as SyncRunnable).run === 'function';
}

/** Opens (creating if needed) a SQLite file in WAL mode and applies pending migrations. */
export function openSqlite(path: string): SqliteHandle {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  // better-sqlite3 runs statements synchronously, so a sync transaction cannot interleave with other
  // requests' statements on the same connection (an async BEGIN…COMMIT could).
  const runAll = sqlite.transaction((statements: SyncRunnable[]) => {
    for (const s of statements) s.run();
  });
  const atomic: Atomic = async (statements) => {
    runAll(statements.map((s) => {
      if (!isSyncRunnable(s)) throw new Error('atomic(): statement is not a better-sqlite3 query builder');
      return s;
    }));
  };
  return { db: db as unknown as Db, atomic, sqlite, close: () => sqlite.close() };
}
