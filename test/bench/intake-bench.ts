import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawnServer, waitForExit } from '../support/child-server.js';
import { httpPoster } from './http-poster.js';

const TOKEN = 'bench-token-0123456789abcdef';

export interface IntakeBenchResult {
  messages: number;
  ackPerSecond: number;
  filedPerSecond: number;
  ackP50: number;
  ackP99: number;
  seconds: number;
  /**
   * CPU time of the server process (every thread: acknowledging, job, V8's helpers) per message, from the first
   * POST to the last filing; null where /proc is missing. The target is per core, and this VM's cores are also
   * shared with the driver, so this is the figure to hold against it.
   */
  cpuMsPerMessage: number | null;
  /** The same, by thread: where the time goes (null where /proc is missing). */
  cpuByThread: CpuByThread | null;
}

/** CPU ms per message of the acknowledging thread, the job thread, and the rest (V8's GC helpers, libuv). */
export interface CpuByThread {
  acknowledging: number;
  jobs: number;
  other: number;
}

/** User + system CPU in ms of a /proc stat file (fields 14 and 15, in clock ticks of 10 ms). */
function statCpuMs(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU in ms of each thread of a process, from /proc/<pid>/task/<tid>/stat. */
function threadCpuMs(pid: number | undefined): Map<number, number> | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(Number(tid), statCpuMs(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/**
 * Per-thread CPU between two readings. The acknowledging thread is the process's main thread; the job thread is
 * the busiest of the others (Node names every thread "node", so it is told by its share, not its name).
 */
function cpuByThread(pid: number, before: Map<number, number>, after: Map<number, number>, messages: number): CpuByThread {
  const used = [...after].map(([tid, ms]) => ({ tid, ms: ms - (before.get(tid) ?? 0) }));
  const main = used.find((u) => u.tid === pid)?.ms ?? 0;
  const others = used.filter((u) => u.tid !== pid).sort((a, b) => b.ms - a.ms);
  const jobs = others[0]?.ms ?? 0;
  const rest = others.slice(1).reduce((n, u) => n + u.ms, 0);
  return { acknowledging: main / messages, jobs: jobs / messages, other: rest / messages };
}

/** CPU in ms of a whole process, from /proc/<pid>/stat: threads that ended count too. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  return statCpuMs(`/proc/${pid}/stat`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * End to end on `npm start`'s process (its acknowledging thread and its job thread, each with its own SQLite
 * connection): POST every message through the API, then wait until each is filed. Time runs from the first
 * POST to the last filing.
 */
export async function benchIntake(texts: string[], concurrency = 32): Promise<IntakeBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-bench-'));
  const dbPath = join(dir, 'bench.db');
  // The flood limit is for real senders; the bench sends thousands from a few ids, so it is lifted here.
  const server = await spawnServer({ DATABASE_PATH: dbPath, MINYI_API_TOKEN: TOKEN, LOG_LEVEL: 'error', THROTTLE_SENDER_PER_MIN: '1000000', THROTTLE_CHAT_PER_MIN: '1000000' });
  const latencies: number[] = [];
  try {
    const post = httpPoster(server.url);
    const cpuBefore = processCpuMs(server.proc.pid);
    const threadsBefore = threadCpuMs(server.proc.pid);
    const start = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < texts.length) {
        const i = next++;
        const t0 = performance.now();
        const status = await post('/api/messages', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          JSON.stringify({ text: texts[i], sender: { id: `bench-${i % 50}` }, town: ['灌口镇', '后溪镇', '杏林街道', '侨英街道', '杏滨街道', '集美街道'][i % 6] }));
        if (status !== 202) throw new Error(`POST answered ${status}`);
        latencies.push(performance.now() - t0);
      }
    }));
    const acked = performance.now();
    const db = new Database(dbPath, { readonly: true });
    const pending = db.prepare("select count(*) n from inbound_messages where state not in ('done','ignored')");
    while ((pending.get() as { n: number }).n > 0) await new Promise((r) => setTimeout(r, 20));
    db.close();
    const end = performance.now();
    const cpuAfter = processCpuMs(server.proc.pid);
    const threadsAfter = threadCpuMs(server.proc.pid);
    latencies.sort((a, b) => a - b);
    return {
      messages: texts.length,
      ackPerSecond: texts.length / ((acked - start) / 1000),
      filedPerSecond: texts.length / ((end - start) / 1000),
      ackP50: percentile(latencies, 50),
      ackP99: percentile(latencies, 99),
      seconds: (end - start) / 1000,
      cpuMsPerMessage: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / texts.length,
      cpuByThread: threadsBefore === null || threadsAfter === null ? null : cpuByThread(server.proc.pid!, threadsBefore, threadsAfter, texts.length),
    };
  } finally {
    server.proc.kill('SIGTERM');
    await waitForExit(server.proc);
    rmSync(dir, { recursive: true, force: true });
  }
}
