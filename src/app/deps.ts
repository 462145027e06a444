import type { Mutex } from './mutex.js';
import type { District, PlaceMatch } from '../core/gazetteer.js';
import type { ChannelAdapter, Classifier, Clock, IdGen, JobQueue, Logger, Messenger, Store, Writer } from '../core/ports.js';
import type { OutputsRepo } from '../core/outputs-ports.js';
import type { Taxonomy } from '../core/taxonomy.js';
import type { Platform } from '../core/types.js';
import type { Throttle } from './throttle.js';

export interface AppSettings {
  /** Record code prefix, e.g. JM for 集美区. */
  codePrefix: string;
  dedupeThreshold: number;
  dedupeWindowDays: number;
  /** How long a clarifying question stays open for the member's answer. */
  questionWindowMs: number;
}

/** Everything the use cases need, supplied by the runtime (Node builds it once; Workers per request). */
export interface AppDeps {
  store: Store;
  jobs: JobQueue;
  clock: Clock;
  ids: IdGen;
  log: Logger;
  classifier: Classifier;
  district: District;
  resolvePlace: (text: string) => PlaceMatch;
  taxonomy: Taxonomy;
  channels: Partial<Record<Platform, ChannelAdapter>>;
  messengers: Partial<Record<Platform, Messenger>>;
  settings: AppSettings;
  /** Wakes the job worker after an enqueue (Node); a no-op where the platform pushes jobs. */
  notifyJobs: () => void;
  /** Consultations, write-ups, scheduled runs, bulletin figures (src/store/outputs-store.ts). */
  outputs?: OutputsRepo;
  /**
   * Where jobs run side by side (the Node worker while items wait for the LLM or replies are sent), filing
   * takes this lock from dedupe to insert, so two reports of one problem always see each other.
   */
  filing?: Mutex;
  /** Per-sender / per-chat rate limits (app/throttle.ts); absent means unlimited. */
  throttle?: Throttle;
  /** Prose for agendas, write-ups and bulletins (an LLM when configured); absent means the templates. */
  writer?: Writer;
}

export const JOB_PROCESS_MESSAGE = 'process_message';
export const JOB_SEND_REPLY = 'send_reply';
export const JOB_CLUSTER_CHECK = 'cluster_check';
/** The same names the Workers cron (src/runtime/worker-schedule.ts) enqueues. */
export const JOB_WEEKLY_BULLETIN = 'weekly_bulletin';
export const JOB_DAILY_REMINDER = 'daily_reminder';
