import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { parseConfig } from '../src/runtime/config.js';
import { silentLogger } from '../src/runtime/logger.js';
import { buildNodeRuntime } from '../src/runtime/node-deps.js';
import type { FakeFeishu } from './fakes/fake-feishu.js';
import { kill9, serverEnv, spawnServer, startFake, TOKEN } from './support/fault-harness.js';
import { buildFeishuEvent, signed } from './support/feishu-events.js';
import { minyi } from './support/cli-run.js';



interface JobLine {
  id: string;
  type: string;
  state: string;
  attempts: number;
  lastError: string | null;
  inboundId: string | null;
  inboundState: string | null;
}

const PHONE = '13906921234';

describe('minyi jobs and minyi retry: dead jobs seen and run again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-cli-jobs-'));
  const dbPath = join(dir, 'office.db');
  const db = { DATABASE_PATH: dbPath };
  let fake: FakeFeishu | null = null;
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const rows = (sql: string) => {
    const d = new Database(dbPath, { readonly: true });
    try {
      return d.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      d.close();
    }
  };
  const deadJobs = async () => (await minyi(['jobs', '--json'], db)).lines.map((l) => JSON.parse(l) as JobLine);

  it('a message that died while the server ran without its Feishu settings is listed, requeued and filed once they are back', async () => {
    fake = await startFake();
    const withFeishu = serverEnv(dbPath, fake);

    // Feishu delivers a message and the server acknowledges it; it stops before filing it.
    const messageKey = 'om_cli_jobs_1';
    const accepted = await buildNodeRuntime(parseConfig(withFeishu), silentLogger, { worker: false });
    let inboundId: string;
    try {
      // A reply whose delivery Feishu refused for good, its error quoting the resident: made through the port,
      // as the worker records one, for the masking and --type checks.
      await accepted.deps.jobs.enqueue({ id: 'job_reply_refused', type: 'send_reply', payload: { replyKey: 'gone' }, runAt: Date.now() - 60_000 });
      expect((await accepted.deps.jobs.lease(1, 60_000, Date.now())).map((j) => j.id)).toEqual(['job_reply_refused']);
      await accepted.deps.jobs.fail('job_reply_refused', `PlatformApiError: Feishu POST failed: 230001 invalid content\n  陈先生 ${PHONE}`, null, Date.now());

      const app = createApp(accepted.deps, { apiToken: TOKEN, webhooks: accepted.platforms.map((p) => p.verifier) });
      const req = await signed(buildFeishuEvent({ messageId: messageKey, content: { text: `灌口镇上头亭社区路口积水严重，路灯也坏了，电话${PHONE}` } }));
      expect((await app.request('/webhooks/feishu', { method: 'POST', headers: req.headers, body: req.body })).status).toBe(200);
      inboundId = (await accepted.deps.store.inboundByKey('feishu', messageKey))!.id;
    } finally {
      await accepted.close();
    }

    // Started again without FEISHU_* (an env file lost in a redeploy): the message's job dies at once.
    const without = await buildNodeRuntime(parseConfig({ DATABASE_PATH: dbPath, MINYI_API_TOKEN: TOKEN }), silentLogger);
    try {
      await without.worker!.drain();
      const app = createApp(without.deps, { apiToken: TOKEN, webhooks: [] });
      const answer = await app.request(`/api/messages/${inboundId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await answer.json()).toMatchObject({ state: 'failed', error: expect.stringContaining('channel feishu is not configured') });
    } finally {
      await without.close();
    }

    const listed = await minyi(['jobs'], db);
    expect(listed.code).toBe(0);
    const messageJob = listed.lines.find((l) => l.includes('process_message'));
    expect(messageJob).toContain(`${inboundId} (failed)`);
    expect(messageJob).toContain('channel feishu is not configured');
    expect(listed.stdout).toContain('139****1234');
    expect(listed.stdout).not.toContain(PHONE);
    expect(listed.lines.at(-1)).toBe('2 dead job(s)');
    const dead = await deadJobs();
    expect(dead.map((j) => j.type)).toEqual(['process_message', 'send_reply']); // newest first
    const jobId = dead[0]!.id;
    expect(dead[0]).toMatchObject({ state: 'dead', attempts: 1, inboundId, inboundState: 'failed', lastError: expect.stringContaining('channel feishu is not configured') });
    expect(dead[1]!.lastError).toBe('PlatformApiError: Feishu POST failed: 230001 invalid content 陈先生 139****1234');
    expect((await minyi(['jobs', '--type', 'cluster_check'], db)).lines).toEqual(['no dead jobs of type cluster_check']);

    // One unknown id among them: refused whole, nothing changed.
    const refused = await minyi(['retry', jobId, 'job_nope'], db);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('job job_nope does not exist');
    expect(refused.stdout).toBe('');
    expect(rows(`SELECT state, attempts FROM jobs WHERE id = '${jobId}'`)).toEqual([{ state: 'dead', attempts: 1 }]);
    expect(rows(`SELECT state FROM inbound_messages WHERE id = '${inboundId}'`)).toEqual([{ state: 'failed' }]);

    // The settings are back and the server runs: retrying its dead messages files them.
    const server = await spawnServer(withFeishu);
    try {
      const retried = await minyi(['retry', '--dead', '--type', 'process_message'], db);
      expect(retried.code).toBe(0);
      expect(retried.lines).toEqual(['requeued 1 job(s) (1 message(s) back to queued)']);
      const message = async () => {
        const res = await fetch(`${server.url}/api/messages/${inboundId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        return (await res.json()) as { state: string };
      };
      let seen = await message();
      for (let i = 0; i < 300 && seen.state !== 'done'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await message();
      }
      expect(seen).toMatchObject({ state: 'done', outcome: { items: [{ code: expect.stringMatching(/^JM-\d{4}-\d{4}$/) }] } });
      for (let i = 0; i < 100 && !fake.posted.some((p) => p.parentId === messageKey); i++) await new Promise((r) => setTimeout(r, 100));
      expect(fake.posted.filter((p) => p.parentId === messageKey)).toHaveLength(1);
      // The reply refused for good was not of that type: still dead, the only one.
      expect((await deadJobs()).map((j) => j.id)).toEqual(['job_reply_refused']);
    } finally {
      await kill9(server.proc);
    }
  }, 180_000);
});
