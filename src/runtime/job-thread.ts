import { parentPort, workerData } from 'node:worker_threads';
import { parseConfig } from './config.js';
import { jsonLogger } from './logger.js';
import { buildNodeRuntime } from './node-deps.js';
import { lowerThreadPriority } from './thread-priority.js';

/** Below the acknowledging thread: a 200 within milliseconds matters more than filing this very moment. */
const JOB_THREAD_NICE = 10;

/**
 * The job worker of `npm start`, in its own thread with its own SQLite connection (WAL lets it write while
 * the server thread acknowledges). Filing, classifying and sending then never hold up a webhook's 200.
 * The server thread posts 'kick' after each intake and 'stop' at shutdown; this thread posts
 * `{ storageFull }` when its writes start or stop being refused for lack of space (GET /healthz).
 */
const port = parentPort;
if (!port) throw new Error('job-thread.ts runs only as a worker thread of src/runtime/node.ts');
const { env, priority } = workerData as { env: Record<string, string | undefined>; priority: SharedArrayBuffer };
const config = parseConfig(env);
const log = jsonLogger(config.LOG_LEVEL);
if (!lowerThreadPriority(JOB_THREAD_NICE)) log.info('job_thread.priority_unchanged', { reason: 'no per-thread priority on this platform' });
const runtime = await buildNodeRuntime(config, log, {
  reclaimLeases: true, throttle: true, commits: 'group-jobs', priority: { shared: new Int32Array(priority), role: 'jobs' },
  storageChanged: (full) => port.postMessage({ storageFull: full }),
});
port.on('message', (message: unknown) => {
  if (message === 'kick') runtime.worker?.kick();
  if (message === 'stop') void runtime.close().then(() => port.close());
});
port.postMessage('ready');
