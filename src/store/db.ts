import type { SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from '../../db/schema.js';

/**
 * The one database type the repositories accept: better-sqlite3 ('sync') on Node, D1 ('async') on Workers.
 * Repositories always `await` builders and never call `.run()`/`.all()`, so both drivers behave the same.
 */
export type Db = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

/**
 * A statement that has not run yet; `Atomic` runs a list of them as one unit. Either a query builder or a
 * `sql` template: the intake's hottest writes are templates, because drizzle's insert builder spends about
 * 50 µs of CPU mapping one row's columns, a template about 13 µs (the SQL text is the same, so SQLite's
 * compiled statement is reused either way).
 */
export type Pending = PromiseLike<unknown> | SQL;

/**
 * Runs statements all-or-nothing. D1 has no interactive transactions (BEGIN is rejected), so the portable
 * shape is a batch of independent statements: later ones read earlier ones' effects through SQL, never
 * through values returned to JavaScript. Resolves with how many rows each statement changed (SQLite's
 * `changes()`, D1's `meta.changes`), so a caller can tell an insert from a conflict without reading again.
 */
export type Atomic = (statements: Pending[]) => Promise<number[]>;
