import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotError, PlatformApiError } from '../src/core/errors.js';
import type { Job } from '../src/core/ports.js';
import { retryDelayMs, startWorker } from '../src/jobs/worker.js';
import { silentLogger } from '../src/runtime/logger.js';
import { SqlJobQueue } from '../src/store/sql-job-queue.js';
import { openSqlite, type SqliteHandle } from '../src/store/sqlite-driver.js';
import { eventually } from './support/eventually.js';

describe('durable job queue and worker', () => {
  let h: SqliteHandle;
  let queue: SqlJobQueue;
  let now = 1_000_000;
  const clock = { now: () => now };

  beforeEach(() => {
    h = openSqlite(':memory:');
    queue = new SqlJobQueue(h.db);
    now = 1_000_000;
  });
  afterEach(() => h.close());

  it('enqueues once per dedupe key', async () => {
    await queue.enqueue({ id: 'j1', type: 't', payload: {}, runAt: now, dedupeKey: 'k' });
    await queue.enqueue({ id: 'j2', type: 't', payload: {}, runAt: now, dedupeKey: 'k' });
    expect((await queue.stats(now)).queued).toBe(1);
  });

  it('re-leases a job whose worker died (lease expired), never one still leased', async () => {
    await queue.enqueue({ id: 'j1', type: 't', payload: { a: 1 }, runAt: now });
    const [first] = await queue.lease(10, 60_000, now);
    expect(first).toMatchObject({ id: 'j1', attempts: 1, payload: { a: 1 } });
    expect(await queue.lease(10, 60_000, now + 1000)).toEqual([]);
    const [again] = await queue.lease(10, 60_000, now + 61_000);
    expect(again).toMatchObject({ id: 'j1', attempts: 2 });
  });

  it('does not run a job before its time', async () => {
    await queue.enqueue({ id: 'later', type: 't', payload: {}, runAt: now + 5000 });
    expect(await queue.lease(10, 1000, now)).toEqual([]);
    expect(await queue.lease(10, 1000, now + 5000)).toHaveLength(1);
  });

  it('retries a failing job with backoff, then succeeds; a permanent failure goes to the dead-letter state', async () => {
    let calls = 0;
    const ran: string[] = [];
    const worker = startWorker({
      queue, clock, log: silentLogger, idleMs: 5,
      handlers: {
        flaky: async () => {
          calls++;
          if (calls < 3) throw new Error('temporary');
          ran.push('flaky');
        },
        broken: async () => {
          throw new BotError('bad_request', 'cannot ever work');
        },
      },
    });
    await queue.enqueue({ id: 'f', type: 'flaky', payload: {}, runAt: now });
    await queue.enqueue({ id: 'b', type: 'broken', payload: {}, runAt: now });
    await worker.drain();
    expect(calls).toBe(1);
    now += retryDelayMs(1, new Error('x')) + 1;
    await worker.drain();
    now += retryDelayMs(2, new Error('x')) + 1;
    await worker.drain();
    await worker.stop();
    expect(ran).toEqual(['flaky']);
    const stats = await queue.stats(now);
    expect(stats).toMatchObject({ queued: 0, running: 0, dead: 1 });
    const dead = h.sqlite.prepare("select id, last_error from jobs where state = 'dead'").get() as { id: string; last_error: string };
    expect(dead.id).toBe('b');
    expect(dead.last_error).toContain('cannot ever work');
  });

  it("waits as long as the platform asks after a 429", () => {
    const e = new PlatformApiError('feishu', 429, 'rate limited', { retryable: true, retryAfterMs: 7000 });
    expect(retryDelayMs(1, e)).toBe(7000);
    expect(retryDelayMs(3, new Error('x'))).toBeGreaterThan(retryDelayMs(1, new Error('x')));
    expect(retryDelayMs(50, new Error('x'))).toBeLessThanOrEqual(12 * 60_000);
  });

  it('gives up after the maximum number of attempts', async () => {
    const worker = startWorker({ queue, clock, log: silentLogger, idleMs: 5, maxAttempts: 2, handlers: { fail: async (_j: Job) => { throw new Error('down'); } } });
    await queue.enqueue({ id: 'x', type: 'fail', payload: {}, runAt: now });
    await worker.drain();
    now += 60_000;
    await worker.drain();
    await worker.stop();
    expect((await queue.stats(now)).dead).toBe(1);
  });

  /**
   * A job worker on a grouped connection whose commits fail while `broken`: a deferred foreign key fails at
   * COMMIT, as a full disk does, and SQLite rolls the whole group back.
   */
  function failingCommits(retryLostMs?: number) {
    const g = openSqlite(':memory:', { commits: 'group-jobs' });
    g.sqlite.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
      CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    const jobs = new SqlJobQueue(g.db);
    const state = { broken: true, runs: [] as string[] };
    const worker = startWorker({
      queue: jobs, clock, log: silentLogger, idleMs: 5, ...(retryLostMs !== undefined && { retryLostMs }),
      beforeJob: () => g.group.open(), pendingCommit: g.group.pending,
      handlers: {
        write: async (job: Job) => {
          state.runs.push(job.id);
          await g.atomic([sql`INSERT INTO child (id, parent) VALUES (${job.id}, ${state.broken ? 'missing' : null})`]);
        },
      },
    });
    const written = () => g.sqlite.prepare('select id from child order by id').all();
    const close = async () => {
      await worker.stop();
      g.close();
    };
    return { g, jobs, state, worker, written, close };
  }

  it('runs a job again when the commit that carried its writes failed, as soon as a later commit succeeds', async () => {
    const { g, jobs, state, worker, written, close } = failingCommits();
    try {
      await jobs.enqueue({ id: 'a', type: 'write', payload: {}, runAt: now });
      worker.kick();
      await eventually(() => state.runs.length === 1 && !g.sqlite.inTransaction);
      await worker.drain();
      // Its completion went with the failed group: still leased (for five minutes), nothing written.
      expect(await jobs.stats(now)).toMatchObject({ queued: 0, running: 1 });
      expect(written()).toEqual([]);

      state.broken = false;
      await jobs.enqueue({ id: 'b', type: 'write', payload: {}, runAt: now });
      worker.kick();
      await eventually(() => state.runs.length === 3);
      await worker.drain();
      expect(state.runs).toEqual(['a', 'b', 'a']);
      expect(written()).toEqual([{ id: 'a' }, { id: 'b' }]);
      expect(await jobs.stats(now)).toMatchObject({ queued: 0, running: 0, dead: 0 });
    } finally {
      await close();
    }
  });

  it('runs a job whose commit failed again on its own when no later commit comes (a quiet server after a full disk)', async () => {
    const { g, jobs, state, worker, written, close } = failingCommits(50);
    try {
      await jobs.enqueue({ id: 'a', type: 'write', payload: {}, runAt: now });
      worker.kick();
      await eventually(() => state.runs.length === 1 && !g.sqlite.inTransaction);
      state.broken = false; // space is back, and nothing else arrives
      await eventually(() => state.runs.length === 2 && !g.sqlite.inTransaction);
      await worker.drain();
      expect(written()).toEqual([{ id: 'a' }]);
      expect(await jobs.stats(now)).toMatchObject({ queued: 0, running: 0, dead: 0 });
    } finally {
      await close();
    }
  });

  it('runs a job whose failure could not even be written again on its own, not only when its lease runs out', async () => {
    const state = { full: true, runs: 0 };
    // A full disk: the job's writes are refused, and so is the write that would record its failure.
    const fullDisk = new Proxy(queue, {
      get(target, name, receiver) {
        if (name === 'fail') return async (...args: Parameters<SqlJobQueue['fail']>) => {
          if (state.full) throw new BotError('storage_full', 'the database disk is full');
          return target.fail(...args);
        };
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const worker = startWorker({
      queue: fullDisk, clock, log: silentLogger, idleMs: 5, retryLostMs: 50,
      handlers: {
        write: async () => {
          state.runs++;
          if (state.full) throw new BotError('storage_full', 'the database disk is full');
        },
      },
    });
    try {
      await queue.enqueue({ id: 'a', type: 'write', payload: {}, runAt: now });
      worker.kick();
      await eventually(() => state.runs === 1);
      state.full = false; // space is back, nothing else arrives, and the clock (the five-minute lease) stands still
      await eventually(() => state.runs === 2);
      await worker.drain();
      expect(await queue.stats(now)).toMatchObject({ queued: 0, running: 0, dead: 0 });
    } finally {
      await worker.stop();
    }
  });
});
