import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { resetWorkerCaches } from '../../src/runtime/worker-deps.js';
import type { WorkerEnv } from '../../src/runtime/worker-env.js';
import { DB, emptyDatabase } from './d1-harness.js';
import { FEISHU_TEST, feishuTextEvent, signedFeishuRequest } from './feishu-test-app.js';
import { count, deliver, postToWorker, recordingQueue } from './queue-harness.js';

const fake = inject('feishuFake');

function feishuEnv(jobs: unknown): WorkerEnv {
  return {
    ...env, JOBS: jobs, FEISHU_APP_ID: FEISHU_TEST.appId, FEISHU_APP_SECRET: FEISHU_TEST.appSecret,
    FEISHU_VERIFICATION_TOKEN: FEISHU_TEST.verificationToken, FEISHU_ENCRYPT_KEY: FEISHU_TEST.encryptKey, FEISHU_DOMAIN: fake.url,
  } as unknown as WorkerEnv;
}

const webhook = (e: WorkerEnv, req: { headers: Record<string, string>; body: string }) => postToWorker(e, '/webhooks/feishu', req);

async function posted(): Promise<{ parentId: string | null; content: string }[]> {
  return ((await (await fetch(fake.inspectUrl)).json()) as { posted: { parentId: string | null; content: string }[] }).posted;
}

describe('a signed Feishu webhook on Workers', () => {
  beforeEach(async () => {
    await emptyDatabase();
    resetWorkerCaches();
  });

  it('is stored and queued, then filed and answered in the thread through the Feishu API, once', async () => {
    const q = recordingQueue();
    const e = feishuEnv(q.queue);
    const messageId = `om_worker_${Date.now()}`;
    const request = await signedFeishuRequest(feishuTextEvent(messageId, '后溪镇的村道路灯坏了很久，晚上出行很危险'));
    const res = await webhook(e, request);
    expect(res.status).toBe(200);
    expect(await count('inbound_messages')).toBe(1);
    expect(q.jobIds).toHaveLength(1);

    await deliver(e, q);
    const record = await DB.prepare('SELECT code FROM records').first<{ code: string }>();
    expect(record?.code).toMatch(/^JM-\d{4}-0001$/);
    const replies = (await posted()).filter((p) => p.parentId === messageId);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toContain(record!.code);

    // Feishu redelivers the same event (it does after 3 s without a 200): nothing new happens.
    expect((await webhook(e, await signedFeishuRequest(feishuTextEvent(messageId, '后溪镇的村道路灯坏了很久，晚上出行很危险')))).status).toBe(200);
    await deliver(e, q);
    expect(await count('inbound_messages')).toBe(1);
    expect(await count('records')).toBe(1);
    expect((await posted()).filter((p) => p.parentId === messageId)).toHaveLength(1);
  });

  it('refuses a forged signature with 401 and writes nothing', async () => {
    const q = recordingQueue();
    const request = await signedFeishuRequest(feishuTextEvent(`om_forged_${Date.now()}`, '测试'));
    const res = await webhook(feishuEnv(q.queue), { ...request, headers: { ...request.headers, 'x-lark-signature': '0'.repeat(64) } });
    expect(res.status).toBe(401);
    expect(await count('inbound_messages')).toBe(0);
    expect(q.jobIds).toEqual([]);
  });
});
