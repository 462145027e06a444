import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeishuEvent, FEISHU, type SignedRequest, signed } from '../support/feishu-events.js';
import { freePort, spawnServer, waitForExit } from '../support/child-server.js';
import { startFakeFeishuProcess } from './fake-feishu-process.js';
import { httpPoster } from './http-poster.js';

export interface AckStats {
  p50: number;
  p99: number;
  rps: number;
}

export interface FeishuAckBenchOptions {
  requests: number;
  concurrency: number;
  /** Open loop: start requests at this rate (req/s) instead of as fast as `concurrency` allows. */
  rate?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(url: string, reqs: SignedRequest[], concurrency: number, rate?: number): Promise<AckStats> {
  const latencies: number[] = [];
  const post = httpPoster(url);
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < reqs.length) {
      const i = next++;
      if (rate) {
        const due = start + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const t0 = performance.now();
      const status = await post('/webhooks/feishu', reqs[i]!.headers, reqs[i]!.body);
      if (status !== 200) throw new Error(`POST answered ${status}`);
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: reqs.length / seconds };
}

async function spawnBare(): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bare-hono-server.ts')], {
    env: { ...process.env, PORT: String(port) }, stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { proc, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('bare Hono server did not start');
}

/**
 * Acknowledgement latency of signed, encrypted im.message.receive_v1 posts: minyi (`npm start`'s entry, its
 * job worker filing and replying meanwhile to a loopback fake Feishu in a third process) versus a bare Hono
 * 200 route in its own process, on this machine. Requests are signed and encrypted before the clock starts.
 */
export async function benchFeishuAck(opts: FeishuAckBenchOptions): Promise<{ ours: AckStats; bare: AckStats; ratio: number }> {
  const texts = ['灌口镇上头社区路口积水严重', '侨英街道某小区电梯经常停运', '杏林湾路工地夜里施工太吵', '后溪镇某村道路灯不亮'];
  const make = () => Promise.all(Array.from({ length: opts.requests }, (_, i) => signed(buildFeishuEvent({ content: { text: `${texts[i % texts.length]}（${i}）` } }))));
  const warmup = Math.min(200, opts.requests);
  const fake = await startFakeFeishuProcess();
  const dir = mkdtempSync(join(tmpdir(), 'minyi-feishu-bench-'));
  const ours = await spawnServer({
    DATABASE_PATH: join(dir, 'bench.db'), MINYI_API_TOKEN: 'bench-token-0123456789abcdef', LOG_LEVEL: 'error',
    FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret, FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
    FEISHU_ENCRYPT_KEY: FEISHU.encryptKey, FEISHU_DOMAIN: fake.url,
  });
  const bare = await spawnBare();
  try {
    // Warm both (JIT, SQLite pages, keep-alive sockets) before measuring.
    await load(ours.url, (await make()).slice(0, warmup), opts.concurrency);
    await load(bare.url, (await make()).slice(0, warmup), opts.concurrency);
    const bareStats = await load(bare.url, await make(), opts.concurrency, opts.rate);
    const ourStats = await load(ours.url, await make(), opts.concurrency, opts.rate);
    return { ours: ourStats, bare: bareStats, ratio: ourStats.p50 / bareStats.p50 };
  } finally {
    for (const p of [ours.proc, bare.proc]) {
      p.kill('SIGTERM');
      await waitForExit(p);
    }
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
