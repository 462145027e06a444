import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One server per database file, marked by `<database>.server.pid`. Why a pid file and not a SQLite lock: in
 * WAL mode an idle server holds no lock at all, so only the pid can tell `minyi restore` that a server would
 * be left reading a file swapped under it; and the server reclaims job leases at start, which is only safe
 * when no other live process is working the same queue.
 */
export function lockPath(databasePath: string): string {
  return `${databasePath}.server.pid`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live server holding the database, or null (no file, or a stale one left by a crash). */
export function runningServerPid(databasePath: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath(databasePath), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** Claims the database for this process; throws one readable line when another live server holds it. */
export function acquireServerLock(databasePath: string): () => void {
  if (databasePath === ':memory:') return () => {};
  const other = runningServerPid(databasePath);
  if (other !== null) throw new Error(`another minyi server (pid ${other}) is using ${databasePath}`);
  mkdirSync(dirname(databasePath), { recursive: true });
  writeFileSync(lockPath(databasePath), `${process.pid}\n`);
  return () => rmSync(lockPath(databasePath), { force: true });
}
