import { isBotError, isStorageFull, LlmError, PlatformApiError } from '../core/errors.js';
import type { Clock, Job, JobQueue, Logger } from '../core/ports.js';
import { runInLanes } from './lanes.js';

export type JobHandler = (job: Job) => Promise<void>;

export const DEFAULT_MAX_ATTEMPTS = 16;
export type JobHandlers = Record<string, JobHandler>;

export interface WorkerOptions {
  queue: JobQueue;
  handlers: JobHandlers;
  clock: Clock;
  log: Logger;
  batchSize?: number;
  leaseMs?: number;
  idleMs?: number;
  maxAttempts?: number;
  /**
   * How long the loop may run jobs before it yields to the event loop (default 4 ms). Where writes share a
   * grouped commit (store/group-commit.ts) this is also how long a group, and SQLite's write lock, lasts.
   */
  yieldEveryMs?: number;
  /** Yield early when this says so (another thread waits for SQLite's write lock). */
  yieldWhen?: () => boolean;
  /** Called as each job starts (the Node job thread opens its commit group here). */
  beforeJob?: (job: Job) => void;
  /**
   * Where writes commit later (store/group-commit.ts): what the commit of the writes just made will settle
   * with, or null when they are on disk already. A job whose commit fails has lost its completion with the
   * rest of its writes; it runs again once a later commit succeeds, or after `retryLostMs` if none comes.
   */
  pendingCommit?: () => Promise<void> | null;
  /**
   * How long a job whose commit failed, or whose failure could not be written, waits for a later commit
   * before it simply runs again (default 10 s) instead of waiting out its lease.
   */
  retryLostMs?: number;
  /** Leased jobs run at most this many at a time (default 1: one after another). */
  concurrency?: number;
  /** Jobs with the same lane run one at a time in lease order (a chat's messages); null: no constraint. */
  laneOf?: (job: Job) => string | null;
}

export interface WorkerHandle {
  /** Wake the loop now instead of at the next poll (called after intake). */
  kick(): void;
  /** Finish the current batch and stop. */
  stop(): Promise<void>;
  /** Resolves once nothing is due (tests, CLI import). */
  drain(): Promise<void>;
}

/** Exponential backoff with a cap; the platform's own wait wins when it names one (429 reset). */
export function retryDelayMs(attempts: number, error: unknown): number {
  if (error instanceof PlatformApiError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const base = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
  return base + Math.floor(base * 0.2 * ((attempts * 7919) % 10) / 10);
}

function isPermanent(error: unknown): boolean {
  if (error instanceof PlatformApiError || error instanceof LlmError) return !error.retryable;
  return isBotError(error) && (error.code === 'bad_request' || error.code === 'not_found' || error.code === 'config_invalid');
}

export type RunJobOptions = Pick<WorkerOptions, 'queue' | 'handlers' | 'clock' | 'log'> & { maxAttempts: number };

/**
 * What became of a job: `retryAt` when it will run again; `unrecorded` when not even its failure could be
 * written, so it stays leased to this runner (run again when the lease runs out, or sooner by the runner).
 */
export interface JobOutcome {
  ok: boolean;
  retryAt: number | null;
  unrecorded?: true;
}

/**
 * Runs one leased job and records the outcome: complete, retry with backoff, or dead. Shared by the Node
 * worker loop and the Workers queue consumer / sweeper.
 */
export async function runJob(o: RunJobOptions, job: Job): Promise<JobOutcome> {
  const handler = o.handlers[job.type];
  try {
    if (!handler) throw new Error(`no handler for job type ${job.type}`);
    await handler(job);
    await o.queue.complete(job.id);
    return { ok: true, retryAt: null };
  } catch (error) {
    const now = o.clock.now();
    // A full disk waits for the operator however long it takes: giving up would lose acknowledged messages.
    const dead = isPermanent(error) || (job.attempts >= o.maxAttempts && !isStorageFull(error));
    const message = describe(error);
    const retryAt = dead ? null : now + retryDelayMs(job.attempts, error);
    try {
      await o.queue.fail(job.id, message, retryAt, now);
    } catch (unrecorded) {
      // Nothing could be written (the disk that failed the job is still full): the job stays leased and runs
      // again when its lease runs out, or sooner where the runner says (JobOutcome). Thrown on, it would end
      // the worker loop.
      o.log.error('job.fail_unrecorded', { job: job.id, type: job.type, error: message, cause: describe(unrecorded) });
      return { ok: false, retryAt: null, unrecorded: true };
    }
    (dead ? o.log.error : o.log.warn)(dead ? 'job.dead' : 'job.retry', { job: job.id, type: job.type, attempts: job.attempts, error: message });
    return { ok: false, retryAt };
  }
}

/** drizzle's errors name only the statement; SQLite's reason is the innermost cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let root: Error = error;
  for (let depth = 0; root.cause instanceof Error && depth < 5; depth++) root = root.cause;
  return `${error.name}: ${error.message}${root === error ? '' : ` (${root.message})`}`;
}

/** The in-process worker loop of the Node runtime: lease a batch, run each job, record the outcome. */
export function startWorker(o: WorkerOptions): WorkerHandle {
  const batchSize = o.batchSize ?? 100;
  const leaseMs = o.leaseMs ?? 5 * 60_000;
  const idleMs = o.idleMs ?? 200;
  // 16 attempts with the capped backoff span about an hour (1 s … 10 min): a platform outage of several
  // minutes delays replies but does not kill them; 8 gave up after about two minutes.
  const maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const yieldEveryMs = o.yieldEveryMs ?? 4;
  const concurrency = Math.max(1, o.concurrency ?? 1);
  // A quiet server has no later commit to wait for: the disk that failed the commit may have room again.
  const retryLostMs = o.retryLostMs ?? 10_000;
  const laneOf = o.laneOf ?? (() => null);
  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wake: (() => void) | null = null;
  let idleWaiters: Array<() => void> = [];
  const kick = () => {
    if (timer) clearTimeout(timer);
    wake?.();
  };
  /**
   * Jobs whose commit failed or whose failure could not be written (still leased to this worker), and those
   * cleared to run again.
   */
  const lost = new Map<string, Job>();
  let lostSince = 0;
  let again: Job[] = [];
  const runLostAgain = () => {
    if (lost.size === 0) return;
    again.push(...lost.values());
    lost.clear();
    kick();
  };
  const markLost = (job: Job) => {
    if (lost.size === 0) lostSince = performance.now();
    lost.set(job.id, job);
  };
  const committedAfter = (job: Job) => {
    o.pendingCommit?.()?.then(runLostAgain, () => markLost(job));
  };

  // better-sqlite3 is synchronous: without yields, a batch of jobs would hold the event loop (and webhook
  // acknowledgements in the same thread) behind it. Yielding every few milliseconds rather than after every
  // job lets a grouped commit (store/group-commit.ts) cover several jobs. Every lane parks on the same turn,
  // or the lanes still running would keep the loop from ever reaching it.
  // performance.now(), not the injected clock: this is scheduling, and tests fix the clock.
  let lastYield = performance.now();
  let turn: Promise<void> | null = null;
  const yieldTurn = () => (turn ??= new Promise<void>((resolve) => setImmediate(() => {
    turn = null;
    lastYield = performance.now();
    resolve();
  })));
  const loop = (async () => {
    while (!stopping) {
      // Only a lease that started after drain() was called can prove the queue empty for that caller.
      const armed = idleWaiters;
      idleWaiters = [];
      let leased: Job[] = [];
      try {
        leased = await o.queue.lease(batchSize, leaseMs, o.clock.now());
      } catch (error) {
        o.log.error('job.lease_failed', { error: String(error) });
      }
      // A lost job whose lease ran out comes back through the lease, and runs only from there.
      for (const job of leased) lost.delete(job.id);
      const ids = new Set(leased.map((j) => j.id));
      const jobs = [...again.filter((j) => !ids.has(j.id)), ...leased];
      again = [];
      await runInLanes(jobs, concurrency, laneOf, async (job) => {
        if (turn) await turn;
        if (stopping) return;
        try {
          o.beforeJob?.(job);
        } catch (error) {
          // Only the grouping failed (e.g. the lock stayed busy): the job still runs, its writes committing alone.
          o.log.warn('job.before_failed', { job: job.id, error: String(error) });
        }
        const outcome = await runJob({ ...o, maxAttempts }, job);
        if (outcome.unrecorded) markLost(job);
        else committedAfter(job);
        if (performance.now() - lastYield >= yieldEveryMs || o.yieldWhen?.()) await yieldTurn();
      });
      if (jobs.length > 0) {
        // A turn between batches: whatever this batch wrote is committed before the next batch's jobs (a
        // reply's delivery among them) act on it.
        await yieldTurn();
        idleWaiters = [...armed, ...idleWaiters];
      } else {
        for (const w of armed) w();
        if (lost.size && performance.now() - lostSince >= retryLostMs) {
          runLostAgain();
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, idleMs);
        });
        wake = null;
      }
    }
  })();

  return {
    kick,
    async stop() {
      stopping = true;
      this.kick();
      await loop;
    },
    drain() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        this.kick();
      });
    },
  };
}
