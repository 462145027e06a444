import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/child-server.js';

export interface WorkerBenchOptions {
  requests: number;
  concurrency: number;
  texts?: string[];
}

export interface WorkerBenchResult {
  p50: number;
  p99: number;
  rps: number;
  /** Records filed by the local queue consumer while the load ran (read back through the API). */
  filed: number;
}

const TOKEN = 'worker-bench-token-0123456789';
const ROOT = resolve(import.meta.dirname, '..', '..');
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const READY_TIMEOUT_MS = 120_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function waitReady(url: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`wrangler dev exited (${proc.exitCode}):\n${output().slice(-2000)}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become ready:\n${output().slice(-2000)}`);
}

function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  // wrangler starts workerd as a child: signal the process group this bench created, and only that.
  process.kill(-proc.pid, 'SIGTERM');
  const force = setTimeout(() => {
    if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGKILL');
  }, 5000);
  return exited.finally(() => clearTimeout(force));
}

/**
 * POST /api/messages load against `wrangler dev --local` (workerd + local D1 + local Queues, on this
 * machine), measured like the Node server. Migrations are applied to a throw-away local state first.
 */
export async function benchWorker(opts: WorkerBenchOptions): Promise<WorkerBenchResult> {
  const texts = opts.texts ?? ['灌口镇上头社区路口积水严重', '侨英街道某小区电梯经常停运', '杏林湾路工地夜里施工太吵', '后溪镇某村道路灯不亮'];
  const state = mkdtempSync(join(tmpdir(), 'minyi-worker-bench-'));
  const migrate = spawnSync(WRANGLER, ['d1', 'migrations', 'apply', 'minyi', '--local', '--persist-to', state], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (migrate.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const proc = spawn(WRANGLER, [
    'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state,
    '--var', `MINYI_API_TOKEN:${TOKEN}`, '--var', 'LOG_LEVEL:error', '--show-interactive-dev-session=false',
  ], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  proc.stdout?.on('data', (b: Buffer) => (log += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  try {
    await waitReady(url, proc, () => log);
    const post = async (i: number): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': `bench-${i}` },
        body: JSON.stringify({ text: `${texts[i % texts.length]}（${i}）`, sender: { id: `u${i % 50}`, name: '委员' } }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`POST /api/messages answered ${res.status}`);
      return performance.now() - t0;
    };
    for (let i = 0; i < Math.min(100, opts.requests); i++) await post(-1 - i); // warm-up: isolate, D1, model

    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(Array.from({ length: opts.concurrency }, async () => {
      while (next < opts.requests) latencies.push(await post(next++));
    }));
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const records = await fetch(`${url}/api/records?limit=500`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const filed = ((await records.json()) as { records: unknown[] }).records.length;
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: opts.requests / seconds, filed };
  } finally {
    await stop(proc);
    rmSync(state, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const requests = Number(process.env.BENCH_REQUESTS ?? 2000);
  const r = await benchWorker({ requests, concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16) });
  process.stdout.write(`wrangler dev --local, POST /api/messages x${requests}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s; ${r.filed} records listed after the run\n`);
}
