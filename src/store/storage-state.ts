/**
 * Whether a SQLite connection's writes are being refused for lack of disk space (core/errors.ts
 * `isStorageFull`). A full disk is the operator's to fix, not a bug: the state is logged when it starts and
 * when it ends, not once per refused message, and GET /healthz reports it.
 */
import { isStorageFull } from '../core/errors.js';
import type { Logger } from '../core/ports.js';

export interface StorageState {
  /** Records a failed write or commit; true when it failed for lack of space. */
  failed(error: unknown): boolean;
  /** A write reached the disk. */
  written(): void;
  /** True from a write refused for lack of space until one reaches the disk again. */
  full(): boolean;
}

/** `changed` hears each start and end of the state (the job thread tells the server thread's /healthz). */
export function storageState(path: string, log: Logger | undefined, changed?: (full: boolean) => void, now: () => number = Date.now): StorageState {
  let fullSince: number | null = null;
  return {
    failed(error) {
      if (!isStorageFull(error)) return false;
      if (fullSince !== null) return true;
      log?.error('db.storage_full', { path, error: 'database or disk is full' });
      fullSince = now();
      changed?.(true);
      return true;
    },
    written() {
      if (fullSince === null) return;
      log?.warn('db.storage_recovered', { path, fullForMs: now() - fullSince });
      fullSince = null;
      changed?.(false);
    },
    full: () => fullSince !== null,
  };
}
