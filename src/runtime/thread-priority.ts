import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Raises the calling thread's nice value to at least `nice`; a process already started nicer keeps its value
 * (as root, setting it would raise the thread's priority instead). On Linux, setpriority() given a thread id
 * changes only that thread, and /proc/thread-self names the caller's id. Why: in a burst the acknowledging
 * thread and the job thread each want a whole core; a platform retries an unanswered webhook within seconds,
 * while filing may lag and catch up. Returns false where threads cannot be told apart this way (macOS, no /proc).
 */
export function lowerThreadPriority(nice: number): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.max(nice, getPriority(tid)));
    return true;
  } catch {
    return false;
  }
}
