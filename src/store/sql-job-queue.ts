import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import type { Job, JobQueue, NewJob } from '../core/ports.js';
import type { Db } from './db.js';
import { jobInsert } from './effect-statements.js';

/**
 * The durable queue on SQLite/D1: a row per job, leased by time. A worker that dies mid-job leaves a lease
 * that expires, and the job runs again; handlers are idempotent, so "again" is safe.
 */
export class SqlJobQueue implements JobQueue {
  constructor(private readonly db: Db) {}

  async enqueue(job: NewJob): Promise<void> {
    await this.db.run(jobInsert(job, job.runAt));
  }

  async lease(limit: number, leaseMs: number, now: number): Promise<Job[]> {
    const due = this.db.select({ id: t.jobs.id }).from(t.jobs)
      .where(or(
        and(eq(t.jobs.state, 'queued'), lte(t.jobs.runAt, now)),
        and(eq(t.jobs.state, 'running'), lte(t.jobs.leaseUntil, now)),
      ))
      .orderBy(asc(t.jobs.runAt)).limit(limit);
    const rows = await this.db.update(t.jobs)
      .set({ state: 'running', leaseUntil: now + leaseMs, attempts: sql`${t.jobs.attempts} + 1`, updatedAt: now })
      .where(inArray(t.jobs.id, due))
      .returning();
    return rows
      .map((r) => ({ id: r.id, type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown>, attempts: r.attempts, runAt: r.runAt }))
      .sort((a, b) => a.runAt - b.runAt);
  }

  /**
   * Returns every running job to the queue. Only for a process that owns the database alone (the Node server
   * at start): its previous incarnation died holding these leases, and waiting out a 5-minute lease would
   * delay every message it had picked up. Handlers are idempotent, so running one again is safe.
   */
  async reclaimLeases(now: number): Promise<number> {
    const rows = await this.db.update(t.jobs).set({ state: 'queued', leaseUntil: null, updatedAt: now })
      .where(eq(t.jobs.state, 'running')).returning({ id: t.jobs.id });
    return rows.length;
  }

  async complete(id: string): Promise<void> {
    await this.db.run(sql`DELETE FROM jobs WHERE id = ${id}`);
  }

  async fail(id: string, error: string, retryAt: number | null, now: number): Promise<void> {
    await this.db.update(t.jobs).set(
      retryAt === null
        ? { state: 'dead', lastError: error, leaseUntil: null, updatedAt: now }
        : { state: 'queued', lastError: error, leaseUntil: null, runAt: retryAt, updatedAt: now },
    ).where(eq(t.jobs.id, id));
  }

  async stats(_now: number) {
    const rows = await this.db.select({ state: t.jobs.state, n: sql<number>`count(*)`, oldest: sql<number | null>`min(${t.jobs.createdAt})` })
      .from(t.jobs).groupBy(t.jobs.state);
    const by = new Map(rows.map((r) => [r.state, r]));
    return {
      queued: by.get('queued')?.n ?? 0,
      running: by.get('running')?.n ?? 0,
      dead: by.get('dead')?.n ?? 0,
      oldestQueuedAt: by.get('queued')?.oldest ?? null,
    };
  }
}
