import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/runtime.js';

interface Posted {
  id: string;
  duplicate: boolean;
  status: string;
}

/** An Idempotency-Key is one caller's retry token: it never merges two senders' messages. */
describe('POST /api/messages with Idempotency-Key', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  const post = async (text: string, sender: string, key: string, chat?: string): Promise<Posted> => {
    const res = await s.api('/api/messages', {
      method: 'POST', headers: { 'idempotency-key': key },
      body: JSON.stringify({ text, sender: { id: sender }, ...(chat ? { chat: { id: chat } } : {}) }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as Posted;
  };
  const state = async (id: string) => ((await (await s.api(`/api/messages/${id}`)).json()) as { state: string; outcome: { items?: unknown[] } | null });

  it('two senders using the same key send two messages; one sender repeating it sends one', async () => {
    const a = await post('杏滨街道西滨社区公园健身器材损坏', 'sender-a', 'order-1');
    const b = await post('灌口镇黄庄社区路口路灯坏了一个多月', 'sender-b', 'order-1');
    expect(b.duplicate).toBe(false);
    expect(b.id).not.toBe(a.id);
    // The same key in another chat of the same sender is another message too.
    const inGroup = await post('侨英街道金林社区下水道堵了', 'sender-a', 'order-1', 'group-1');
    expect(inGroup.duplicate).toBe(false);
    await s.settle();
    expect((await state(b.id)).outcome?.items).toHaveLength(1);

    const again = await post('杏滨街道西滨社区公园健身器材损坏', 'sender-a', 'order-1');
    expect(again).toMatchObject({ id: a.id, duplicate: true });
  });

  it('a duplicate answer reports the first message\'s real state', async () => {
    const first = await post('后溪镇溪西村垃圾站臭味很大', 'sender-c', 'retry-1');
    expect(first).toMatchObject({ duplicate: false, status: 'queued' });
    await s.settle();
    expect((await state(first.id)).state).toBe('done');
    expect(await post('后溪镇溪西村垃圾站臭味很大', 'sender-c', 'retry-1')).toEqual({ id: first.id, duplicate: true, status: 'done' });
  });
});
