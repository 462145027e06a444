import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCardAction, buildFeishuEvent, type FeishuHarness, messageId, recordFromReceipt, replyTo, startFeishuHarness } from './support/feishu-events.js';

interface CardAnswer {
  toast?: { type: string; content: string };
  card?: { type: string; data: { header: { title: { content: string } }; body: { elements: { text?: { content: string } }[] } } };
}

describe('Feishu receipt cards and their buttons', () => {
  let h: FeishuHarness;
  let id: string;
  beforeAll(async () => {
    h = await startFeishuHarness();
    id = messageId('card');
    await h.post(buildFeishuEvent({ messageId: id, content: { text: '灌口镇上头社区路口积水严重，下雨就过不去' } }));
    await h.server.settle();
  });
  afterAll(async () => {
    await h.close();
  });

  it('the receipt is a card in reply to the member’s message with code, category, town, status and correction buttons', () => {
    const [card, ...more] = replyTo(h.fake, id);
    expect(more).toHaveLength(0);
    expect(card!.text).toMatch(/JM-\d{4}-\d{4}/);
    expect(card!.text).toContain('灌口镇');
    expect(card!.text).toContain('已登记');
    expect(card!.buttons.some((b) => b.startsWith('分类改为'))).toBe(true);
    const posted = h.fake.posted.find((p) => p.parentId === id)!;
    expect(posted.msgType).toBe('interactive');
    expect(JSON.parse(posted.content).schema).toBe('2.0');
    expect(posted.uuid!.length).toBeLessThanOrEqual(50);
  });

  it('pressing a category button changes the record, writes an event and answers with a toast and the updated card', async () => {
    const [card] = replyTo(h.fake, id);
    const before = await recordFromReceipt(h, id);
    const value = card!.values.find((v) => v.action === 'set_category' && v.category)!;
    const res = await h.post(buildCardAction(value));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as CardAnswer;
    expect(answer.toast?.type).toBe('success');
    expect(answer.card?.type).toBe('raw');
    const after = await recordFromReceipt(h, id);
    expect(answer.card?.data.body.elements[0]?.text?.content).toContain(after.categoryName);
    expect(after.categoryName).not.toBe(before.categoryName);
    const detail = (await (await h.server.api(`/api/records/${after.code}`)).json()) as { events: { type: string; from: string; to: string }[] };
    expect(detail.events).toContainEqual(expect.objectContaining({ type: 'category', from: before.categoryName, to: after.categoryName }));
  });

  it('a town correction from the card moves the record to that town', async () => {
    const [card] = replyTo(h.fake, id);
    const record = card!.values[0]!.record!;
    const houxi = h.server.deps.district.towns.find((t) => t.name === '后溪镇')!;
    const res = await h.post(buildCardAction({ action: 'set_town', record, town: houxi.code }));
    const answer = (await res.json()) as CardAnswer;
    expect(answer.toast?.type).toBe('success');
    expect((await recordFromReceipt(h, id)).townName).toBe('后溪镇');
  });

  it('someone who neither filed the record nor is staff gets an error toast and changes nothing', async () => {
    const [card] = replyTo(h.fake, id);
    const record = card!.values[0]!.record!;
    const jimei = h.server.deps.district.towns.find((t) => t.name === '集美街道')!;
    const res = await h.post(buildCardAction({ action: 'set_town', record, town: jimei.code }, { operatorOpenId: 'ou_stranger' }));
    const answer = (await res.json()) as CardAnswer;
    expect(answer.toast?.type).toBe('error');
    expect((await recordFromReceipt(h, id)).townName).toBe('后溪镇');
  });

  it('a forged card callback is refused', async () => {
    const [card] = replyTo(h.fake, id);
    const res = await h.post(buildCardAction(card!.values[0]!), { signKey: 'forged' });
    expect(res.status).toBe(401);
  });
});

describe('a card button pressed on a full disk', () => {
  it('answers 503 with Retry-After and changes nothing; pressed again once there is space, it applies', async () => {
    const h = await startFeishuHarness();
    try {
      const id = messageId('full');
      await h.post(buildFeishuEvent({ messageId: id, content: { text: '后溪镇溪西村养殖场粪水直排进河道，河水发黑发臭' } }));
      await h.server.settle();
      const [card] = replyTo(h.fake, id);
      const choices = card!.values.filter((v) => v.action === 'set_category' && v.category);
      expect(choices.length).toBeGreaterThanOrEqual(2);
      const sqlite = h.server.runtime.sqlite.sqlite;
      const events = () => h.count('record_events');

      // The disk is full: SQLite may not grow the file by a page. Each press that still fits adds its event, until one does not.
      sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
      let refused: { res: Response; choice: Record<string, string>; before: { categoryName: string; events: number } } | null = null;
      for (let i = 0; i < 500 && !refused; i++) {
        const choice = choices[i % 2]!;
        const before = { categoryName: (await recordFromReceipt(h, id)).categoryName, events: events() };
        const res = await h.post(buildCardAction(choice));
        if (res.status === 503) refused = { res, choice, before };
        else expect(res.status).toBe(200);
      }
      expect(refused).not.toBeNull();
      const { res, choice, before } = refused!;
      expect(res.headers.get('retry-after')).toBe('60');
      expect(await res.json()).toMatchObject({ error: { code: 'storage_full' } });
      expect((await recordFromReceipt(h, id)).categoryName).toBe(before.categoryName);
      expect(events()).toBe(before.events);
      const health = await fetch(`${h.server.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ db: 'full' });

      sqlite.pragma('max_page_count = 1073741823');
      const again = await h.post(buildCardAction(choice));
      expect(again.status).toBe(200);
      expect(((await again.json()) as CardAnswer).toast?.type).toBe('success');
      expect((await recordFromReceipt(h, id)).categoryName).not.toBe(before.categoryName);
      expect(events()).toBe(before.events + 1);
    } finally {
      await h.close();
    }
  }, 60_000);
});
