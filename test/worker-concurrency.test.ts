import { afterEach, describe, expect, it } from 'vitest';
import { runInLanes } from '../src/jobs/lanes.js';
import type { RecordView } from '../src/core/types.js';
import { type ChatBody, type FakeLlm, type FakeReply, startFakeLlm } from './fakes/fake-llm-server.js';
import { smartModel } from './fakes/fake-llm-model.js';
import { startTestServer, type TestServer } from './support/runtime.js';
import { post, recordsOfMessage } from './support/workflow-helpers.js';

describe('runInLanes', () => {
  it('runs at most `limit` items at once and the items of one lane one after another, in order', async () => {
    const items = ['a1', 'b1', 'a2', 'c1', 'a3', 'd1', 'b2', 'e1'];
    const lane = (item: string) => (item.startsWith('e') ? null : item[0]!);
    const events: string[] = [];
    const running = new Map<string, () => void>();
    let most = 0;
    const done = runInLanes(items, 3, lane, (item) => new Promise<void>((resolve) => {
      events.push(`start ${item}`);
      running.set(item, () => {
        running.delete(item);
        events.push(`end ${item}`);
        resolve();
      });
      most = Math.max(most, running.size);
    }));
    // Finish the newest running item, again and again, until all ran.
    while (events.filter((e) => e.startsWith('end')).length < items.length) {
      await new Promise<void>((r) => setImmediate(r));
      [...running.values()].at(-1)?.();
    }
    await done;
    expect(most).toBe(3);
    expect(events.filter((e) => e.startsWith('start')).map((e) => e.slice(6)).sort()).toEqual([...items].sort());
    for (const [prev, next] of [['a1', 'a2'], ['a2', 'a3'], ['b1', 'b2']] as const) {
      expect(events.indexOf(`end ${prev}`)).toBeLessThan(events.indexOf(`start ${next}`));
    }
  });
});

let fake: FakeLlm | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await fake?.close();
  server = undefined;
  fake = undefined;
});

/** A slow model whose first answer waits until the test lets it go. */
async function slowServer(hold: Promise<void>): Promise<TestServer> {
  fake = await startFakeLlm((body: ChatBody, n: number): FakeReply => {
    const reply = smartModel(body);
    return reply === 'hang' ? reply : { ...reply, delayMs: 50, ...(n === 0 ? { hold } : {}) };
  });
  server = await startTestServer({ env: { LLM_BASE_URL: fake.baseURL, LLM_MODEL: 'fake-model', LLM_LOCAL_CONFIDENCE: '1', WORKER_CONCURRENCY: '8' } });
  return server;
}

describe('the worker with several jobs in flight', () => {
  it("keeps a chat's messages in order: a short answer waits for the question it answers", async () => {
    let release!: () => void;
    const s = await slowServer(new Promise<void>((r) => (release = r)));
    // Another chat's message holds the model first, so the member's two messages are leased together.
    await post(s, '杏林街道某小区电梯经常困人，物业不管。', 'resident-other');
    const question = await post(s, '小区门口的路灯坏了一个月了，晚上很黑。', 'member-q');
    const answer = await post(s, '灌口镇', 'member-q');
    release();
    await s.settle();

    const [rec] = await recordsOfMessage(s, question);
    expect(rec!.townName).toBe('灌口镇');
    expect(rec!.status).toBe('registered');
    expect(await recordsOfMessage(s, answer)).toHaveLength(0);
    const state = (await (await s.api(`/api/messages/${answer}`)).json()) as { state: string; outcome: { action?: string } | null };
    expect(state.state).toBe('done');
    expect(state.outcome?.action).toBe('answer');
  });

  it('still joins two reports of the same problem from different chats that were classified in the same call', async () => {
    let release!: () => void;
    const s = await slowServer(new Promise<void>((r) => (release = r)));
    await post(s, '杏林街道某小区电梯经常困人，物业不管。', 'resident-other');
    const text = '灌口镇双岭村的垃圾桶满了三天没人清运，臭味很大。';
    const first = await post(s, text, 'resident-a');
    const second = await post(s, text, 'resident-b');
    release();
    await s.settle();

    const [a] = await recordsOfMessage(s, first);
    const [b] = await recordsOfMessage(s, second);
    expect(a!.code).toBe(b!.code);
    const all = (await (await s.api('/api/records?limit=50')).json()) as { records: RecordView[] };
    expect(all.records).toHaveLength(2);
  });
});
