import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetWorkerCaches } from '../../src/runtime/worker-deps.js';
import type { WorkerEnv } from '../../src/runtime/worker-env.js';
import { CRON_BULLETIN, CRON_SWEEP } from '../../src/runtime/worker-schedule.js';
import worker from '../../src/runtime/worker.js';
import { SqlJobQueue } from '../../src/store/sql-job-queue.js';
import { d1, DB, emptyDatabase } from './d1-harness.js';
import { WORKER_TEST_SECRETS } from './test-secrets.js';

const TOKEN = WORKER_TEST_SECRETS.MINYI_API_TOKEN;

interface SentWakeUp {
  body: unknown;
  delaySeconds?: number;
}

/** Stands in for the JOBS producer binding and records what the Worker asked Queues to deliver. */
function recordingQueue(opts: { fail?: boolean } = {}) {
  const sent: SentWakeUp[] = [];
  const queue = {
    async send(body: unknown, o?: { delaySeconds?: number }) {
      if (opts.fail) throw new Error('Queue send failed');
      sent.push({ body, ...(o?.delaySeconds !== undefined ? { delaySeconds: o.delaySeconds } : {}) });
    },
    async sendBatch(messages: Iterable<SentWakeUp>) {
      if (opts.fail) throw new Error('Queue send failed');
      sent.push(...messages);
    },
  };
  return { queue, sent };
}

function workerEnv(over: Record<string, unknown> = {}): WorkerEnv {
  return { ...env, ...over } as WorkerEnv;
}

async function call(path: string, init: RequestInit = {}, e: WorkerEnv = workerEnv()): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://minyi.example${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
  }), e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function postMessage(text: string, e?: WorkerEnv, key?: string): Promise<Response> {
  return call('/api/messages', {
    method: 'POST',
    body: JSON.stringify({ text, sender: { id: 'u1', name: '张委员' }, chat: { id: 'c1' } }),
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  }, e);
}

async function runQueue(jobIds: string[], e: WorkerEnv = workerEnv()) {
  const batch = createMessageBatch('minyi-jobs', jobIds.map((jobId, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { jobId } })));
  const ctx = createExecutionContext();
  await worker.queue(batch, e, ctx);
  return getQueueResult(batch, ctx);
}

/** Response.json() of the DOM types takes no type argument. */
async function body<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

async function count(table: string): Promise<number> {
  const row = await DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Queued message-processing jobs (follow-ups such as the 微协商 cluster check are not the point here). */
async function queuedJobIds(): Promise<string[]> {
  const { results } = await DB.prepare("SELECT id FROM jobs WHERE state = 'queued' AND type = 'process_message' ORDER BY run_at").all<{ id: string }>();
  return results.map((r) => r.id);
}

const PROBLEM = '灌口镇镇区主干道的路灯坏了一个多月，晚上很黑，居民出行不安全，请尽快修复。';

describe('minyi on Workers (workerd + D1 + Queues)', () => {
  beforeEach(async () => {
    await emptyDatabase();
    resetWorkerCaches();
  });

  it('has the migrations applied to D1 and answers /healthz', async () => {
    expect(await count('records')).toBe(0);
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, queue: { queued: 0 } });
    // The first request seeded the bundled district and taxonomy.
    expect(await count('towns')).toBeGreaterThan(0);
    expect(await count('categories')).toBeGreaterThan(0);
  });

  it('stores a posted message with one queued job and wakes a consumer after answering', async () => {
    const q = recordingQueue();
    const res = await postMessage(PROBLEM, workerEnv({ JOBS: q.queue }));
    expect(res.status).toBe(202);
    const { id, duplicate } = await body<{ id: string; duplicate: boolean }>(res);
    expect(duplicate).toBe(false);
    expect(await count('inbound_messages')).toBe(1);
    const jobs = await queuedJobIds();
    expect(jobs).toHaveLength(1);
    expect(q.sent).toEqual([{ body: { jobId: jobs[0] } }]);
    const state = await call(`/api/messages/${id}`);
    expect(await state.json()).toMatchObject({ id, state: 'queued', replies: [] });
  });

  it('files the record when the queue delivers the job, and a redelivery changes nothing', async () => {
    const q = recordingQueue();
    const res = await postMessage(PROBLEM, workerEnv({ JOBS: q.queue }), 'msg-key-1');
    const { id } = await body<{ id: string }>(res);
    const [jobId] = await queuedJobIds();

    const first = await runQueue([jobId!]);
    expect(first.explicitAcks).toEqual(['m0']);
    const msg = await body<{ state: string; replies: { kind: string; text: string }[] }>(call(`/api/messages/${id}`));
    expect(msg.state).toBe('done');
    expect(msg.replies.map((r) => r.kind)).toEqual(['receipt']);
    const records = await body<{ records: { code: string; townName: string | null; status: string }[] }>(call('/api/records'));
    expect(records.records).toHaveLength(1);
    expect(records.records[0]).toMatchObject({ code: expect.stringMatching(/^JM-\d{4}-0001$/), townName: '灌口镇', status: 'registered' });
    expect(msg.replies[0]!.text).toContain(records.records[0]!.code);

    // The same wake-up again (Queues delivers at least once), and the same message posted again.
    const again = await runQueue([jobId!]);
    expect(again.explicitAcks).toEqual(['m0']);
    const repost = await postMessage(PROBLEM, workerEnv({ JOBS: q.queue }), 'msg-key-1');
    expect(await repost.json()).toMatchObject({ id, duplicate: true });
    expect(await queuedJobIds()).toEqual([]);
    expect(await count('inbound_messages')).toBe(1);
    expect(await count('records')).toBe(1);
    expect(await count('replies')).toBe(1);
    expect(await count('record_events')).toBe(1);
  });

  it('runs jobs whose wake-up was lost on the next sweeper tick', async () => {
    const res = await postMessage(PROBLEM, workerEnv({ JOBS: recordingQueue({ fail: true }).queue }));
    expect(res.status).toBe(202); // a failed Queue send never fails the request: the job is in D1
    const { id } = await body<{ id: string }>(res);
    expect(await queuedJobIds()).toHaveLength(1);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: CRON_SWEEP, scheduledTime: Date.now() }), workerEnv(), ctx);
    await waitOnExecutionContext(ctx);
    expect(await queuedJobIds()).toEqual([]);
    expect(await count('records')).toBe(1);
    const msg = await body<{ state: string }>(call(`/api/messages/${id}`));
    expect(msg.state).toBe('done');
  });

  it('retries a failing job later through a delayed wake-up, keeping it in D1', async () => {
    const { db } = d1();
    await new SqlJobQueue(db).enqueue({ id: 'job_unknown', type: 'no_such_job', payload: {}, runAt: Date.now() - 1000 });
    const q = recordingQueue();
    const result = await runQueue(['job_unknown'], workerEnv({ JOBS: q.queue }));
    expect(result.explicitAcks).toEqual(['m0']);
    const row = await DB.prepare('SELECT state, attempts, last_error FROM jobs WHERE id = ?').bind('job_unknown').first<{ state: string; attempts: number; last_error: string }>();
    expect(row).toMatchObject({ state: 'queued', attempts: 1, last_error: expect.stringContaining('no handler') });
    expect(q.sent).toEqual([{ body: { jobId: 'job_unknown' }, delaySeconds: expect.any(Number) }]);
  });

  it('acknowledges wake-ups for unknown jobs and malformed messages without doing anything', async () => {
    const result = await runQueue(['job_gone']);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(await count('jobs')).toBe(0);
  });

  it('runs the weekly bulletin on its cron tick once, however often the trigger fires', async () => {
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: CRON_BULLETIN, scheduledTime: Date.UTC(2026, 0, 9, 9, 7) }), workerEnv(), ctx);
      await waitOnExecutionContext(ctx);
    }
    const { results } = await DB.prepare("SELECT state FROM jobs WHERE type = 'weekly_bulletin'").all<{ state: string }>();
    expect(results.filter((r) => r.state !== 'queued')).toEqual([]); // ran (and deleted) or still due, never dead
  });

  it('posts the Friday bulletin to a town\u2019s liaison group exactly once, however often cron and the sweeper fire', async () => {
    expect((await call('/healthz')).status).toBe(200); // seeds the district on first use
    await DB.prepare("INSERT INTO chats (id, platform, external_id, name, role, town_code, updated_at) VALUES ('http:liaison-jm', 'http', 'http:liaison-jm', '集美街道联络组', 'liaison', '350211001', 0)").run();
    const friday = Date.UTC(2026, 0, 9, 9, 7);
    for (let round = 0; round < 2; round++) {
      for (const cron of [CRON_BULLETIN, CRON_BULLETIN, CRON_SWEEP]) {
        const ctx = createExecutionContext();
        await worker.scheduled(createScheduledController({ cron, scheduledTime: cron === CRON_SWEEP ? Date.now() : friday }), workerEnv(), ctx);
        await waitOnExecutionContext(ctx);
      }
    }
    const { results } = await DB.prepare("SELECT kind, payload FROM replies WHERE target LIKE '%http:liaison-jm%'").all<{ kind: string; payload: string }>();
    expect(results).toHaveLength(1);
    expect(results[0]!.payload).toContain('集美街道社情民意周报');
  });

  it('refuses the API with a clear message when MINYI_API_TOKEN is not set', async () => {
    const res = await call('/api/records', {}, workerEnv({ MINYI_API_TOKEN: undefined }));
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain('wrangler secret put MINYI_API_TOKEN');
    expect((await call('/healthz', {}, workerEnv({ MINYI_API_TOKEN: undefined }))).status).toBe(200);
  });

  it('rejects a wrong token and bad configuration with clear errors', async () => {
    expect((await call('/api/records', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const bad = await call('/healthz', {}, workerEnv({ FEISHU_MODE: 'ws' }));
    expect(bad.status).toBe(500);
    expect(JSON.stringify(await bad.json())).toContain('Node');
  });

  it('names the missing step when D1 has no tables yet (the migrations were never applied)', async () => {
    resetWorkerCaches();
    // What D1 answers for a database created but never migrated.
    const refuse = () => { throw new Error('D1_ERROR: no such table: towns: SQLITE_ERROR'); };
    const unmigrated = { prepare: refuse, batch: refuse, exec: refuse, dump: refuse, withSession: refuse };
    const res = await call('/healthz', {}, workerEnv({ DB: unmigrated }));
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain('wrangler d1 migrations apply minyi');
    resetWorkerCaches();
  });
});
