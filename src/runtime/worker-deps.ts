import type { ExecutionContext } from '@cloudflare/workers-types/index.js';
import type { AppDeps } from '../app/deps.js';
import { httpChannel, httpMessenger } from '../channels/http/http-channel.js';
import { localClassifier } from '../classify/local-router.js';
import { buildResolver, type District, type PlaceMatch } from '../core/gazetteer.js';
import type { Classifier, Clock, Logger } from '../core/ports.js';
import type { Taxonomy } from '../core/taxonomy.js';
import { openD1 } from '../store/d1-driver.js';
import type { Atomic, Db } from '../store/db.js';
import { OutputsStore } from '../store/outputs-store.js';
import { ReferenceStore } from '../store/reference-store.js';
import { SqlJobQueue } from '../store/sql-job-queue.js';
import { SqlStore } from '../store/sql-store.js';
import { type Config, appSettings } from './config.js';
import { randomIds, systemClock } from './ids.js';
import { jsonLogger } from './logger.js';
import type { PlatformWiring } from './platform-wiring.js';
import { bundledDistrictSeed, bundledLocalClassifier, bundledTaxonomy } from './worker-assets.js';
import { WakeUps } from './worker-wakeups.js';
import { type WorkerEnv, workerConfig } from './worker-env.js';
import { wireDingtalk } from './wire-dingtalk.js';
import { wireFeishu } from './wire-feishu.js';
import { wireClassifier } from './wire-llm.js';

/** Reference data changes rarely (an office adds an alias); an isolate re-reads it after this long. */
const REFERENCE_TTL_MS = 60_000;

interface Reference {
  district: District;
  taxonomy: Taxonomy;
  resolvePlace: (text: string) => PlaceMatch;
  local: Classifier;
  loadedAt: number;
}

// Module scope lives as long as the isolate: reference data is loaded once per isolate, not per request.
let reference: Reference | null = null;

/** Tests start each case from a fresh D1; they drop the isolate's cached reference data with this. */
export function resetWorkerCaches(): void {
  reference = null;
}

async function loadReference(db: Db, atomic: Atomic, config: Config, log: Logger, now: number): Promise<Reference> {
  if (reference && now - reference.loadedAt < REFERENCE_TTL_MS) return reference;
  const store = new ReferenceStore(db, atomic);
  const { district, taxonomy, seeded } = await store.ensureLoaded(config.DISTRICT_CODE, {
    district: () => bundledDistrictSeed(config.DISTRICT_CODE),
    categories: () => bundledTaxonomy(),
  });
  if (seeded) log.info('seed.district', { district: config.DISTRICT_CODE });
  reference = { district, taxonomy, resolvePlace: buildResolver(district), local: localClassifier(bundledLocalClassifier(), taxonomy), loadedAt: now };
  return reference;
}

export interface WorkerRuntime {
  config: Config;
  deps: AppDeps;
  db: Db;
  platforms: PlatformWiring[];
  wakeUps: WakeUps;
}

export interface WorkerDepsOptions {
  clock?: Clock;
  log?: Logger;
}

/**
 * Builds the app's dependencies for one Worker invocation (request, queue batch or cron tick). Stateless
 * apart from the reference-data cache: D1 is the only shared state, so any isolate can serve any request.
 */
export async function workerDeps(env: WorkerEnv, _ctx: ExecutionContext, opts: WorkerDepsOptions = {}): Promise<WorkerRuntime> {
  const config = workerConfig(env);
  const log = opts.log ?? jsonLogger(config.LOG_LEVEL, (line) => console.log(line));
  const clock = opts.clock ?? systemClock;
  const { db, atomic } = openD1(env.DB);
  const ref = await loadReference(db, atomic, config, log, clock.now());
  const wakeUps = new WakeUps(db, env.JOBS, clock, log, clock.now());
  const platforms = [wireFeishu(config, log), wireDingtalk(config, log)].filter((p): p is PlatformWiring => p !== null);
  const deps: AppDeps = {
    store: new SqlStore(db, atomic),
    jobs: new SqlJobQueue(db),
    clock, log,
    ids: randomIds,
    taxonomy: ref.taxonomy,
    district: ref.district,
    resolvePlace: ref.resolvePlace,
    classifier: wireClassifier(config, log, ref.local),
    channels: { http: httpChannel, ...Object.fromEntries(platforms.map((p) => [p.channel.platform, p.channel])) },
    messengers: { http: httpMessenger, ...Object.fromEntries(platforms.map((p) => [p.messenger.platform, p.messenger])) },
    settings: appSettings(config),
    outputs: new OutputsStore(db, atomic),
    notifyJobs: () => wakeUps.mark(),
  };
  return { config, deps, db, platforms, wakeUps };
}
