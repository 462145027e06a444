import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeItem } from './fakes/fake-feishu.js';
import { bundleItem as item, buildFeishuEvent, FEISHU, type FeishuHarness, messageId, recordFromReceipt, replyTo, startFeishuHarness } from './support/feishu-events.js';

/**
 * A member replies to a merged forward (合并转发) with nothing but「@民意助手」. Feishu sends the reply as a text
 * message whose content is only the mention key, with parent_id naming the bundle; the bot fetches the quoted
 * bundle. Filed already: the bot says where it is and files nothing. Never filed: the reply files it.
 */

const AT_BOT = { content: { text: '@_user_1' }, mentions: [{ key: '@_user_1', openId: FEISHU.botOpenId, name: '民意助手' }] };
const T0 = 1_767_000_000_000;

/** Two residents on one problem in one town, so the record is filed as 已登记 (not a town question). */
function bundle(root: string, words: [string, string]): FakeItem[] {
  return [
    item(root, undefined, 'merge_forward', 'Merged and Forwarded Message', FEISHU.memberOpenId, T0 + 10_000),
    item(`${root}_c1`, root, 'text', { text: words[0] }, 'ou_li', T0 + 1000),
    item(`${root}_c2`, root, 'text', { text: words[1] }, 'ou_wang', T0 + 2000),
  ];
}

interface Detail {
  record: { code: string; summary: string; affectedCount: number; status: string; textMasked: string };
  events: Array<{ type: string; note: string | null }>;
  sources: unknown[];
}

describe('Feishu: a reply with only @bot to a merged forward', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness();
    for (const [id, name] of [['ou_li', '李阿姨'], ['ou_wang', '王师傅'], ['ou_member_chen', '陈委员']] as const) h.fake.users.set(id, name);
  });
  afterAll(async () => {
    await h.close();
  });

  const detail = async (code: string): Promise<Detail> => (await (await h.server.api(`/api/records/${code}`)).json()) as Detail;
  /** The stored message as GET /api/messages/:id shows it (found by its Feishu message id). */
  async function stored(feishuMessageId: string): Promise<{ state: string; outcome: { action?: string } | null; replies: Array<{ text: string }> }> {
    const row = await h.server.deps.store.inboundByKey('feishu', feishuMessageId);
    if (!row) throw new Error(`message ${feishuMessageId} was not stored`);
    return (await (await h.server.api(`/api/messages/${row.id}`)).json()) as { state: string; outcome: { action?: string } | null; replies: Array<{ text: string }> };
  }

  it('to a bundle already filed: says where it is filed, files nothing new, counts nobody twice', async () => {
    const chatId = 'oc_p2p_bare_filed';
    const root = messageId('bare_filed_bundle');
    h.fake.addMessage(bundle(root, ['灌口镇上头村路口的路灯坏了两个月，晚上很黑', '上头村那个路口我们也反映过，一直没人修']));
    await h.post(buildFeishuEvent({ messageId: root, chatId, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    const filed = await recordFromReceipt(h, root);
    const before = await detail(filed.code);
    expect(before.record.affectedCount).toBe(1);
    const records = h.count('records');
    const sources = h.count('record_sources');
    const sentBefore = h.fake.posted.length;

    const reply = messageId('bare_filed_reply');
    await h.post(buildFeishuEvent({ messageId: reply, chatId, parentId: root, ...AT_BOT }));
    await h.server.settle();

    // What the member sees: one answer, in their thread, naming the record; no receipt, no "+1".
    expect(replyTo(h.fake, reply).map((r) => r.text)).toEqual([
      expect.stringContaining(`这组聊天记录已登记为 ${filed.code}（${before.record.summary}）。补充说明请直接回复文字。`),
    ]);
    expect(h.fake.posted.length).toBe(sentBefore + 1);
    const msg = await stored(reply);
    expect(msg.state).toBe('done');
    expect(msg.outcome).toMatchObject({ action: 'note' });
    expect(msg.replies.map((r) => r.text)).toEqual([expect.stringContaining(`已登记为 ${filed.code}`)]);

    // What the record shows: unchanged.
    expect(h.count('records')).toBe(records);
    expect(h.count('record_sources')).toBe(sources);
    const after = await detail(filed.code);
    expect(after.record.affectedCount).toBe(1);
    expect(after.record.textMasked).toBe(before.record.textMasked);
    expect(after.events.map((e) => e.type)).toEqual(before.events.map((e) => e.type));
    expect(after.events.some((e) => e.type === 'note' || e.type === 'plus_one')).toBe(false);
    expect(after.sources).toHaveLength(before.sources.length);
  });

  it('to a bundle the bot never saw (forwarded in a group, not delivered): the reply files the bundle', async () => {
    const chatId = 'oc_group_bare_unseen';
    const root = messageId('bare_unseen_bundle');
    h.fake.addMessage(bundle(root, ['后溪镇城内村垃圾站三天没清运，臭味很大', '城内村垃圾站门口苍蝇很多，老人小孩都绕着走']));
    const records = h.count('records');

    const reply = messageId('bare_unseen_reply');
    await h.post(buildFeishuEvent({ messageId: reply, chatType: 'group', chatId, parentId: root, ...AT_BOT }));
    await h.server.settle();

    const [receipt, ...more] = replyTo(h.fake, reply);
    expect(more).toHaveLength(0);
    expect(receipt!.text).not.toContain('这组聊天记录已登记为');
    const record = await recordFromReceipt(h, reply);
    expect(record.textMasked).toContain('垃圾站三天没清运');
    expect(record.textMasked).toContain('老人小孩都绕着走');
    expect(record.textMasked).not.toMatch(/李阿姨|王师傅/);
    expect(h.count('records')).toBe(records + 1);
    expect((await detail(record.code)).record.affectedCount).toBe(1);
    expect((await stored(reply)).outcome).toMatchObject({ action: 'intake', bundle: true });
  });

  it('to a bundle the bot saw in the group without @bot (kept, not filed): the reply files the bundle', async () => {
    const chatId = 'oc_group_bare_ignored';
    const root = messageId('bare_ignored_bundle');
    h.fake.addMessage(bundle(root, ['杏林街道杏北社区的电梯经常停运，老人上下楼困难', '杏北社区那栋楼电梯上周又困人了']));
    await h.post(buildFeishuEvent({ messageId: root, chatType: 'group', chatId, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    expect(replyTo(h.fake, root)).toHaveLength(0);
    expect((await stored(root)).state).toBe('ignored');
    const records = h.count('records');

    const reply = messageId('bare_ignored_reply');
    await h.post(buildFeishuEvent({ messageId: reply, chatType: 'group', chatId, parentId: root, ...AT_BOT }));
    await h.server.settle();

    expect(replyTo(h.fake, reply)).toHaveLength(1);
    const record = await recordFromReceipt(h, reply);
    expect(record.textMasked).toContain('电梯经常停运');
    expect(record.textMasked).toContain('电梯上周又困人了');
    expect(h.count('records')).toBe(records + 1);
  });

  /*
   * In a group a bundle is filed by a member's @bot reply, so its records hang on the reply's row and the bundle's
   * own row stays 'ignored' (or was never delivered). A later reply quoting the same bundle must find them through
   * the reply that filed it (quoted_bundles), or it files the bundle again as a "+1" and counts its residents twice.
   */
  it('a second @bot reply to a bundle that a group reply already filed is not filed again', async () => {
    const chatId = 'oc_group_bare_twice';
    const root = messageId('bare_twice_bundle');
    h.fake.addMessage(bundle(root, ['侨英街道凤林美村菜市场早上五点就开始噪音扰民', '凤林美村菜市场的喇叭声太大了，天天吵']));
    await h.post(buildFeishuEvent({ messageId: root, chatType: 'group', chatId, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    const first = messageId('bare_twice_first');
    await h.post(buildFeishuEvent({ messageId: first, chatType: 'group', chatId, parentId: root, ...AT_BOT }));
    await h.server.settle();
    const filed = await recordFromReceipt(h, first);
    const before = await detail(filed.code);
    const records = h.count('records');

    // Staff of the record's town, in the group, reply to the same bundle with only @bot.
    await h.server.deps.store.upsertPerson({ id: 'p_chen', name: '陈委员', role: 'staff', townCode: '350211002', identities: [{ platform: 'feishu', externalId: 'feishu:ou_member_chen' }] }, Date.now());
    const second = messageId('bare_twice_second');
    await h.post(buildFeishuEvent({ messageId: second, chatType: 'group', chatId, senderOpenId: 'ou_member_chen', parentId: root, ...AT_BOT }));
    await h.server.settle();

    expect(replyTo(h.fake, second).map((r) => r.text)).toEqual([
      expect.stringContaining(`这组聊天记录已登记为 ${filed.code}（${before.record.summary}）`),
    ]);
    expect(h.count('records')).toBe(records);
    const after = await detail(filed.code);
    expect(after.record.affectedCount).toBe(1);
    expect(after.events.map((e) => e.type)).toEqual(before.events.map((e) => e.type));

    // A reply with words to it is a note on the same record.
    const third = messageId('bare_twice_third');
    await h.post(buildFeishuEvent({ messageId: third, chatType: 'group', chatId, senderOpenId: 'ou_member_chen', parentId: root,
      content: { text: '@_user_1 这个菜市场已经是第三次反映了' }, mentions: AT_BOT.mentions }));
    await h.server.settle();
    expect(replyTo(h.fake, third).map((r) => r.text)).toEqual([expect.stringContaining(`已将补充说明记入 ${filed.code}`)]);
    expect(h.count('records')).toBe(records);
    const noted = await detail(filed.code);
    expect(noted.record.affectedCount).toBe(1);
    expect(noted.events.at(-1)).toMatchObject({ type: 'note', note: '这个菜市场已经是第三次反映了' });
  });

  /*
   * A reply quoting a bundle is a note on its record only for the member who forwarded it or someone who may see
   * the record (as a reply to a receipt is, receipt-note.ts). Anyone else in the group speaks for themselves.
   */
  it('a reply from someone who may not see the record and did not forward the bundle is their own message, not a note', async () => {
    const chatId = 'oc_group_bare_stranger';
    const root = messageId('stranger_bundle');
    h.fake.addMessage(bundle(root, ['杏滨街道西滨社区公园的健身器材坏了，老人锻炼不方便', '西滨社区公园那个单杠也松了，很危险']));
    await h.post(buildFeishuEvent({ messageId: root, chatType: 'group', chatId, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    const first = messageId('stranger_first');
    await h.post(buildFeishuEvent({ messageId: first, chatType: 'group', chatId, parentId: root, ...AT_BOT }));
    await h.server.settle();
    const filed = await recordFromReceipt(h, first);
    const before = await detail(filed.code);

    // A member of another town, who never reported it, replies to the same bundle with words; someone
    // unregistered replies with only @bot.
    await h.server.deps.store.upsertPerson({ id: 'p_zhou', name: '周委员', role: 'member', townCode: '350211102', identities: [{ platform: 'feishu', externalId: 'feishu:ou_member_zhou' }] }, Date.now());
    h.fake.users.set('ou_member_zhou', '周委员');
    const words = messageId('stranger_words');
    await h.post(buildFeishuEvent({ messageId: words, chatType: 'group', chatId, senderOpenId: 'ou_member_zhou', parentId: root,
      content: { text: '@_user_1 这个公园我也路过看到了' }, mentions: AT_BOT.mentions }));
    await h.server.settle();
    const bare = messageId('stranger_bare');
    await h.post(buildFeishuEvent({ messageId: bare, chatType: 'group', chatId, senderOpenId: 'ou_passer_by', parentId: root, ...AT_BOT }));
    await h.server.settle();

    // Each is answered as one who forwarded those residents' words themselves: their own report, which the
    // dedupe rule joins to the open record ("+1", so they may follow it from now on) — never a note on it.
    for (const id of [words, bare]) {
      const answers = replyTo(h.fake, id).map((r) => r.text);
      expect(answers).toEqual([expect.stringContaining('反映的是同一问题，已合并（+1）')]);
      expect(answers[0]).not.toContain('已将补充说明记入');
      expect(answers[0]).not.toContain('这组聊天记录已登记为');
      expect((await stored(id)).outcome).toMatchObject({ action: 'intake', bundle: true });
    }
    const after = await detail(filed.code);
    expect(after.events.filter((e) => e.type === 'note')).toEqual(before.events.filter((e) => e.type === 'note'));
    expect(after.events.map((e) => e.note ?? '').join('\n')).not.toContain('路过看到了');
  });
});
