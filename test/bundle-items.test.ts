import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsBySender } from '../src/core/bundle-items.js';
import { districtFromSeed } from '../src/core/district.js';
import { buildResolver } from '../src/core/gazetteer.js';
import { messageText } from '../src/core/message-text.js';
import type { InboundMessage } from '../src/core/types.js';
import { type FakeDingtalk, startFakeDingtalk } from './fakes/fake-dingtalk.js';
import { chatRecordBody, chatRecordContent, postDingtalk, robotMessage } from './support/dingtalk-events.js';
import { bundleItem as item, buildFeishuEvent, FEISHU, type FeishuHarness, messageId, replyTo, startFeishuHarness } from './support/feishu-events.js';
import { startTestServer, type TestServer } from './support/runtime.js';

const resolve = buildResolver(districtFromSeed(JSON.parse(readFileSync(new URL('../db/seed/district-350211.json', import.meta.url), 'utf8'))));
const T = 1_767_000_000_000; // 2025-12-29 17:20 in Shanghai

function bundle(lines: Array<[id: string, name: string, text: string]>, extra: Partial<InboundMessage> = {}): InboundMessage {
  return {
    platform: 'feishu', key: 'om_b', chatId: 'oc_1', chatType: 'p2p', senderId: 'ou_member', text: '', mentionsBot: true, sentAt: T,
    reply: { platform: 'feishu', chatId: 'oc_1' },
    parts: lines.map(([senderId, senderName, text], i) => ({ kind: 'text', text, senderId, senderName, sentAt: T + i * 60_000, depth: 1 })),
    ...extra,
  };
}
const cut = (m: InboundMessage) => itemsBySender(m, messageText(m), resolve);

/** A merged forward of several residents, each reporting a problem at their own place: a record each, without an LLM. */
describe('a merged forward of residents at different places', () => {
  it('is cut by resident, each keeping their lines with name and time; chat around it is left out', () => {
    expect(cut(bundle([
      ['ou_a', '王建国', '灌口镇深青村路灯坏了好几天'],
      ['ou_b', '李秀英', '后溪镇溪西村垃圾没人清运，臭死了'],
      ['ou_a', '王建国', '晚上很黑'],
      ['ou_c', '张三', '好的，谢谢'],
    ]))).toEqual([
      '王建国 2025-12-29 17:20：灌口镇深青村路灯坏了好几天\n王建国 2025-12-29 17:22：晚上很黑',
      '李秀英 2025-12-29 17:21：后溪镇溪西村垃圾没人清运，臭死了',
    ]);
  });

  it('puts the member\'s own words in front of each resident\'s when they say something and name no place', () => {
    expect(cut(bundle([['ou_a', '王建国', '灌口镇深青村路灯坏了'], ['ou_b', '李秀英', '后溪镇溪西村垃圾没人清运']], { text: '这两件事都很急，请尽快处理' })))
      .toEqual(['这两件事都很急，请尽快处理\n王建国 2025-12-29 17:20：灌口镇深青村路灯坏了', '这两件事都很急，请尽快处理\n李秀英 2025-12-29 17:21：后溪镇溪西村垃圾没人清运']);
  });

  it('stays whole for one problem: a resident who adds to it, two at one place, one resident naming two places', () => {
    expect(cut(bundle([['ou_a', '王建国', '灌口镇深青村路灯坏了好几天'], ['ou_b', '李秀英', '是的，我上周差点摔倒']]))).toEqual([]);
    expect(cut(bundle([['ou_a', '王建国', '灌口镇深青村路灯坏了好几天'], ['ou_b', '李秀英', '深青村垃圾没人清运']]))).toEqual([]);
    expect(cut(bundle([['ou_a', '王建国', '灌口镇深青村路灯坏了'], ['ou_a', '王建国', '后溪镇溪西村垃圾没人清运']]))).toEqual([]);
    // A town, then a 村 of it: perhaps one place.
    expect(cut(bundle([['ou_a', '王建国', '灌口镇好多路灯坏了'], ['ou_b', '李秀英', '深青村垃圾没人清运']]))).toEqual([]);
    // The second resident's words lean on the first's: filed alone, they would not say what is wrong.
    expect(cut(bundle([['ou_a', '王建国', '杏林街道杏北社区电梯经常停运'], ['ou_b', '李秀英', '集美街道岑西社区也是这样，电梯老坏']]))).toEqual([]);
    // The member's words name a place: whose is it?
    expect(cut(bundle([['ou_a', '王建国', '灌口镇深青村路灯坏了'], ['ou_b', '李秀英', '后溪镇溪西村垃圾没人清运']], { text: '深青村的情况' }))).toEqual([]);
  });

  it('stays whole when the platform says the record may be incomplete, or a sender is unknown', () => {
    const lines: Array<[string, string, string]> = [['ou_a', '王建国', '灌口镇深青村路灯坏了'], ['ou_b', '李秀英', '后溪镇溪西村垃圾没人清运']];
    expect(cut(bundle(lines, { truncated: true }))).toEqual([]);
    const anonymous = bundle(lines);
    anonymous.parts = anonymous.parts.map(({ senderId: _, senderName: __, ...p }) => p);
    expect(cut(anonymous)).toEqual([]);
  });
});

describe('Feishu: filing a merged forward of residents at different places on the embedded default', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness();
    for (const [id, name] of [['ou_wang', '王建国'], ['ou_li', '李秀英']] as const) h.fake.users.set(id, name);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('files a record per resident, each with its own receipt, instead of asking which town', async () => {
    const root = messageId('bi');
    h.fake.addMessage([
      item(root, undefined, 'merge_forward', 'Merged and Forwarded Message', FEISHU.memberOpenId, T + 600_000),
      item(`${root}_c0`, root, 'text', { text: '灌口镇深青村路灯坏了好几天，晚上很黑' }, 'ou_wang', T),
      item(`${root}_c1`, root, 'text', { text: '后溪镇溪西村垃圾没人清运，臭气熏天' }, 'ou_li', T + 60_000),
    ]);
    await h.post(buildFeishuEvent({ messageId: root, chatId: 'oc_bi', messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    const receipts = replyTo(h.fake, root).map((r) => r.text).filter((t) => /JM-\d{4}-\d{4}/.test(t));
    expect(receipts).toHaveLength(2);
    const codes = receipts.map((t) => /JM-\d{4}-\d{4}/.exec(t)![0]);
    const rows = codes.map((c) => h.server.runtime.sqlite.sqlite.prepare('SELECT t.name AS town, r.place, r.text FROM records r JOIN towns t ON t.code = r.town_code WHERE r.code = ?').get(c) as { town: string; place: string; text: string });
    expect(rows.map((r) => [r.town, r.place])).toEqual([['灌口镇', '深青村'], ['后溪镇', '溪西村']]);
    // Each record keeps its resident's line as staff see it, and only theirs.
    expect(rows[0]!.text).toMatch(/^王建国 .*：灌口镇深青村路灯坏了/);
    expect(rows[0]!.text).not.toContain('垃圾');
    expect(rows[1]!.text).toMatch(/^李秀英 .*：后溪镇溪西村垃圾没人清运/);

    // The member's line right after the bundle is a note on the record at the place it names.
    const note = messageId('bin');
    await h.post(buildFeishuEvent({ messageId: note, chatId: 'oc_bi', content: { text: '溪西村那个已经是第三次反映了' } }));
    await h.server.settle();
    expect(replyTo(h.fake, note).map((r) => r.text).join('\n')).toContain(`已将补充说明记入 ${codes[1]}`);
    const notes = (code: string) => h.server.runtime.sqlite.sqlite.prepare("SELECT e.note FROM record_events e JOIN records r ON r.id = e.record_id WHERE r.code = ? AND e.type = 'note'").all(code);
    expect(notes(codes[1]!)).toEqual([{ note: '溪西村那个已经是第三次反映了' }]);
    expect(notes(codes[0]!)).toEqual([]);
  });
});

describe('DingTalk: a forwarded chat record of residents at different places', () => {
  let fake: FakeDingtalk;
  let s: TestServer;
  beforeAll(async () => {
    fake = await startFakeDingtalk();
    s = await startTestServer({ env: fake.env });
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  it('files a record per resident; the record\'s title, the platform\'s, goes in front of neither', async () => {
    const content = chatRecordContent('王建国和李秀英的聊天记录', [
      { name: '王建国', text: '灌口镇深青村路灯坏了好几天，晚上很黑' },
      { name: '李秀英', text: '后溪镇溪西村垃圾没人清运，臭气熏天' },
    ]);
    const body = robotMessage(chatRecordBody(content), { msgId: 'msgBI==', conversationId: 'cidBI==', session: fake.session('sess-bi') });
    expect((await postDingtalk(s.url, body, { secret: fake.appSecret })).status).toBe(200);
    await s.settle();
    const codes = fake.deliveries.filter((d) => d.to === 'sess-bi').map((d) => /编号：(JM-\d{4}-\d{4})/.exec(d.text)?.[1]).filter((c) => c !== undefined);
    expect(codes).toHaveLength(2);
    const rows = codes.map((c) => s.runtime.sqlite.sqlite.prepare('SELECT place, text FROM records WHERE code = ?').get(c) as { place: string; text: string });
    expect(rows.map((r) => r.place)).toEqual(['深青村', '溪西村']);
    expect(rows.map((r) => r.text.split('：')[0])).toEqual([expect.stringMatching(/^王建国 /), expect.stringMatching(/^李秀英 /)]);
    expect(rows.every((r) => !r.text.includes('聊天记录'))).toBe(true);
  });
});
