import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeItem } from './fakes/fake-feishu.js';
import { bundleItem as item, buildFeishuEvent, FEISHU, type FeishuHarness, messageId, recordFromReceipt, replyTo, startFeishuHarness } from './support/feishu-events.js';

/** A bundle with a nested bundle, items deliberately out of order: the tree comes from upper_message_id + time. */
function nestedBundle(root: string): FakeItem[] {
  const inner = `${root}_inner`;
  const t = 1_767_000_000_000;
  return [
    item(root, undefined, 'merge_forward', 'Merged and Forwarded Message', FEISHU.memberOpenId, t + 100_000),
    item(`${root}_c2`, root, 'post', { title: '', content: [[{ tag: 'text', text: '晚上十点后还在施工，' }, { tag: 'a', text: '噪音照片', href: 'https://example.com/p/1' }]] }, 'ou_wang', t + 2000),
    item(`${inner}_c1`, inner, 'text', { text: '我们楼下也一样吵' }, 'ou_zhao', t - 50_000),
    item(`${root}_c1`, root, 'text', { text: '杏林湾路工地夜里施工太吵了' }, 'ou_li', t + 1000),
    item(inner, root, 'merge_forward', 'Merged and Forwarded Message', 'ou_wang', t + 3000),
    item(`${root}_c3`, root, 'image', { image_key: 'img_v3_noise_photo' }, 'ou_li', t + 2500),
    item(`${inner}_c2`, inner, 'audio', { file_key: 'file_v3_voice', duration: 4000 }, 'ou_zhao', t - 40_000),
  ];
}

/** A resident's words with one attachment beside them. */
function mediaBundle(root: string, words: string, type: string, content: unknown): FakeItem[] {
  const t = 1_767_000_000_000;
  return [
    item(root, undefined, 'merge_forward', 'Merged and Forwarded Message', FEISHU.memberOpenId, t + 10_000),
    item(`${root}_c1`, root, 'text', { text: words }, 'ou_li', t + 1000),
    item(`${root}_c2`, root, type, content, 'ou_li', t + 2000),
  ];
}

const countRecords = (h: FeishuHarness): number =>
  (h.server.runtime.sqlite.sqlite.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
/** What the database keeps for staff (the raw export): the record's text as the bundle was rebuilt. */
const rawText = (h: FeishuHarness, code: string): string =>
  (h.server.runtime.sqlite.sqlite.prepare('SELECT text FROM records WHERE code = ?').get(code) as { text: string }).text;

describe('Feishu messages through the real server', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness();
    for (const [id, name] of [['ou_li', '李阿姨'], ['ou_wang', '王师傅'], ['ou_zhao', '赵大爷'], ['ou_other', '陈主任']] as const) h.fake.users.set(id, name);
  });
  afterAll(async () => {
    await h.close();
  });

  it('a text in a group that @s the bot is filed with other mentions resolved and the @bot removed', async () => {
    const id = messageId('text');
    const res = await h.post(buildFeishuEvent({
      messageId: id, chatType: 'group', chatId: 'oc_group_1',
      content: { text: '@_user_1 @_user_2 反映：小区门口路灯坏了一个月' },
      mentions: [{ key: '@_user_1', openId: FEISHU.botOpenId, name: '民意助手' }, { key: '@_user_2', openId: 'ou_other', name: '陈主任' }],
    }));
    expect(res.status).toBe(200);
    await h.server.settle();
    const record = await recordFromReceipt(h, id);
    expect(record.textMasked).toContain('@陈主任 反映：小区门口路灯坏了一个月');
    expect(record.textMasked).not.toContain('民意助手');
    expect(record.textMasked).not.toContain('@_user');
  });

  it('a group message that does not @ the bot is kept but not answered', async () => {
    const id = messageId('nomention');
    await h.post(buildFeishuEvent({ messageId: id, chatType: 'group', chatId: 'oc_group_1', content: { text: '大家晚上好' } }));
    await h.server.settle();
    expect(replyTo(h.fake, id)).toHaveLength(0);
  });

  it('a post becomes plain text with its links kept', async () => {
    const id = messageId('post');
    await h.post(buildFeishuEvent({
      messageId: id, messageType: 'post',
      content: { zh_cn: { title: '垃圾清运', content: [[{ tag: 'text', text: '垃圾站三天没清运，见' }, { tag: 'a', text: '现场照片', href: 'https://example.com/x' }], [{ tag: 'img', image_key: 'img_post_1' }]] } },
    }));
    await h.server.settle();
    const record = await recordFromReceipt(h, id);
    expect(record.textMasked).toContain('垃圾清运');
    expect(record.textMasked).toContain('垃圾站三天没清运，见现场照片（https://example.com/x）');
  });

  it.each([
    ['image', { image_key: 'img_v3_k1' }],
    ['file', { file_key: 'file_v3_k2', file_name: '情况说明.docx' }],
    ['audio', { file_key: 'file_v3_k3', duration: 12000 }],
    ['media', { file_key: 'file_v3_k4', image_key: 'img_v3_cover', file_name: '积水.mp4' }],
    ['sticker', { file_key: 'sticker_k5' }],
    ['text', { text: '   ' }],
  ])('a lone %s with no words is answered with a request for text, and no record is filed', async (type, content) => {
    const id = messageId(`alone-${type}`);
    const records = countRecords(h);
    await h.post(buildFeishuEvent({ messageId: id, messageType: type, content }));
    await h.server.settle();
    expect(replyTo(h.fake, id).map((r) => r.text)).toEqual([expect.stringContaining('没有可登记的文字')]);
    expect(countRecords(h)).toBe(records);
  });

  it.each([
    ['image', { image_key: 'img_v3_k1' }, '[图片] img_v3_k1', '内林社区的路灯坏了一个月'],
    ['file', { file_key: 'file_v3_k2', file_name: '情况说明.docx' }, '[文件] 情况说明.docx file_v3_k2', '后溪镇岩内村的水渠堵塞，农田被淹'],
    ['audio', { file_key: 'file_v3_k3', duration: 12000 }, '[语音] 12秒 file_v3_k3', '侨英街道凤林美村菜市场噪音扰民'],
    ['media', { file_key: 'file_v3_k4', image_key: 'img_v3_cover', file_name: '积水.mp4' }, '[视频] 积水.mp4 file_v3_k4', '杏滨街道西滨社区道路积水严重'],
    ['sticker', { file_key: 'sticker_k5' }, '[表情] sticker_k5', '灌口镇上头亭社区学校门口缺少斑马线'],
  ])('a %s in a merged forward is kept as a typed placeholder with its key, beside the words', async (type, content, expected, words) => {
    const id = messageId(`bundled-${type}`);
    h.fake.addMessage(mediaBundle(id, words, type, content));
    await h.post(buildFeishuEvent({ messageId: id, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    const record = await recordFromReceipt(h, id);
    expect(record.textMasked).toContain(expected);
    expect(record.textMasked).toContain(words);
  });

  it('an unreadable message type gets a polite answer and no record', async () => {
    const id = messageId('share');
    await h.post(buildFeishuEvent({ messageId: id, messageType: 'share_chat', content: { chat_id: 'oc_x' } }));
    await h.server.settle();
    const [answer] = replyTo(h.fake, id);
    expect(answer?.text).toContain('暂时无法读取');
  });

  it('a nested merged forward becomes one record keeping every resident with their words, in order', async () => {
    const id = messageId('bundle');
    h.fake.addMessage(nestedBundle(id));
    await h.post(buildFeishuEvent({ messageId: id, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    const cards = replyTo(h.fake, id);
    expect(cards).toHaveLength(1);
    const record = await recordFromReceipt(h, id);
    // The API shows the residents' words in order, without who sent them when; the database keeps who said what.
    expect(record.textMasked.split('\n').slice(0, 2)).toEqual(['杏林湾路工地夜里施工太吵了', '晚上十点后还在施工，噪音照片（https://example.com/p/1）']);
    expect(record.textMasked).toContain('我们楼下也一样吵');
    expect(record.textMasked).not.toMatch(/李阿姨|王师傅|赵大爷|2025-12-29|合并转发/);
    const lines = rawText(h, record.code).split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
    expect(lines[at('杏林湾路工地夜里施工太吵了')]).toContain('李阿姨');
    expect(lines[at('晚上十点后还在施工，噪音照片（https://example.com/p/1）')]).toContain('王师傅');
    expect(lines[at('img_v3_noise_photo')]).toContain('[图片]');
    expect(lines[at('我们楼下也一样吵')]).toContain('赵大爷');
    expect(lines[at('file_v3_voice')]).toContain('[语音]');
    // siblings by time, the nested bundle after the messages sent before it, its children indented under it
    expect(at('杏林湾路')).toBeLessThan(at('晚上十点后'));
    expect(at('晚上十点后')).toBeLessThan(at('img_v3_noise_photo'));
    expect(at('img_v3_noise_photo')).toBeLessThan(at('我们楼下'));
    expect(lines[at('我们楼下')]!.startsWith('  ')).toBe(true);
  });

  it('the JSON-object variant of merge_forward content is handled the same way', async () => {
    const id = messageId('bundle2');
    h.fake.addMessage(nestedBundle(id));
    await h.post(buildFeishuEvent({ messageId: id, messageType: 'merge_forward', content: { content: 'Merged and Forwarded Message' } }));
    await h.server.settle();
    expect((await recordFromReceipt(h, id)).textMasked).toContain('我们楼下也一样吵');
  });

  it('a reply with @bot quoting a bundle files the quoted bundle with the reply as the note', async () => {
    const bundle = messageId('quoted');
    h.fake.addMessage(nestedBundle(bundle));
    const id = messageId('reply');
    await h.post(buildFeishuEvent({
      messageId: id, chatType: 'group', chatId: 'oc_group_2', parentId: bundle,
      content: { text: '@_user_1 请帮忙反映这个噪音问题' }, mentions: [{ key: '@_user_1', openId: FEISHU.botOpenId, name: '民意助手' }],
    }));
    await h.server.settle();
    const text = (await recordFromReceipt(h, id)).textMasked;
    expect(text).toContain('请帮忙反映这个噪音问题');
    expect(text).toContain('杏林湾路工地夜里施工太吵了');
    expect(text).toContain('我们楼下也一样吵');
  });

  it('a reply to a bundle already filed is a note on its record, not the bundle counted again', async () => {
    const bundle = messageId('filed-bundle');
    h.fake.addMessage(nestedBundle(bundle));
    await h.post(buildFeishuEvent({ messageId: bundle, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    const record = await recordFromReceipt(h, bundle);
    const id = messageId('reply-filed');
    await h.post(buildFeishuEvent({ messageId: id, parentId: bundle, content: { text: '补充：这是第三次反映了' } }));
    await h.server.settle();
    expect(replyTo(h.fake, id).map((r) => r.text)).toEqual([expect.stringContaining(`已将补充说明记入 ${record.code}`)]);
    const after = (await (await h.server.api(`/api/records/${record.code}`)).json()) as { record: { affectedCount: number }; events: Array<{ type: string; note: string | null }> };
    expect(after.record.affectedCount).toBe(1);
    expect(after.events.at(-1)).toMatchObject({ type: 'note', note: '补充：这是第三次反映了' });
  });

  it('the same message delivered three times at once makes one record and one reply', async () => {
    const id = messageId('triple');
    // Its own chat: a text right after a bundle in the same chat would be that bundle's note.
    const event = buildFeishuEvent({ messageId: id, chatId: 'oc_triple_chat', content: { text: '侨英街道某小区电梯经常停运，老人上下楼困难' } });
    // Feishu redelivers with a new event_id each time; the message_id is what identifies the message.
    const deliveries = [0, 1, 2].map((i) => ({ ...event, header: { ...(event.header as object), event_id: `ev_triple_${i}` } }));
    const answers = await Promise.all(deliveries.map((d) => h.post(d)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await h.server.settle();
    expect(replyTo(h.fake, id)).toHaveLength(1);
    const n = (h.server.runtime.sqlite.sqlite.prepare('SELECT count(*) AS n FROM records WHERE source_message_id = ?').get(id) as { n: number }).n;
    expect(n).toBe(1);
  });
});

describe('a member note sent right after a bundle', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('joins the bundle\u2019s record as a note instead of becoming a record of its own', async () => {
    const bundle = messageId('bundle_note');
    h.fake.addMessage(nestedBundle(bundle));
    await h.post(buildFeishuEvent({ messageId: bundle, chatId: 'oc_note_chat', messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    const record = await recordFromReceipt(h, bundle);
    const note = messageId('note');
    await h.post(buildFeishuEvent({ messageId: note, chatId: 'oc_note_chat', content: { text: '这是杏林湾路的工地，居民电话13912345678' } }));
    await h.server.settle();
    const answer = replyTo(h.fake, note);
    expect(answer).toHaveLength(1);
    expect(answer[0]!.text).toContain(record.code);
    const detail = (await (await h.server.api(`/api/records/${record.code}`)).json()) as { events: Array<{ type: string; note: string | null }> };
    const noteEvent = detail.events.find((e) => e.type === 'note');
    expect(noteEvent?.note).toContain('这是杏林湾路的工地');
    expect(noteEvent?.note).not.toContain('13912345678');
    const count = h.server.runtime.sqlite.sqlite.prepare('select count(*) n from records').get() as { n: number };
    expect(count.n).toBe(1);
  });
});
