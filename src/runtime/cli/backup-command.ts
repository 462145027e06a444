import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { runningServerPid } from '../server-lock.js';
import { out } from './io.js';

function integrity(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string);
  } finally {
    db.close();
  }
}

const ALL_PAGES = 2 ** 30;

/**
 * `minyi backup <file>`: SQLite's online backup API copies a consistent snapshot page by page while the
 * server keeps reading and writing (WAL readers never block it). Written to `<file>.partial` first and
 * renamed, so an interrupted backup never leaves a file that looks complete.
 */
export async function backupCommand(config: Config, file: string | undefined): Promise<number> {
  if (!file) return usage('backup <file>');
  if (!existsSync(config.DATABASE_PATH)) {
    out(`no database at ${config.DATABASE_PATH}`);
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
  const check = integrity(partial);
  if (check !== 'ok') {
    out(`backup failed its integrity check: ${check}`);
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
  if (!file) return usage('restore <file> [--force]');
  const pid = runningServerPid(config.DATABASE_PATH);
  if (pid !== null) {
    out(`refusing to restore: a minyi server (pid ${pid}) is using ${config.DATABASE_PATH}; stop it first`);
    return 1;
  }
  if (!existsSync(file)) {
    out(`no backup at ${file}`);
    return 1;
  }
  const check = integrity(file);
  if (check !== 'ok') {
    out(`refusing to restore: ${file} fails its integrity check: ${check}`);
    return 1;
  }
  if (existsSync(config.DATABASE_PATH) && !force) {
    out(`refusing to restore: ${config.DATABASE_PATH} exists; add --force to replace it`);
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

function usage(args: string): number {
  out(`usage: minyi ${args}`);
  return 2;
}
