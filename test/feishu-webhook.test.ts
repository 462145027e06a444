import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeishuEvent, FEISHU, type FeishuHarness, startFeishuHarness } from './support/feishu-events.js';

/** The webhook's front door: challenges, and every way a request is refused without writing anything. */
describe('Feishu webhook', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('echoes a plain url_verification challenge authenticated by its token', async () => {
    const res = await h.post({ challenge: 'chal-plain-1', token: FEISHU.verificationToken, type: 'url_verification' }, { encrypt: false, unsigned: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'chal-plain-1' });
  });

  it('echoes an encrypted challenge', async () => {
    const res = await h.post({ challenge: 'chal-enc-2', token: FEISHU.verificationToken, type: 'url_verification' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'chal-enc-2' });
  });

  it('refuses a challenge with the wrong token', async () => {
    const res = await h.post({ challenge: 'x', token: 'someone-else', type: 'url_verification' });
    expect(res.status).toBe(401);
  });

  describe('refused requests write nothing', () => {
    const before = { inbound: 0, jobs: 0 };
    beforeAll(() => {
      before.inbound = h.count('inbound_messages');
      before.jobs = h.count('jobs');
    });

    it('a bad signature → 401', async () => {
      const res = await h.post(buildFeishuEvent(), { signKey: 'not-our-key' });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_signature');
    });

    it('a body changed after signing → 401', async () => {
      const { signed, postFeishu } = await import('./support/feishu-events.js');
      const req = await signed(buildFeishuEvent());
      const res = await postFeishu(h.server.url, { ...req, body: `${req.body} ` });
      expect(res.status).toBe(401);
    });

    it('the wrong verification token → 401', async () => {
      const res = await h.post(buildFeishuEvent({ token: 'vtok_other_app' }));
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_token');
    });

    it('a stale timestamp → 401', async () => {
      const res = await h.post(buildFeishuEvent(), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('stale_timestamp');
    });

    it('an unsigned event when an Encrypt Key is configured → 401', async () => {
      const res = await h.post(buildFeishuEvent(), { unsigned: true });
      expect(res.status).toBe(401);
    });

    it('malformed JSON → 400', async () => {
      const res = await h.post('{"schema":"2.0","header":');
      expect(res.status).toBe(400);
    });

    it('an oversized body → 413', async () => {
      const res = await h.post(buildFeishuEvent({ content: { text: '长'.repeat(600_000) } }));
      expect(res.status).toBe(413);
    });

    it('none of them stored a message or a job', () => {
      expect(h.count('inbound_messages')).toBe(before.inbound);
      expect(h.count('jobs')).toBe(before.jobs);
    });
  });

  it('acknowledges other event types with 200 and stores nothing', async () => {
    const n = h.count('inbound_messages');
    const event = { schema: '2.0', header: { event_id: 'ev_other', event_type: 'im.chat.member.bot.added_v1', token: FEISHU.verificationToken }, event: { chat_id: 'oc_x' } };
    const res = await h.post(event);
    expect(res.status).toBe(200);
    expect(h.count('inbound_messages')).toBe(n);
  });

  it('acknowledges a message only after it is stored', async () => {
    const n = h.count('inbound_messages');
    const res = await h.post(buildFeishuEvent());
    expect(res.status).toBe(200);
    expect(h.count('inbound_messages')).toBe(n + 1);
  });
});
