import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { runningServerPid } from '../server-lock.js';
import { checkInputFile, checkOutputFile, err, out, UsageError } from './io.js';

function integrity(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string);
  } finally {
    db.close();
  }
}

const ALL_PAGES = 2 ** 30;

/** A path with its symlinks resolved, also for a file not created yet (SQLite names -wal/-shm after the real file). */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino; // a hard link
  } catch {
    return false;
  }
}

/** The database file or one of its sidecars, when writing `file` (or its `.partial`) would replace it under the server. */
function overwritesDatabase(databasePath: string, file: string): string | undefined {
  const db = canonical(databasePath);
  return [db, `${db}-wal`, `${db}-shm`].find((live) => [file, `${file}.partial`].some((target) => sameFile(target, live)));
}

/**
 * `minyi backup <file>`: SQLite's online backup API copies a consistent snapshot page by page while the
 * server keeps reading and writing (WAL readers never block it). Written to `<file>.partial` first and
 * renamed, so an interrupted backup never leaves a file that looks complete.
 */
export async function backupCommand(config: Config, file: string | undefined): Promise<number> {
  if (!file) throw new UsageError('usage: minyi backup <file>');
  if (!existsSync(config.DATABASE_PATH)) {
    err(`no database at ${config.DATABASE_PATH}`);
    return 1;
  }
  checkOutputFile(file);
  const live = overwritesDatabase(config.DATABASE_PATH, file);
  if (live) {
    err(`refusing to back up: ${file} is the live database (${live}); choose another file`);
    return 1;
  }
  const src = new Database(config.DATABASE_PATH, { fileMustExist: true });
  src.pragma('busy_timeout = 5000');
  const partial = `${file}.partial`;
  try {
    rmSync(partial, { force: true });
    // All pages in one step, so one read snapshot: copied in small steps, a backup restarts whenever the
    // server commits in between, and a busy server would keep it restarting.
    await src.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    src.close();
  }
  // The copy inherits WAL mode, and every read-only open of a WAL file (the check below, a later restore) leaves
  // -wal/-shm files beside it that nothing removes: a backup is one self-contained file instead.
  const copy = new Database(partial, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  const check = integrity(partial);
  if (check !== 'ok') {
    err(`backup failed its integrity check: ${check}`);
    return 1;
  }
  renameSync(partial, file);
  out(`backed up ${config.DATABASE_PATH} to ${file}`);
  return 0;
}

/**
 * `minyi restore <file> [--force]`: replaces DATABASE_PATH with a backup. Refused while a live server holds
 * the database (its pid file, runtime/server-lock.ts), since it would keep serving from the replaced file;
 * `--force` only overrides an existing database, never a running server. The backup is checked first.
 */
export async function restoreCommand(config: Config, file: string | undefined, force: boolean): Promise<number> {
  if (!file) throw new UsageError('usage: minyi restore <file> [--force]');
  const pid = runningServerPid(config.DATABASE_PATH);
  if (pid !== null) {
    err(`refusing to restore: a minyi server (pid ${pid}) is using ${config.DATABASE_PATH}; stop it first`);
    return 1;
  }
  checkInputFile(file);
  // Copying the database onto itself page by page would leave neither the old nor a good one.
  const live = overwritesDatabase(config.DATABASE_PATH, file);
  if (live) {
    err(`refusing to restore: ${file} is the database itself (${live}); name a backup file`);
    return 1;
  }
  const check = integrity(file);
  if (check !== 'ok') {
    err(`refusing to restore: ${file} fails its integrity check: ${check}`);
    return 1;
  }
  if (existsSync(config.DATABASE_PATH) && !force) {
    err(`refusing to restore: ${config.DATABASE_PATH} exists; add --force to replace it`);
    return 1;
  }
  // Copy through the backup API into the target path, so its old -wal/-shm files cannot mix with the new pages.
  mkdirSync(dirname(config.DATABASE_PATH), { recursive: true });
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await src.backup(config.DATABASE_PATH);
  } finally {
    src.close();
  }
  out(`restored ${file} to ${config.DATABASE_PATH}`);
  return 0;
}
