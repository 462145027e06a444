import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/ports.js';

export interface JobThread {
  kick: () => void;
  stop: () => Promise<void>;
  /** True while the job thread's writes are refused for lack of disk space (it says so, job-thread.ts). */
  storageFull: () => boolean;
}

/**
 * Starts job-thread.ts and waits until its runtime is up. The thread inherits this process's loader
 * flags (tsx), so it runs the TypeScript sources the same way. If the thread dies the process exits: a
 * server that accepts messages with nobody to file them would only pile up work.
 */
export async function startJobThread(env: NodeJS.ProcessEnv, log: Logger, priority: SharedArrayBuffer): Promise<JobThread> {
  const thread = new Worker(new URL('./job-thread-entry.mjs', import.meta.url), { workerData: { env: { ...env }, priority } });
  let stopping = false;
  thread.on('error', (error) => {
    log.error('job_thread.failed', { error: error.stack ?? error.message });
    process.exit(1);
  });
  thread.on('exit', (code) => {
    if (stopping) return;
    log.error('job_thread.exited', { code });
    process.exit(1);
  });
  // Its storage state may change before it is ready (a full disk while it starts).
  let storageFull = false;
  const ready = new Promise<void>((resolve) => {
    thread.on('message', (message: unknown) => {
      if (message === 'ready') resolve();
      else if (typeof message === 'object' && message !== null && 'storageFull' in message) storageFull = message.storageFull === true;
    });
  });
  await ready;
  return {
    storageFull: () => storageFull,
    kick: () => thread.postMessage('kick'),
    async stop() {
      stopping = true;
      thread.postMessage('stop');
      await once(thread, 'exit');
    },
  };
}
