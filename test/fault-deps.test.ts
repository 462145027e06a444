import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { FakeFeishu } from './fakes/fake-feishu.js';
import { createApp } from '../src/http/app.js';
import { parseConfig } from '../src/runtime/config.js';
import { jsonLogger, silentLogger } from '../src/runtime/logger.js';
import { jobHandlers } from '../src/app/job-handlers.js';
import { startWorker } from '../src/jobs/worker.js';
import { buildNodeRuntime } from '../src/runtime/node-deps.js';
import { checkInvariants, kill9, postMessages, serverEnv, spawnServer, startFake, TOKEN, waitQuiet } from './support/fault-harness.js';
import { eventually } from './support/eventually.js';
import { FixedClock, startTestServer } from './support/runtime.js';
import { addPerson, ask, DAY, file, JIMEI, WED_10AM } from './support/workflow-helpers.js';

// An LLM endpoint that fails falls back to the local classifier: covered in test/llm-router.test.ts and
// test/llm-server.test.ts, not repeated here.
describe('failing dependencies delay work but lose none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-deps-'));
  const fakes: FakeFeishu[] = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Feishu API answering 500 for a while: every reply arrives once it recovers', async () => {
    const fake = await startFake();
    fakes.push(fake);
    fake.failSends = true;
    const dbPath = join(dir, 'outage.db');
    const server = await spawnServer(serverEnv(dbPath, fake));
    try {
      const acked = await postMessages(server.url, 11, 20);
      // Let the outage be seen: sends fail and are scheduled again with backoff.
      const end = Date.now() + 15_000;
      while (fake.requests.filter((r) => r.path.includes('/reply')).length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(fake.posted).toHaveLength(0);
      fake.failSends = false;
      await waitQuiet(dbPath);
      const inv = checkInvariants(dbPath, fake, acked);
      expect(acked).toHaveLength(20);
      expect(inv.notOneSource).toEqual([]);
      expect(inv.notOneReply).toEqual([]);
    } finally {
      await kill9(server.proc);
    }
  }, 60_000);

  it('SQLite busy: a second connection holding the write lock makes intake wait, not fail', async () => {
    const fake = await startFake();
    fakes.push(fake);
    const dbPath = join(dir, 'busy.db');
    const server = await spawnServer(serverEnv(dbPath, fake));
    const other = new Database(dbPath);
    try {
      other.exec('BEGIN IMMEDIATE'); // holds the write lock, as a long import or a backup tool might
      const posting = postMessages(server.url, 12, 12, 4);
      await new Promise((r) => setTimeout(r, 1500)); // under busy_timeout (5 s): SQLite retries the lock
      other.exec('COMMIT');
      const acked = await posting;
      expect(acked).toHaveLength(12);
      await waitQuiet(dbPath);
      const inv = checkInvariants(dbPath, fake, acked);
      expect(inv.notOneSource).toEqual([]);
      expect(inv.notOneReply).toEqual([]);
      expect(inv.integrity).toBe('ok');
    } finally {
      other.close();
      await kill9(server.proc);
    }
  }, 60_000);

  it('a full disk: messages are refused with 503 and Retry-After, /healthz says so, and every message acknowledged before is filed once there is space', async () => {
    const config = parseConfig({ DATABASE_PATH: join(dir, 'disk.db'), MINYI_API_TOKEN: TOKEN, LOG_LEVEL: 'silent' });
    const logged: Array<{ event: string; [k: string]: unknown }> = [];
    const log = jsonLogger('info', (line) => logged.push(JSON.parse(line)));
    const runtime = await buildNodeRuntime(config, log, { worker: false });
    const { sqlite } = runtime;
    const app = createApp(runtime.deps, { apiToken: TOKEN, webhooks: [], storageFull: sqlite.storageFull });
    // Long enough that every row of a message needs pages of its own: a full file cannot take any of them.
    const text = (i: number) => `灌口镇上头亭社区第${i}号楼下水道堵塞，污水漫到路面。`.repeat(60);
    const post = (i: number) => app.request('/api/messages', {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: text(i), sender: { id: `resident-${i}` } }),
    });
    const count = (table: string) => (sqlite.sqlite.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
    let worker: ReturnType<typeof startWorker> | null = null;
    try {
      for (let i = 0; i < 3; i++) expect((await post(i)).status).toBe(202);
      expect((await (await app.request('/healthz')).json()) as object).toMatchObject({ ok: true, db: 'ok' });

      // The disk fills up: SQLite may not grow the file by a single page (the same SQLITE_FULL as ENOSPC).
      sqlite.sqlite.pragma(`max_page_count = ${sqlite.sqlite.pragma('page_count', { simple: true }) as number}`);
      const refused = await post(99);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(await refused.json()).toMatchObject({ error: { code: 'storage_full' } });
      expect((await post(100)).status).toBe(503);
      expect(count('inbound_messages')).toBe(3);
      const health = await app.request('/healthz');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, db: 'full', queue: { queued: 3 } });
      expect(logged.filter((l) => l.event === 'db.storage_full')).toHaveLength(1);

      // The worker runs into the full disk: it keeps going, files nothing and gives up on nothing.
      worker = startWorker({ queue: runtime.deps.jobs, handlers: jobHandlers(runtime.deps), clock: runtime.deps.clock, log, leaseMs: 1000, maxAttempts: 1 });
      await eventually(() => logged.some((l) => l.event === 'job.retry' || l.event === 'job.fail_unrecorded'), 30_000);
      expect(count('records')).toBe(0);
      expect(logged.filter((l) => l.event === 'job.dead')).toEqual([]);
      expect(logged.find((l) => l.event === 'job.retry' || l.event === 'job.fail_unrecorded')).toMatchObject({ error: expect.stringContaining('database or disk is full') });

      // Space again: the next message is accepted, /healthz recovers, and all four are filed exactly once.
      sqlite.sqlite.pragma('max_page_count = 1073741823');
      expect((await post(3)).status).toBe(202);
      expect((await (await app.request('/healthz')).json()) as object).toMatchObject({ ok: true, db: 'ok' });
      await eventually(() => count("inbound_messages where state = 'done'") === 4, 30_000);
      expect(count('record_sources')).toBe(4);
      expect(sqlite.sqlite.prepare('select inbound_message_id id, count(*) n from record_sources group by 1 having n > 1').all()).toEqual([]);
      // One answer per message in the thread: a receipt, or a "+1" for the repeats of the first.
      expect(sqlite.sqlite.prepare('select count(*) n, count(distinct inbound_message_id) d from replies').get()).toEqual({ n: 4, d: 4 });
      expect(logged.filter((l) => l.event === 'db.storage_recovered')).toHaveLength(1);
      // Resident text never reaches the log, not even inside a failed statement.
      expect(logged.filter((l) => JSON.stringify(l).includes('下水道'))).toEqual([]);
    } finally {
      await worker?.stop();
      await runtime.close();
    }
  }, 60_000);

  it('a full disk under a staff command: 确认 is not answered with an error, and applies once there is space', async () => {
    const clock = new FixedClock(WED_10AM);
    const logged: Array<{ event: string; [k: string]: unknown }> = [];
    const log = jsonLogger('info', (line) => logged.push(JSON.parse(line)));
    const s = await startTestServer({ clock, log }); // its lines too: a refused command logs command.refused
    let worker: ReturnType<typeof startWorker> | null = null;
    try {
      await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
      await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
      const { code } = await file(s, 'm1', '集美街道岑头社区老旧小区楼道堆物严重，加装电梯方案迟迟没有落实', '集美');
      await ask(s, 's-jm', `拟议程 ${code}`);
      const csl = (await s.deps.outputs!.listConsultations({ townCode: JIMEI }))[0]!.code;
      await ask(s, 's-jm', `安排协商 ${csl} 2026-05-20 15:00`);
      await ask(s, 's-jm', '确认');
      clock.advance(7 * DAY);
      // Minutes long enough that storing them needs pages of their own.
      const minutes = [`协商纪要 ${csl}`, `纪要：${'各方同意先清理楼道，再论证加装电梯方案，社区牵头征求每一户居民意见。'.repeat(50)}`, '决定：清理楼道堆物｜岑头社区｜2026-05-30'].join('\n');
      expect(await ask(s, 's-jm', minutes)).toContain('请确认：协商纪要');

      // 确认 is accepted while there is still room; then the disk fills up before its job runs: no free page,
      // and the file may not grow. The command's writes are refused as storage_full.
      await s.runtime.worker!.stop();
      const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: '确认', sender: { id: 's-jm' } }) });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const sqlite = s.runtime.sqlite.sqlite;
      const count = (q: string) => (sqlite.prepare(`select count(*) n from ${q}`).get() as { n: number }).n;
      sqlite.exec('VACUUM'); // no free page left
      expect(sqlite.pragma('freelist_count', { simple: true })).toBe(0);
      sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
      worker = startWorker({ queue: s.deps.jobs, handlers: jobHandlers(s.deps), clock, log, idleMs: 5, maxAttempts: 1 });
      await eventually(() => logged.some((l) => l.event === 'job.retry' || l.event === 'job.fail_unrecorded'), 30_000);
      // Not refused (「暂时无法完成…」 would have been the command's last word), not given up: left to run again.
      expect(logged.filter((l) => l.event === 'job.dead' || l.event === 'command.refused')).toEqual([]);
      expect(count(`replies where inbound_message_id = '${id}'`)).toBe(0);
      expect((await s.deps.outputs!.getConsultation(csl))!.status).toBe('scheduled');
      expect(count("pending_actions where state = 'pending'")).toBe(1);

      // Space again: past the retry's backoff (or the lease of a failure that could not be recorded), it runs once.
      sqlite.pragma('max_page_count = 1073741823');
      clock.advance(10 * 60_000);
      worker.kick();
      await eventually(() => count(`inbound_messages where id = '${id}' and state = 'done'`) === 1, 30_000);
      const replies = sqlite.prepare('select payload from replies where inbound_message_id = ?').all(id) as { payload: string }[];
      expect(replies).toHaveLength(1);
      expect(replies[0]!.payload).not.toContain('暂时无法完成');
      const held = (await s.deps.outputs!.getConsultation(csl))!;
      expect(held.status).toBe('held');
      expect(held.minutes).toContain('各方同意先清理楼道');
      expect(await s.deps.outputs!.listActionItems({ consultationId: held.id })).toHaveLength(1);
      expect(count("pending_actions where state = 'pending'")).toBe(0);
    } finally {
      await worker?.stop();
      await s.close();
    }
  }, 60_000);

  it('a full job queue: the API answers 503 with Retry-After before persisting; /healthz shows the backlog, then a lost database', async () => {
    const config = parseConfig({ DATABASE_PATH: join(dir, 'full.db'), MINYI_API_TOKEN: TOKEN, LOG_LEVEL: 'silent' });
    // No worker: the backlog only grows.
    const runtime = await buildNodeRuntime(config, silentLogger, { worker: false });
    const app = createApp(runtime.deps, { apiToken: TOKEN, webhooks: [], maxBacklog: 5 });
    const post = (i: number) => app.request('/api/messages', {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: `灌口镇路灯第${i}盏不亮`, sender: { id: `s${i}` } }),
    });
    const inbound = () => (runtime.sqlite.sqlite.prepare('select count(*) n from inbound_messages').get() as { n: number }).n;
    try {
      for (let i = 0; i < 5; i++) expect((await post(i)).status).toBe(202);
      await new Promise((r) => setTimeout(r, 1100)); // the backlog count is cached for a second
      const refused = await post(99);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      // Without the token the answer is 401, full queue or not: the backlog is not for strangers to probe.
      const stranger = await app.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"x","sender":{"id":"s"}}' });
      expect(stranger.status).toBe(401);
      expect(inbound()).toBe(5);
      const health = (await (await app.request('/healthz')).json()) as { queue: { queued: number } };
      expect(health.queue.queued).toBe(5);
    } finally {
      await runtime.close();
    }
    const down = await app.request('/healthz');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, db: 'unreachable' });
  });
});
