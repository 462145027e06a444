import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFeishu } from './fakes/fake-feishu.js';
import { postDingtalk, robotMessage, signDingtalk, textBody } from './support/dingtalk-events.js';
import { buildFeishuEvent, encryptFeishu, FEISHU, messageId, postFeishu, signed, signFeishu } from './support/feishu-events.js';
import { startTestServer, TEST_TOKEN, type TestServer } from './support/runtime.js';

const DT_SECRET = 'dingtalk-hostile-secret';
const RUNS = 40;

/** Every table a request could write to: none may change after a refused request. */
const TABLES = ['inbound_messages', 'jobs', 'records', 'record_sources', 'replies'];

describe('hostile input through the real server', () => {
  let s: TestServer;
  let fake: FakeFeishu;
  const counts = () => TABLES.map((t) => (s.runtime.sqlite.sqlite.prepare(`select count(*) n from ${t}`).get() as { n: number }).n).join(',');

  beforeAll(async () => {
    fake = await new FakeFeishu({ appId: FEISHU.appId, appSecret: FEISHU.appSecret, botOpenId: FEISHU.botOpenId }).start();
    s = await startTestServer({
      env: {
        FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret, FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
        FEISHU_ENCRYPT_KEY: FEISHU.encryptKey, FEISHU_DOMAIN: fake.url,
        DINGTALK_APP_KEY: 'dingtestappkey0001', DINGTALK_APP_SECRET: DT_SECRET, DINGTALK_API_BASE: fake.url,
      },
    });
  });
  afterAll(async () => {
    await s.close();
    await fake.close();
  });

  const raw = (path: string, body: Uint8Array | string, headers: Record<string, string>) =>
    fetch(`${s.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : Buffer.from(body) });

  /** A refused request: a 4xx, no row written, and the server still healthy. */
  const refused = async (send: () => Promise<Response>) => {
    const before = counts();
    const res = await send();
    expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(counts()).toBe(before);
  };

  const bytes = fc.uint8Array({ maxLength: 4096 });
  const nested = fc.integer({ min: 1, max: 5000 }).map((d) => '['.repeat(d) + ']'.repeat(d));
  const truncated = fc.tuple(fc.jsonValue(), fc.nat()).map(([v, n]) => {
    const t = JSON.stringify(v);
    return t.slice(0, n % Math.max(1, t.length));
  });
  const junkJson = fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), nested, truncated, fc.string({ minLength: 100_000, maxLength: 200_000 }).map((x) => JSON.stringify({ text: x })));

  it('random bytes and malformed JSON: 4xx on all three routes, nothing written', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(bytes, junkJson), async (body) => {
      await refused(() => raw('/webhooks/feishu', body, { 'content-type': 'application/json' }));
      const ts = String(Date.now());
      await refused(() => raw('/webhooks/dingtalk', body, { 'content-type': 'application/json', timestamp: ts, sign: signDingtalk(ts, DT_SECRET) }));
      await refused(() => raw('/api/messages', body, { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` }));
    }), { numRuns: RUNS });
  });

  it('validly signed and encrypted Feishu bodies of the wrong shape: 4xx, nothing written', async () => {
    await fc.assert(fc.asyncProperty(junkJson, fc.boolean(), async (plain, encrypt) => {
      const body = encrypt ? JSON.stringify({ encrypt: await encryptFeishu(FEISHU.encryptKey, plain) }) : plain;
      const ts = String(Math.floor(Date.now() / 1000));
      const headers = { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n0nce', 'x-lark-signature': await signFeishu(ts, 'n0nce', FEISHU.encryptKey, body) };
      const before = counts();
      const res = await raw('/webhooks/feishu', body, headers);
      // A well-formed but unknown event type is acknowledged and ignored (Feishu would retry a 4xx forever).
      expect([200, 400, 401]).toContain(res.status);
      expect(counts()).toBe(before);
    }), { numRuns: RUNS });
  });

  it('wrong field types in a validly signed event or API call: 4xx, nothing written', async () => {
    const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
    await fc.assert(fc.asyncProperty(wrong, fc.constantFrom('message_id', 'chat_id', 'content', 'message_type'), async (value, field) => {
      const event = buildFeishuEvent() as { event: { message: Record<string, unknown> } };
      event.event.message[field] = value;
      const before = counts();
      const res = await postFeishu(s.url, await signed(event));
      expect(res.status === 400 || (res.status === 200 && field === 'content')).toBe(true);
      // content of a wrong type cannot be read later; it must still never be filed as a record
      if (res.status === 400) expect(counts()).toBe(before);
      await refused(() => s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: value, sender: { id: value } }) }));
      await refused(() => postDingtalk(s.url, { ...robotMessage(textBody('x')), msgId: value, text: value }, { secret: DT_SECRET }));
    }), { numRuns: RUNS });
  });

  it('forged signatures and timestamps just outside the windows: 401, nothing written', async () => {
    const now = Date.now();
    await refused(() => postFeishu(s.url, { headers: { 'content-type': 'application/json' }, body: '{}' }));
    const feishuEvent = () => buildFeishuEvent({ messageId: messageId('edge') });
    await refused(async () => postFeishu(s.url, await signed(feishuEvent(), { timestamp: Math.floor(now / 1000) - 601 })));
    await refused(async () => postFeishu(s.url, await signed(feishuEvent(), { timestamp: Math.floor(now / 1000) + 601 })));
    await refused(async () => postFeishu(s.url, await signed(feishuEvent(), { signKey: 'not-our-key' })));
    await refused(async () => postFeishu(s.url, await signed(buildFeishuEvent({ token: 'wrong-token' }))));
    const dt = (ts: number, secret = DT_SECRET) => postDingtalk(s.url, robotMessage(textBody('灌口镇路灯坏了')), { secret, timestamp: ts });
    await refused(() => dt(now - 3_600_000 - 5_000));
    await refused(() => dt(now + 3_600_000 + 5_000));
    await refused(() => dt(now, 'wrong-secret'));
    await refused(() => s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: 'x'.repeat(20_001), sender: { id: 'a' } }) }));
    await refused(() => fetch(`${s.url}/api/messages`, { method: 'POST', body: JSON.stringify({ text: 'x', sender: { id: 'a' } }) }));
    await refused(() => fetch(`${s.url}/api/messages`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-0000000000' }, body: JSON.stringify({ text: 'x', sender: { id: 'a' } }) }));
  });

  it('inside the windows, replays and re-signed copies are acknowledged once and change nothing', async () => {
    const now = Date.now();
    const event = buildFeishuEvent({ messageId: messageId('replay') });
    const first = await signed(event, { timestamp: Math.floor(now / 1000) - 590 });
    expect((await postFeishu(s.url, first)).status).toBe(200);
    await s.settle();
    const after = counts();
    expect((await postFeishu(s.url, first)).status).toBe(200); // the same bytes again
    expect((await postFeishu(s.url, await signed(event, { timestamp: Math.floor(now / 1000) + 590 }))).status).toBe(200); // re-signed
    await s.settle();
    expect(counts()).toBe(after);

    const dtMsg = robotMessage(textBody('后溪镇某路段井盖缺失'));
    expect((await postDingtalk(s.url, dtMsg, { secret: DT_SECRET, timestamp: now - 3_590_000 })).status).toBe(200);
    await s.settle();
    const afterDt = counts();
    expect((await postDingtalk(s.url, dtMsg, { secret: DT_SECRET, timestamp: now + 3_590_000 })).status).toBe(200);
    await s.settle();
    expect(counts()).toBe(afterDt);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});
