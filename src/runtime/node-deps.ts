import type { AppDeps } from '../app/deps.js';
import { jobHandlers } from '../app/job-handlers.js';
import { httpChannel, httpMessenger } from '../channels/http/http-channel.js';
import { loadDefaultLocalClassifier } from '../classify/load-local-model.js';
import { localClassifier } from '../classify/local-router.js';
import { buildResolver } from '../core/gazetteer.js';
import type { Classifier, Logger } from '../core/ports.js';
import { DEFAULT_DEDUPE_THRESHOLD } from '../core/similarity.js';
import { runDueTasks, SCHEDULED_TASKS } from '../app/scheduled-tasks.js';
import { startScheduler, type SchedulerHandle } from '../jobs/scheduler.js';
import { startWorker, type WorkerHandle } from '../jobs/worker.js';
import { OutputsStore } from '../store/outputs-store.js';
import { loadDistrictSeed } from '../store/district-seed.js';
import { ReferenceStore } from '../store/reference-store.js';
import { SqlJobQueue } from '../store/sql-job-queue.js';
import { SqlStore } from '../store/sql-store.js';
import { openSqlite, type SqliteHandle } from '../store/sqlite-driver.js';
import { loadTaxonomySeed } from '../store/taxonomy-seed.js';
import { type Config, recordPrefix, throttleLimits } from './config.js';
import { randomIds, systemClock } from './ids.js';
import type { PlatformWiring } from './platform-wiring.js';
import { wireDingtalk } from './wire-dingtalk.js';
import { wireFeishu } from './wire-feishu.js';
import { wireClassifier, wireWriter } from './wire-llm.js';
import { createThrottle } from '../app/throttle.js';
import { DEFAULT_THROTTLE_LIMITS } from '../core/throttle.js';

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
export async function buildNodeRuntime(config: Config, log: Logger, opts: { worker?: boolean; clock?: AppDeps['clock']; reclaimLeases?: boolean; throttle?: boolean } = {}): Promise<NodeRuntime> {
  const sqlite = openSqlite(config.DATABASE_PATH);
  const reference = new ReferenceStore(sqlite.db, sqlite.atomic);
  const { district, taxonomy, seeded } = await reference.ensureLoaded(config.DISTRICT_CODE, {
    district: () => loadDistrictSeed(config.DISTRICT_CODE),
    categories: () => loadTaxonomySeed(),
  });
  if (seeded) log.info('seed.district', { district: config.DISTRICT_CODE });
  const store = new SqlStore(sqlite.db, sqlite.atomic);
  const jobs = new SqlJobQueue(sqlite.db);
  const platforms = [wireFeishu(config, log), wireDingtalk(config, log)].filter((p): p is PlatformWiring => p !== null);
  let worker: WorkerHandle | null = null;
  const clock = opts.clock ?? systemClock;
  const resolvePlace = buildResolver(district);
  const llmContext = { categories: taxonomy.categories, towns: district.towns, resolvePlace, clock };
  const writer = wireWriter(config, log, clock);
  const deps: AppDeps = {
    store, jobs, log, taxonomy, district,
    clock,
    ids: randomIds,
    // Loaded on first use: the server thread of `npm start` only acknowledges and never classifies.
    classifier: wireClassifier(config, log, lazyClassifier(() => localClassifier(loadDefaultLocalClassifier(), taxonomy)), llmContext),
    resolvePlace,
    channels: { http: httpChannel, ...Object.fromEntries(platforms.map((p) => [p.channel.platform, p.channel])) },
    messengers: { http: httpMessenger, ...Object.fromEntries(platforms.map((p) => [p.messenger.platform, p.messenger])) },
    settings: {
      codePrefix: recordPrefix(config),
      dedupeThreshold: config.DEDUPE_THRESHOLD ?? DEFAULT_DEDUPE_THRESHOLD,
      dedupeWindowDays: 30,
      questionWindowMs: 24 * 3600_000,
    },
    notifyJobs: () => worker?.kick(),
    outputs: new OutputsStore(sqlite.db, sqlite.atomic),
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
    worker = startWorker({ queue: jobs, handlers: jobHandlers(deps), clock: deps.clock, log });
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
