import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Raises the calling thread's nice value. On Linux, setpriority() given a thread id changes only that
 * thread, and /proc/thread-self names the caller's id. Why: in a burst the acknowledging thread and the job
 * thread each want a whole core; a platform retries an unanswered webhook within seconds, while filing may
 * lag and catch up. Returns false where threads cannot be told apart this way (macOS, no /proc).
 */
export function lowerThreadPriority(nice: number): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
