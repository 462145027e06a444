/**
 * Free space on the database's disk, for GET /healthz and a warning in the log. A full disk refuses every
 * message (503 storage_full), so the operator should hear of it before: "low" is less than 1 GiB or 5 % of
 * the disk free, whichever is less (a filed message takes about 6 KB, so 1 GiB is some 150,000 messages).
 */
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../core/ports.js';

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
  low: boolean;
}

const GIB = 1024 ** 3;

export function isDiskLow(freeBytes: number, totalBytes: number): boolean {
  return freeBytes < Math.min(GIB, totalBytes * 0.05);
}

/** Null for an in-memory database, or where the file system does not say. */
export function diskSpace(databasePath: string): DiskSpace | null {
  if (databasePath === ':memory:') return null;
  try {
    const fs = statfsSync(dirname(resolve(databasePath)));
    const freeBytes = fs.bavail * fs.bsize;
    const totalBytes = fs.blocks * fs.bsize;
    return { freeBytes, totalBytes, low: isDiskLow(freeBytes, totalBytes) };
  } catch {
    return null;
  }
}

/** Logs `disk.low` when the disk becomes low and `disk.ok` when it has room again; checked now and every minute. */
export function watchDiskSpace(read: () => DiskSpace | null, log: Logger, everyMs = 60_000): () => void {
  let low = false;
  const check = () => {
    const d = read();
    if (!d || d.low === low) return;
    low = d.low;
    const figures = { freeMiB: Math.floor(d.freeBytes / 1024 ** 2), totalMiB: Math.floor(d.totalBytes / 1024 ** 2) };
    if (low) log.warn('disk.low', figures);
    else log.info('disk.ok', figures);
  };
  check();
  const timer = setInterval(check, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
