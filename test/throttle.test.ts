import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideThrottle, THROTTLE_NOTICE } from '../src/core/throttle.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';

const LIMITS = { perSender: 3, perChat: 50, windowMs: 60_000 };

describe('throttle decision (pure)', () => {
  it('never allows more than the limit in any window, whatever the arrival pattern', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 80 }), (arrivals) => {
      const slots: number[] = [];
      for (const at of [...arrivals].sort((a, b) => a - b)) {
        const d = decideThrottle({ sender: slots, chat: [], episodeUntil: null }, at, LIMITS);
        const slot = d.kind === 'allow' ? at : d.until;
        expect(slot).toBeGreaterThanOrEqual(at);
        slots.push(slot);
      }
      // Every message gets a slot (none dropped), and no window holds more than the limit.
      expect(slots).toHaveLength(arrivals.length);
      const sorted = [...slots].sort((a, b) => a - b);
      for (let i = LIMITS.perSender; i < sorted.length; i++) expect(sorted[i]! - sorted[i - LIMITS.perSender]!).toBeGreaterThanOrEqual(LIMITS.windowMs);
    }), { numRuns: 200 });
  });

  it('notifies once per episode', () => {
    const now = 1_000_000;
    const full = [now - 10, now - 5, now - 1];
    expect(decideThrottle({ sender: full, chat: [], episodeUntil: null }, now, LIMITS)).toMatchObject({ kind: 'defer', notify: true, scope: 'sender' });
    expect(decideThrottle({ sender: full, chat: [], episodeUntil: now + 60_000 }, now, LIMITS)).toMatchObject({ kind: 'defer', notify: false });
    expect(decideThrottle({ sender: [], chat: Array(50).fill(now - 1), episodeUntil: null }, now, LIMITS)).toMatchObject({ kind: 'defer', scope: 'chat' });
  });
});

interface MessageView {
  state: string;
  replies: { kind: string; text: string }[];
}

describe('a flood from one sender through the real server', () => {
  const clock = new FixedClock(Date.UTC(2026, 4, 12, 2, 0, 0));
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ clock, env: { THROTTLE_SENDER_PER_MIN: String(LIMITS.perSender) } });
  });
  afterAll(async () => {
    await s.close();
  });

  const post = async (sender: string, text: string): Promise<string> => {
    const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text, sender: { id: sender } }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  const view = async (id: string) => (await (await s.api(`/api/messages/${id}`)).json()) as MessageView;
  const views = (ids: string[]) => Promise.all(ids.map(view));

  it('is delayed and told so once, others are unaffected, and nothing is dropped', async () => {
    const flood: string[] = [];
    for (let i = 0; i < 10; i++) flood.push(await post('flooder', `灌口镇第${i}条：路灯不亮已经${i + 2}天，编号${i * 37}`));
    const other = await post('neighbour', '后溪镇某小区门口垃圾堆放多日无人清运，气味很大');
    await s.settle();

    let seen = await views(flood);
    expect(seen.filter((m) => m.state === 'done')).toHaveLength(LIMITS.perSender);
    expect(seen.filter((m) => m.state === 'queued')).toHaveLength(10 - LIMITS.perSender);
    const notices = seen.flatMap((m) => m.replies).filter((r) => r.text.includes(THROTTLE_NOTICE));
    expect(notices).toHaveLength(1);
    expect((await view(other)).state).toBe('done');

    for (let minute = 0; minute < 4; minute++) {
      clock.advance(LIMITS.windowMs + 1);
      await s.settle();
    }
    seen = await views(flood);
    expect(seen.every((m) => m.state === 'done')).toBe(true);
    expect(seen.flatMap((m) => m.replies).filter((r) => r.kind === 'receipt' || r.kind === 'joined' || r.kind === 'question').length).toBeGreaterThanOrEqual(10);
    expect(seen.flatMap((m) => m.replies).filter((r) => r.text.includes(THROTTLE_NOTICE))).toHaveLength(1);
  });
});
