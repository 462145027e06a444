import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { apiMessageKey } from '../../src/http/api-routes.js';
import { spawnServer, waitForExit } from '../support/child-server.js';
import { startFakeFeishuProcess } from './fake-feishu-process.js';
import { httpPoster } from './http-poster.js';
import { buildFeishuEvent, FEISHU, signed } from '../support/feishu-events.js';

export interface LoadOptions {
  rates: number[];
  seconds: number;
  texts: string[];
  /** Share of requests sent to POST /api/messages instead of the Feishu webhook. */
  apiShare?: number;
  /** Give up waiting for the backlog after this long. */
  drainTimeoutMs?: number;
  /** Seconds at 30 % of the rate before the measured window (default 3; 0 measures from a cold start). */
  rampSeconds?: number;
}

export interface LoadResult {
  rate: number;
  sent: number;
  acknowledged: number;
  /** Refused or failed requests (never promised, so not "lost"). */
  refused: number;
  /** Why: HTTP status or client error code, with counts. */
  refusedBy: Record<string, number>;
  filed: number;
  /** Acknowledged but not filed once the backlog drained (or the drain timed out). */
  lost: number;
  /** Items filed twice, plus replies a member would see twice. */
  duplicated: number;
  ackP50: number;
  ackP99: number;
  /** The ramp's own p99: what the first seconds after a restart cost (JIT, sockets, the job thread starting). */
  rampAckP99: number | null;
  /** From the last acknowledgement until every message was filed and every reply delivered. */
  drainSeconds: number | null;
}

const TOKEN = 'load-bench-token-0123456789abcdef';
const MEMBERS = 500;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Prepared {
  key: string;
  /** `platform:message_key` as the database keeps it. */
  stored: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Signs and encrypts every request before the clock starts, so the driver measures the server, not itself. */
async function prepare(n: number, tag: string, texts: string[], apiShare: number): Promise<Prepared[]> {
  const out: Prepared[] = [];
  const apiEvery = apiShare > 0 ? Math.round(1 / apiShare) : 0;
  for (let i = 0; i < n; i++) {
    const member = i % MEMBERS;
    const text = `${texts[i % texts.length]}（${tag}-${i}）`;
    if (apiEvery && i % apiEvery === 0) {
      const key = `load-${tag}-${i}`;
      const sender = `http:m${member}`;
      out.push({ key, stored: `http:${apiMessageKey(sender, sender, key)}`, path: '/api/messages', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ text, sender: { id: `m${member}` } }) });
      continue;
    }
    const key = `om_load_${tag}_${i}`;
    const req = await signed(buildFeishuEvent({ messageId: key, chatId: `oc_p2p_${member}`, senderOpenId: `ou_m${member}`, content: { text } }));
    out.push({ key, stored: `feishu:${key}`, path: '/webhooks/feishu', ...req });
  }
  return out;
}

interface Sent {
  latencies: number[];
  acked: Prepared[];
  refusedBy: Record<string, number>;
}

/** Open loop: each request starts at its slot whether or not earlier ones were answered. */
async function sendAt(post: ReturnType<typeof httpPoster>, reqs: Prepared[], rate: number): Promise<Sent> {
  const sent: Sent = { latencies: [], acked: [], refusedBy: {} };
  const refuse = (why: string) => (sent.refusedBy[why] = (sent.refusedBy[why] ?? 0) + 1);
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const r = reqs[i]!;
    const t0 = performance.now();
    inflight.push(post(r.path, r.headers, r.body).then((status) => {
      if (status === 200 || status === 202) {
        sent.latencies.push(performance.now() - t0);
        sent.acked.push(r);
      } else refuse(String(status));
    }, (error: unknown) => {
      refuse((error as { code?: string }).code ?? (error instanceof Error ? error.message : 'error'));
    }));
  }
  await Promise.all(inflight);
  sent.latencies.sort((a, b) => a - b);
  return sent;
}

const RAMP_SHARE = 0.3;

function quiet(db: Database.Database): boolean {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return n("select count(*) n from inbound_messages where state not in ('done','ignored')") === 0 && n("select count(*) n from replies where state != 'sent'") === 0;
}

async function oneRate(rate: number, o: LoadOptions): Promise<LoadResult> {
  const fake = await startFakeFeishuProcess();
  const dir = mkdtempSync(join(tmpdir(), 'minyi-load-'));
  const dbPath = join(dir, 'load.db');
  const server = await spawnServer({
    DATABASE_PATH: dbPath, MINYI_API_TOKEN: TOKEN, LOG_LEVEL: 'error',
    FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret, FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
    FEISHU_ENCRYPT_KEY: FEISHU.encryptKey, FEISHU_DOMAIN: fake.url,
    // 500 members at 1,000 msgs/s is 120 a minute each: the flood limit would (rightly) defer most of it.
    // The bench measures the pipeline, so the limit is lifted; throttle.test.ts covers the limit itself.
    THROTTLE_SENDER_PER_MIN: '1000000', THROTTLE_CHAT_PER_MIN: '1000000',
  });
  try {
    const rampSeconds = o.rampSeconds ?? 3;
    const ramp = await prepare(Math.round(rate * RAMP_SHARE * rampSeconds), `${rate}r`, o.texts, o.apiShare ?? 0.1);
    const reqs = await prepare(Math.round(rate * o.seconds), String(rate), o.texts, o.apiShare ?? 0.1);
    const post = httpPoster(server.url);
    // A server that has just started runs cold (unoptimised code, sockets still opening) for about a second;
    // a deployed one is warm. The ramp's messages are checked for loss like the rest, and its p99 reported.
    const warm = ramp.length > 0 ? await sendAt(post, ramp, rate * RAMP_SHARE) : null;
    const measured = await sendAt(post, reqs, rate);
    const acked = [...(warm?.acked ?? []), ...measured.acked];
    const refusedBy = measured.refusedBy;
    for (const [why, n] of Object.entries(warm?.refusedBy ?? {})) refusedBy[why] = (refusedBy[why] ?? 0) + n;
    const refused = Object.values(refusedBy).reduce((a, b) => a + b, 0);
    const lastAck = performance.now();
    const db = new Database(dbPath, { readonly: true });
    let drainSeconds: number | null = null;
    const deadline = lastAck + (o.drainTimeoutMs ?? 300_000);
    while (performance.now() < deadline) {
      if (quiet(db)) {
        drainSeconds = (performance.now() - lastAck) / 1000;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const sources = new Map((db.prepare('select i.platform || \':\' || i.message_key k, count(s.id) n, count(distinct s.item_index) d from inbound_messages i left join record_sources s on s.inbound_message_id = i.id group by i.id').all() as { k: string; n: number; d: number }[]).map((r) => [r.k, r]));
    const replyRows = new Map((db.prepare("select i.message_key k, count(r.id) n from inbound_messages i join replies r on r.inbound_message_id = i.id where i.platform = 'feishu' group by i.id").all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
    db.close();
    const posted = await fake.postedPerMessage();
    let filed = 0;
    let duplicated = 0;
    for (const r of acked) {
      const s = sources.get(r.stored);
      if (s && s.n > 0) filed++;
      if (s) duplicated += s.n - s.d;
      if (r.path !== '/api/messages') duplicated += Math.max(0, (posted[r.key] ?? 0) - (replyRows.get(r.key) ?? 0));
    }
    return {
      rate, sent: ramp.length + reqs.length, acknowledged: acked.length, refused, refusedBy, filed, lost: acked.length - filed, duplicated,
      ackP50: percentile(measured.latencies, 50), ackP99: percentile(measured.latencies, 99),
      rampAckP99: warm ? percentile(warm.latencies, 99) : null, drainSeconds,
    };
  } finally {
    server.proc.kill('SIGTERM');
    await waitForExit(server.proc);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rising open-loop load on loopback against `npm start`'s entry with the Feishu channel on a fake Feishu:
 * signed+encrypted webhooks plus a share of POST /api/messages. Target: 1,000 msgs/s for 60 s, zero lost
 * or duplicated, ack p99 < 100 ms. One fresh server and database per rate, which first gets a 3 s ramp at
 * 30 % of the rate (`rampSeconds: 0` measures from a cold start).
 */
export async function benchLoad(opts: LoadOptions): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const rate of opts.rates) results.push(await oneRate(rate, opts));
  return results;
}

// `npx tsx test/bench/load-bench.ts 100,300 10`: a run on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { sampleTexts } = await import('./sample-texts.js');
  const rates = (process.argv[2] ?? '100,300').split(',').map(Number);
  const seconds = Number(process.argv[3] ?? 10);
  for (const r of await benchLoad({ rates, seconds, texts: sampleTexts(5_000).texts })) process.stdout.write(`${JSON.stringify(r)}\n`);
}
