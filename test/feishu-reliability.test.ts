import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { buildFeishuEvent, type FeishuHarness, messageId, replyTo, startFeishuHarness } from './support/feishu-events.js';

describe('Feishu delivery when the platform pushes back', () => {
  let h: FeishuHarness;
  afterEach(async () => {
    await h.close();
  });

  it('a tenant token that expires mid-run is refreshed and the reply still arrives', async () => {
    h = await startFeishuHarness();
    const first = messageId('tok1');
    await h.post(buildFeishuEvent({ messageId: first, content: { text: '杏滨街道某路段井盖松动' } }));
    await h.server.settle();
    expect(replyTo(h.fake, first)).toHaveLength(1);
    const tokensBefore = h.fake.tokenRequests();

    h.fake.invalidateTokens();
    const second = messageId('tok2');
    await h.post(buildFeishuEvent({ messageId: second, content: { text: '集美街道某小区垃圾分类点满溢' } }));
    await h.server.settle();
    expect(replyTo(h.fake, second)).toHaveLength(1);
    expect(h.fake.tokenRequests()).toBe(tokensBefore + 1);
    expect(h.fake.rejectedTokens).toBeGreaterThan(0);
  });

  it('a token close to its stated expiry is renewed before use', async () => {
    h = await startFeishuHarness({ tokenExpireSeconds: 1 });
    for (const tag of ['short1', 'short2']) {
      const id = messageId(tag);
      await h.post(buildFeishuEvent({ messageId: id, content: { text: '后溪镇某村道路灯不亮' } }));
      await h.server.settle();
      expect(replyTo(h.fake, id)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1100)); // let the one-second token lapse
    }
    const replies = h.fake.requests.filter((r) => r.path.includes('/reply'));
    expect(new Set(replies.map((r) => r.authorization)).size).toBe(2);
    expect(h.fake.rejectedTokens).toBe(0); // renewed ahead of expiry, not after a refusal
  });

  it('a 429 with x-ogw-ratelimit-reset is retried later and the member gets exactly one receipt', async () => {
    h = await startFeishuHarness();
    h.fake.rateLimitOnce(1);
    const id = messageId('limited');
    await h.post(buildFeishuEvent({ messageId: id, content: { text: '侨英街道某菜市场周边占道经营' } }));
    await h.server.settle();
    expect(replyTo(h.fake, id)).toHaveLength(0);
    await eventually(() => replyTo(h.fake, id).length > 0);
    expect(replyTo(h.fake, id)).toHaveLength(1);
    const sends = h.fake.requests.filter((r) => r.path.includes('/reply'));
    expect(sends).toHaveLength(2);
    expect((sends[0]!.body as { uuid: string }).uuid).toBe((sends[1]!.body as { uuid: string }).uuid);
  });
});
