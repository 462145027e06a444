import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_TEXT_CHARS, TRUNCATION_MARK } from '../src/core/limits.js';
import { DEFAULT_MAX_ATTEMPTS, retryDelayMs } from '../src/jobs/worker.js';
import { buildFeishuEvent, type FeishuHarness, startFeishuHarness } from './support/feishu-events.js';

describe('limits on what one message can bring in', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('a body over 1 MiB is refused with 413 and nothing is written', async () => {
    const res = await h.post(buildFeishuEvent({ content: { text: '路灯不亮，'.repeat(120_000) } }));
    expect(res.status).toBe(413);
    expect(h.count('inbound_messages')).toBe(0);
  });

  it('a platform message with a huge text is accepted, but its record keeps only the first 50,000 characters', async () => {
    const text = '灌口镇上头亭社区路灯不亮，'.repeat(12_000); // 156,000 characters, under the body limit
    const res = await h.post(buildFeishuEvent({ messageId: 'om_huge_text', content: { text } }));
    expect(res.status).toBe(200);
    await h.server.settle();
    const rows = h.server.runtime.sqlite.sqlite.prepare('select length(text) n, text from records').all() as { n: number; text: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.n).toBe(MAX_MESSAGE_TEXT_CHARS + TRUNCATION_MARK.length);
    expect(rows[0]!.text.endsWith(TRUNCATION_MARK)).toBe(true);
    // The original stays whole for staff.
    const raw = h.server.runtime.sqlite.sqlite.prepare("select raw from inbound_messages where message_key = 'om_huge_text'").get() as { raw: string };
    expect(raw.raw.length).toBeGreaterThan(text.length);
    expect(h.fake.posted).toHaveLength(1);
  });

  it('retries back off exponentially, capped, and give up only after an outage of about an hour', () => {
    const delays = Array.from({ length: DEFAULT_MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, new Error('x')));
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]! * 0.9);
    expect(Math.max(...delays)).toBeLessThanOrEqual(12 * 60_000);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(30 * 60_000);
    expect(total).toBeLessThan(3 * 3600_000);
  });
});
