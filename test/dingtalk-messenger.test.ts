import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DingtalkApiClient } from '../src/channels/dingtalk/api-client.js';
import { DingtalkMessenger } from '../src/channels/dingtalk/messenger.js';
import { PlatformApiError } from '../src/core/errors.js';
import type { ReplyTarget } from '../src/core/types.js';
import { type FakeDingtalk, startFakeDingtalk } from './fakes/fake-dingtalk.js';

class FixedClock {
  constructor(public t: number) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

describe('DingTalk messenger against the fake', () => {
  let fake: FakeDingtalk;
  let clock: FixedClock;
  let messenger: DingtalkMessenger;
  const group = (over: Partial<ReplyTarget> = {}): ReplyTarget => ({ platform: 'dingtalk', chatId: 'dingtalk:cidG==', chatType: 'group', userId: 'u1', ...over });

  beforeEach(async () => {
    fake = await startFakeDingtalk();
    clock = new FixedClock(Date.now());
    const api = new DingtalkApiClient({ appKey: fake.appKey, appSecret: fake.appSecret, apiBase: fake.url, now: clock.now });
    messenger = new DingtalkMessenger({ api, robotCode: fake.appKey, now: clock.now });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('reuses one access token until shortly before it expires, then fetches a new one', async () => {
    for (let i = 0; i < 3; i++) await messenger.send(group(), { kind: 'text', text: `第${i}条` }, `k${i}`);
    expect(fake.tokensIssued()).toBe(1);
    clock.advance(7200_000 - 60_000);
    await messenger.send(group(), { kind: 'text', text: '两小时后' }, 'k-late');
    expect(fake.tokensIssued()).toBe(2);
    expect(fake.deliveries.map((d) => d.to)).toEqual(['cidG==', 'cidG==', 'cidG==', 'cidG==']);
  });

  it('uses the session webhook while valid and the OpenAPI once it is about to expire', async () => {
    const s = fake.session('s1', clock.now() + 10 * 60_000);
    const target = group({ sessionWebhook: s.url, sessionWebhookExpiresAt: s.expiresAt });
    await messenger.send(target, { kind: 'text', text: '经会话' }, 'a');
    clock.advance(9.5 * 60_000);
    await messenger.send(target, { kind: 'text', text: '经开放接口' }, 'b');
    expect(fake.deliveries.map((d) => [d.route, d.text])).toEqual([['session', '经会话'], ['group', '经开放接口']]);
  });

  it('a 1:1 chat falls back to oToMessages/batchSend for the member', async () => {
    await messenger.send({ platform: 'dingtalk', chatId: 'dingtalk:cidP==', chatType: 'p2p', userId: '0420000297' }, { kind: 'text', text: '你好' }, 'p');
    expect(fake.deliveries).toMatchObject([{ route: 'user', to: '0420000297', msgKey: 'sampleMarkdown' }]);
  });

  it('a session DingTalk refuses is not retried in the same call; the retry goes through the OpenAPI, once', async () => {
    const s = fake.session('s2');
    fake.refuseSession('s2');
    const target = group({ sessionWebhook: s.url, sessionWebhookExpiresAt: s.expiresAt });
    const first = await messenger.send(target, { kind: 'text', text: '只发一次' }, 'r').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PlatformApiError);
    expect((first as PlatformApiError).retryable).toBe(true);
    expect(fake.deliveries).toHaveLength(0);
    await messenger.send(target, { kind: 'text', text: '只发一次' }, 'r');
    await messenger.send(target, { kind: 'text', text: '只发一次' }, 'r');
    expect(fake.deliveries.map((d) => d.route)).toEqual(['group']);
  });

  it('a session webhook pointing outside DingTalk is never called', async () => {
    await messenger.send(group({ sessionWebhook: 'https://evil.example/hook', sessionWebhookExpiresAt: clock.now() + 3600_000 }), { kind: 'text', text: 'x' }, 'e');
    expect(fake.deliveries.map((d) => d.route)).toEqual(['group']);
  });

  it('429 and 5xx are retryable (with the wait DingTalk names); other 4xx are not', async () => {
    fake.failNext('/v1.0/robot/groupMessages/send', 429, { 'retry-after': '7' });
    const throttled = (await messenger.send(group(), { kind: 'text', text: 'x' }, 't1').catch((e: unknown) => e)) as PlatformApiError;
    expect(throttled).toMatchObject({ retryable: true, retryAfterMs: 7000, status: 429 });
    fake.failNext('/v1.0/robot/groupMessages/send', 503);
    expect(await messenger.send(group(), { kind: 'text', text: 'x' }, 't2').catch((e: unknown) => e)).toMatchObject({ retryable: true, status: 503 });
    fake.failNext('/v1.0/robot/groupMessages/send', 400);
    expect(await messenger.send(group(), { kind: 'text', text: 'x' }, 't3').catch((e: unknown) => e)).toMatchObject({ retryable: false, status: 400 });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('holds a chat to 20 messages a minute and says when the next one may go', async () => {
    for (let i = 0; i < 20; i++) await messenger.send(group(), { kind: 'text', text: `n${i}` }, `n${i}`);
    const over = (await messenger.send(group(), { kind: 'text', text: 'n20' }, 'n20').catch((e: unknown) => e)) as PlatformApiError;
    expect(over).toMatchObject({ status: 429, retryable: true });
    expect(over.retryAfterMs).toBeGreaterThan(0);
    expect(fake.deliveries).toHaveLength(20);
    clock.advance(60_001);
    await messenger.send(group(), { kind: 'text', text: 'n20' }, 'n20');
    expect(fake.deliveries).toHaveLength(21);
  });

  it('question buttons send the town name back as the member; receipt buttons send a correction command', async () => {
    const s = fake.session('s3');
    const target = group({ sessionWebhook: s.url, sessionWebhookExpiresAt: s.expiresAt });
    await messenger.send(target, { kind: 'question', recordCode: 'JM-2026-0001', question: '发生在哪个镇街？', options: [{ label: '灌口镇', value: { action: 'set_town', record: 'r', town: '350211005' } }] }, 'q');
    expect(fake.deliveries[0]!.urls).toEqual([`dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent('灌口镇')}`]);
    await messenger.send(group(), { kind: 'question', recordCode: 'JM-2026-0001', question: '哪个镇街？', options: ['集美街道', '侨英街道', '灌口镇'].map((t) => ({ label: t, value: {} })) }, 'q2');
    expect(fake.deliveries[1]).toMatchObject({ route: 'group', msgKey: 'sampleActionCard3', buttons: ['集美街道', '侨英街道', '灌口镇'] });
    expect(decodeURIComponent(fake.deliveries[1]!.urls[2]!.split('content=')[1]!)).toBe('灌口镇');
  });
});
