import { and, eq, lte, or, sql } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import type { Job } from '../core/ports.js';
import type { Db } from './db.js';

/**
 * Leases one job by id, as a Queues consumer does when a `{jobId}` message arrives. Returns null when the
 * job is finished, dead, not yet due, or held by another live lease: the message was a stale or duplicate
 * wake-up, and acknowledging it is correct because the jobs table, not the message, is the truth.
 */
export async function leaseJobById(db: Db, id: string, leaseMs: number, now: number): Promise<Job | null> {
  const [row] = await db.update(t.jobs)
    .set({ state: 'running', leaseUntil: now + leaseMs, attempts: sql`${t.jobs.attempts} + 1`, updatedAt: now })
    .where(and(eq(t.jobs.id, id), or(
      and(eq(t.jobs.state, 'queued'), lte(t.jobs.runAt, now)),
      and(eq(t.jobs.state, 'running'), lte(t.jobs.leaseUntil, now)),
    )))
    .returning();
  if (!row) return null;
  return { id: row.id, type: row.type, payload: JSON.parse(row.payload) as Record<string, unknown>, attempts: row.attempts, runAt: row.runAt };
}

/** Ids of jobs that became due in [since, now]: the ones a request or a consumer batch just created. */
export async function dueJobIdsSince(db: Db, since: number, now: number, limit: number): Promise<{ id: string; runAt: number }[]> {
  return db.select({ id: t.jobs.id, runAt: t.jobs.runAt }).from(t.jobs)
    .where(and(eq(t.jobs.state, 'queued'), sql`${t.jobs.runAt} between ${since} and ${now}`))
    .limit(limit);
}
