import type { AppDeps } from '../app/deps.js';
import { jobHandlers } from '../app/job-handlers.js';
import { httpChannel, httpMessenger } from '../channels/http/http-channel.js';
import { loadDefaultLocalClassifier } from '../classify/load-local-model.js';
import { localClassifier } from '../classify/local-router.js';
import { buildResolver } from '../core/gazetteer.js';
import type { Classifier, Logger } from '../core/ports.js';
import { runDueTasks, SCHEDULED_TASKS } from '../app/scheduled-tasks.js';
import { startScheduler, type SchedulerHandle } from '../jobs/scheduler.js';
import { startWorker, type WorkerHandle } from '../jobs/worker.js';
import { OutputsStore } from '../store/outputs-store.js';
import { loadDistrictSeed } from '../store/district-seed.js';
import { ReferenceStore } from '../store/reference-store.js';
import { SqlJobQueue } from '../store/sql-job-queue.js';
import { SqlStore } from '../store/sql-store.js';
import { DedupeCache } from '../store/dedupe-cache.js';
import { openSqlite, type SqliteHandle, type SqliteOptions } from '../store/sqlite-driver.js';
import { loadTaxonomySeed } from '../store/taxonomy-seed.js';
import { type Config, appSettings, throttleLimits } from './config.js';
import { randomIds, systemClock } from './ids.js';
import type { PlatformWiring } from './platform-wiring.js';
import { wireDingtalk } from './wire-dingtalk.js';
import { wireFeishu } from './wire-feishu.js';
import { jobLanes } from './job-lanes.js';
import { Mutex } from '../app/mutex.js';
import { wireClassifier, wireWriter } from './wire-llm.js';
import { createThrottle } from '../app/throttle.js';
import { DEFAULT_THROTTLE_LIMITS } from '../core/throttle.js';

/**
 * The job thread's turn between yields, and so the longest a commit group runs when no acknowledgement waits
 * (one that waits makes the worker yield at its next job boundary: store/group-commit.ts). Filing 3,000
 * messages in one process: 10 ms → 519/s against 596/s at 30 ms; after the filing got cheaper, three runs
 * each of 30, 60 and 100 ms all fell within 711–919/s. A commit's cost grows with its pages, so longer turns
 * gain little and would only hold replies back longer.
 */
const GROUP_TURN_MS = 30;

function lazyClassifier(load: () => Classifier): Classifier {
  let loaded: Classifier | null = null;
  return { classify: (input) => (loaded ??= load()).classify(input) };
}

export interface NodeRuntime {
  deps: AppDeps;
  platforms: PlatformWiring[];
  sqlite: SqliteHandle;
  reference: ReferenceStore;
  worker: WorkerHandle | null;
  close(): Promise<void>;
}

/** Builds the embedded default once: SQLite file, reference data seeded on first start, local classifier. */
export async function buildNodeRuntime(config: Config, log: Logger, opts: { worker?: boolean; clock?: AppDeps['clock']; reclaimLeases?: boolean; throttle?: boolean } & Pick<SqliteOptions, 'commits' | 'priority' | 'inFlight' | 'storageChanged'> = {}): Promise<NodeRuntime> {
  const sqlite = openSqlite(config.DATABASE_PATH, {
    commits: opts.commits ?? 'each', log, ...(opts.priority && { priority: opts.priority }), ...(opts.inFlight && { inFlight: opts.inFlight }),
    ...(opts.storageChanged && { storageChanged: opts.storageChanged }),
  });
  const reference = new ReferenceStore(sqlite.db, sqlite.atomic);
  const { district, taxonomy, seeded } = await reference.ensureLoaded(config.DISTRICT_CODE, {
    district: () => loadDistrictSeed(config.DISTRICT_CODE),
    categories: () => loadTaxonomySeed(),
  });
  if (seeded) log.info('seed.district', { district: config.DISTRICT_CODE });
  const store = new SqlStore(sqlite.db, sqlite.atomic, new DedupeCache());
  const jobs = new SqlJobQueue(sqlite.db);
  const platforms = [wireFeishu(config, log), wireDingtalk(config, log)].filter((p): p is PlatformWiring => p !== null);
  let worker: WorkerHandle | null = null;
  const clock = opts.clock ?? systemClock;
  const resolvePlace = buildResolver(district);
  const llmContext = { categories: taxonomy.categories, towns: district.towns, resolvePlace, clock };
  const writer = wireWriter(config, log, clock);
  // Loaded now where jobs run: loading on first use would happen inside a commit group and hold SQLite's
  // write lock for the better part of a second. The server thread only acknowledges and never loads it.
  const loadLocal = () => localClassifier(loadDefaultLocalClassifier(), taxonomy);
  const local = opts.worker === false ? lazyClassifier(loadLocal) : loadLocal();
  const deps: AppDeps = {
    store, jobs, log, taxonomy, district,
    clock,
    ids: randomIds,
    classifier: wireClassifier(config, log, local, llmContext),
    resolvePlace,
    channels: { http: httpChannel, ...Object.fromEntries(platforms.map((p) => [p.channel.platform, p.channel])) },
    messengers: { http: httpMessenger, ...Object.fromEntries(platforms.map((p) => [p.messenger.platform, p.messenger])) },
    settings: appSettings(config),
    notifyJobs: () => worker?.kick(),
    outputs: new OutputsStore(sqlite.db, sqlite.atomic),
    filing: new Mutex(),
    ...(writer ? { writer } : {}),
    // The server limits floods; a CLI import of one sender's backlog must not wait 3 s a message.
    ...(opts.throttle || Object.keys(throttleLimits(config)).length ? { throttle: createThrottle({ ...DEFAULT_THROTTLE_LIMITS, ...throttleLimits(config) }) } : {}),
  };
  let scheduler: SchedulerHandle | null = null;
  if (opts.reclaimLeases) {
    const reclaimed = await jobs.reclaimLeases(clock.now());
    if (reclaimed) log.warn('job.leases_reclaimed', { count: reclaimed });
  }
  if (opts.worker !== false) {
    const handlers = jobHandlers(deps);
    const grouped = opts.commits === 'group-jobs';
    worker = startWorker({
      queue: jobs, handlers, clock: deps.clock, log,
      // Side by side, so replies being sent and items waiting for the LLM overlap; deps.filing keeps filing
      // itself one at a time.
      concurrency: config.WORKER_CONCURRENCY, laneOf: jobLanes({ llm: Boolean(config.LLM_BASE_URL && config.LLM_MODEL) }),
      ...(grouped ? { yieldEveryMs: GROUP_TURN_MS, yieldWhen: sqlite.group.contended, beforeJob: () => sqlite.group.open(), pendingCommit: sqlite.group.pending } : {}),
    });
    // Catch up a run missed while the server was down, then let croner wake the same check on time.
    const tick = () => runDueTasks(deps, deps.clock.now());
    await tick().catch((error: unknown) => log.error('schedule.catch_up_failed', { error: error instanceof Error ? error.message : String(error) }));
    scheduler = startScheduler(SCHEDULED_TASKS.map((t) => t.cron), tick, log);
  }
  return {
    deps, platforms, sqlite, reference,
    get worker() {
      return worker;
    },
    async close() {
      scheduler?.stop();
      await worker?.stop();
      sqlite.close();
    },
  };
}
