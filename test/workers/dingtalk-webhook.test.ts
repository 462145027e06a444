import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { resetWorkerCaches } from '../../src/runtime/worker-deps.js';
import type { WorkerEnv } from '../../src/runtime/worker-env.js';
import { DB, emptyDatabase } from './d1-harness.js';
import { DINGTALK_TEST, dingtalkTextCallback, signedDingtalkRequest } from './dingtalk-test-app.js';
import { count, deliver, postToWorker, recordingQueue } from './queue-harness.js';

const fake = inject('dingtalkFake');

interface Delivery { route: 'session' | 'group' | 'user'; to: string; text: string }

async function deliveries(): Promise<Delivery[]> {
  return ((await (await fetch(fake.inspectUrl)).json()) as { deliveries: Delivery[] }).deliveries;
}

function dingtalkEnv(jobs: unknown): WorkerEnv {
  return { ...env, JOBS: jobs, DINGTALK_APP_KEY: DINGTALK_TEST.appKey, DINGTALK_APP_SECRET: DINGTALK_TEST.appSecret, DINGTALK_API_BASE: fake.url } as unknown as WorkerEnv;
}

const webhook = (e: WorkerEnv, req: { headers: Record<string, string>; body: string }) => postToWorker(e, '/webhooks/dingtalk', req);

describe('a signed DingTalk callback on Workers', () => {
  beforeEach(async () => {
    await emptyDatabase();
    resetWorkerCaches();
  });

  it('is filed and the receipt reaches the member through the session webhook, or the robot API once the session has expired', async () => {
    const q = recordingQueue();
    const e = dingtalkEnv(q.queue);
    const sessionId = `worker-session-${Date.now()}`;
    const session = (await (await fetch(`${fake.inspectUrl}/session?id=${sessionId}`, { method: 'POST' })).json()) as { url: string; expiresAt: number };
    const before = (await deliveries()).length;

    const first = await webhook(e, await signedDingtalkRequest(dingtalkTextCallback(`msgWorkerA${Date.now()}==`, '后溪镇的村道路灯坏了很久，晚上出行很危险', session)));
    expect(first.status).toBe(200);
    await deliver(e, q);
    const codes = (await DB.prepare('SELECT code FROM records ORDER BY code').all<{ code: string }>()).results.map((r) => r.code);
    expect(codes).toHaveLength(1);
    const viaSession = (await deliveries()).slice(before);
    expect(viaSession).toEqual([expect.objectContaining({ route: 'session', to: sessionId })]);
    expect(viaSession[0]!.text).toContain(codes[0]);

    // An expired session webhook: the reply goes through the robot OpenAPI to the member instead.
    const expired = { url: session.url, expiresAt: Date.now() - 1000 };
    await webhook(e, await signedDingtalkRequest(dingtalkTextCallback(`msgWorkerB${Date.now()}==`, '灌口镇上头亭社区路口积水严重，一下雨就过不去', expired)));
    await deliver(e, q);
    expect(await count('records')).toBe(2);
    const viaApi = (await deliveries()).slice(before + 1);
    expect(viaApi).toEqual([expect.objectContaining({ route: 'user', to: DINGTALK_TEST.staffId })]);
    expect(await count("jobs WHERE state = 'dead'")).toBe(0);
  });
});
