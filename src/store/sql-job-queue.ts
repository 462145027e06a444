import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import type { DeadJobSelection, InboundState, Job, JobFilter, JobInfo, JobQueue, JobState, NewJob, RequeueResult } from '../core/ports.js';
import type { Db } from './db.js';
import { jobInsert } from './effect-statements.js';

/** The message a job is about (process_message and cluster_check payloads name it); NULL for the others. */
const INBOUND_ID = sql.raw(`json_extract(payload, '$.inboundId')`);

/** A `JobInfo` as the query returns it, its message flat in two columns. */
type JobInfoRow = Omit<JobInfo, 'inbound'> & { inboundId: unknown; inboundState: InboundState | null };

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
    // Otherwise GET /api/messages/:id would say `queued` for good. Here, not in the worker, because only the
    // store knows which message a payload names; a job about a message already done (the 微协商 check) leaves
    // it alone.
    if (retryAt === null) {
      await this.db.run(sql`UPDATE inbound_messages SET state = 'failed', error = ${error}, updated_at = ${now}
        WHERE id = (SELECT ${INBOUND_ID} FROM jobs WHERE id = ${id}) AND state NOT IN ('done', 'ignored')`);
    }
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

  async list(filter: JobFilter): Promise<JobInfo[]> {
    const rows = await this.db.all<JobInfoRow>(sql`
      SELECT j.id, j.type, j.state, j.attempts, j.run_at AS runAt, j.last_error AS lastError, j.created_at AS createdAt,
        j.updated_at AS updatedAt, ${INBOUND_ID} AS inboundId, m.state AS inboundState
      FROM jobs j LEFT JOIN inbound_messages m ON m.id = ${INBOUND_ID}
      WHERE j.state = ${filter.state}${filter.type === undefined ? sql`` : sql` AND j.type = ${filter.type}`}
      ORDER BY j.updated_at DESC, j.id DESC LIMIT ${filter.limit}`);
    return rows.map(({ inboundId, inboundState, ...job }) => ({
      ...job,
      inbound: typeof inboundId === 'string' ? { id: inboundId, state: inboundState } : null,
    }));
  }

  /**
   * Two statements, not one transaction: the queue has no `Atomic`, and D1 has no BEGIN. For a list of ids
   * both carry the same guard (every id names a dead job), and only a retry moves a dead job, so either both
   * change the list or neither does. The messages go first: a crash in between leaves a message `queued`
   * beside its still-dead job (what a dead job's message looked like before `fail` marked it), and the next
   * retry finishes it.
   */
  async requeueDead(which: DeadJobSelection, now: number): Promise<RequeueResult> {
    const byIds = 'ids' in which;
    const ids = byIds ? [...new Set(which.ids)] : await this.deadIds(which.type);
    if (ids.length === 0) return { requeued: [], messages: 0, refused: [] };
    // One bound parameter for any number of ids: D1 allows 100 per statement.
    const picked = sql`state = 'dead' AND id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
    const whole = byIds ? sql` AND (SELECT count(*) FROM jobs WHERE ${picked}) = ${ids.length}` : sql``;
    const messages = await this.db.all<{ id: string }>(sql`UPDATE inbound_messages SET state = 'queued', error = NULL, updated_at = ${now}
      WHERE state = 'failed' AND id IN (SELECT ${INBOUND_ID} FROM jobs WHERE ${picked})${whole} RETURNING id`);
    // Attempts from 0: the worker buries a job once attempts reach its maximum and backs off by attempts, so a
    // job kept at its old count would die at its next failure, after a 10-minute wait. The cause has been
    // fixed (that is why it is retried): it gets the whole budget a new job gets. The earlier failures are
    // in the log (job.dead), and last_error shows why it died until it runs again.
    const jobs = await this.db.all<{ id: string }>(sql`UPDATE jobs SET state = 'queued', run_at = ${now}, attempts = 0,
      lease_until = NULL, updated_at = ${now} WHERE ${picked}${whole} RETURNING id`);
    if (byIds && jobs.length === 0) return { requeued: [], messages: 0, refused: await this.notDead(ids) };
    return { requeued: jobs.map((j) => j.id), messages: messages.length, refused: [] };
  }

  private async deadIds(type: string | undefined): Promise<string[]> {
    const rows = await this.db.select({ id: t.jobs.id }).from(t.jobs)
      .where(type === undefined ? eq(t.jobs.state, 'dead') : and(eq(t.jobs.state, 'dead'), eq(t.jobs.type, type)));
    return rows.map((r) => r.id);
  }

  private async notDead(ids: string[]): Promise<RequeueResult['refused']> {
    const rows = await this.db.all<{ id: string; state: JobState }>(sql`
      SELECT id, state FROM jobs WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
    const state = new Map(rows.map((r) => [r.id, r.state]));
    return ids.filter((id) => state.get(id) !== 'dead').map((id) => ({ id, state: state.get(id) ?? null }));
  }
}
