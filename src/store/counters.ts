/**
 * Named counters (record, consultation and write-up codes; the dedupe generation; per-town totals kept by
 * triggers). One place for their SQL, shared by the intake and outputs stores on both drivers.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './db.js';

export async function counterValue(db: Db, name: string): Promise<number> {
  const [row] = await db.all<{ value: number }>(sql`SELECT value FROM counters WHERE name = ${name}`);
  return row?.value ?? 0;
}

/** The value a code takes: the stored one plus one; it is consumed only when `counterSet` commits with the code. */
export async function nextInSequence(db: Db, name: string): Promise<number> {
  return (await counterValue(db, name)) + 1;
}

export function counterSet(counter: { name: string; value: number }): SQL {
  return sql`INSERT INTO counters (name, value) VALUES (${counter.name}, ${counter.value})
    ON CONFLICT (name) DO UPDATE SET value = excluded.value`;
}
