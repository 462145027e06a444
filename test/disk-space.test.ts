import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type DiskSpace, diskSpace, isDiskLow, watchDiskSpace } from '../src/runtime/disk-space.js';
import { startTestServer } from './support/runtime.js';

const GIB = 1024 ** 3;

describe('disk space on the database disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-disk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is low under 1 GiB or 5 % free, whichever is less', () => {
    expect(isDiskLow(0.9 * GIB, 100 * GIB)).toBe(true);
    expect(isDiskLow(1.1 * GIB, 100 * GIB)).toBe(false);
    // A 10 GiB disk: 5 % is half a GiB.
    expect(isDiskLow(0.4 * GIB, 10 * GIB)).toBe(true);
    expect(isDiskLow(0.6 * GIB, 10 * GIB)).toBe(false);
  });

  it('reads the free space of the folder that holds the database', () => {
    const d = diskSpace(join(dir, 'minyi.db'));
    expect(d).not.toBeNull();
    expect(d!.freeBytes).toBeGreaterThan(0);
    expect(d!.totalBytes).toBeGreaterThanOrEqual(d!.freeBytes);
    expect(d!.low).toBe(isDiskLow(d!.freeBytes, d!.totalBytes));
    expect(diskSpace(':memory:')).toBeNull();
  });

  it('logs when the disk becomes low and when it has room again, once each', () => {
    const readings: (DiskSpace | null)[] = [
      { freeBytes: 5 * GIB, totalBytes: 50 * GIB, low: false },
      { freeBytes: 0.5 * GIB, totalBytes: 50 * GIB, low: true },
      { freeBytes: 0.4 * GIB, totalBytes: 50 * GIB, low: true },
      null,
      { freeBytes: 3 * GIB, totalBytes: 50 * GIB, low: false },
    ];
    const events: [string, unknown][] = [];
    const log = { info: (e: string, f?: unknown) => events.push([e, f]), warn: (e: string, f?: unknown) => events.push([e, f]), error: () => undefined };
    let i = 0;
    vi.useFakeTimers();
    // The first reading is taken at once, the others a minute apart.
    const stop = watchDiskSpace(() => readings[i++] ?? null, log, 60_000);
    try {
      vi.advanceTimersByTime(4 * 60_000);
    } finally {
      stop();
      vi.useRealTimers();
    }
    expect(i).toBe(5);
    expect(events).toEqual([
      ['disk.low', { freeMiB: 512, totalMiB: 51_200 }],
      ['disk.ok', { freeMiB: 3072, totalMiB: 51_200 }],
    ]);
  });

  it('GET /healthz reports the free space', async () => {
    const server = await startTestServer();
    try {
      const body = (await (await fetch(`${server.url}/healthz`)).json()) as { ok: boolean; disk: DiskSpace };
      expect(body.ok).toBe(true);
      expect(body.disk.freeBytes).toBeGreaterThan(0);
      expect(body.disk.totalBytes).toBeGreaterThanOrEqual(body.disk.freeBytes);
    } finally {
      await server.close();
    }
  });
});
