import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleItem as item, buildFeishuEvent, FEISHU, type FeishuHarness, messageId, recordFromReceipt, replyTo, startFeishuHarness } from './support/feishu-events.js';
import { FixedClock } from './support/runtime.js';

/**
 * In Feishu a member answers the bot by replying to its message: the reply's parent_id is the bot's receipt.
 * Words under a receipt are a note on that record (not a new report); a command still runs as the command, a
 * place under the bot's question still answers it, and someone who may not see the record files their own.
 */

const OTHER = 'ou_member_chen';
const STREET_LIGHT = '灌口镇上头村路口的路灯坏了两个月，晚上很黑';

interface Detail {
  record: { code: string; summary: string; affectedCount: number; townName: string | null };
  events: Array<{ type: string; note: string | null; actorName: string | null }>;
}

describe('Feishu: a member replies to the bot\'s message', () => {
  let h: FeishuHarness;
  const clock = new FixedClock(Date.now());
  beforeAll(async () => {
    h = await startFeishuHarness({ server: { clock } });
    for (const [id, name] of [['ou_li', '李阿姨'], ['ou_wang', '王师傅'], [OTHER, '陈委员']] as const) h.fake.users.set(id, name);
  });
  afterAll(async () => {
    await h.close();
  });

  const detail = async (code: string): Promise<Detail> => (await (await h.server.api(`/api/records/${code}`)).json()) as Detail;
  /** The bot's message (its Feishu id) answering the member's message `id`: what the member replies to. */
  const botMessage = (id: string, nth = 0): string => h.fake.posted.filter((p) => p.parentId === id)[nth]!.messageId;

  async function say(text: string, o: { chatId: string; parentId?: string; sender?: string; group?: boolean }): Promise<{ id: string; replies: string[] }> {
    const id = messageId('member');
    const at = o.group ? { content: { text: `@_user_1 ${text}` }, mentions: [{ key: '@_user_1', openId: FEISHU.botOpenId, name: '民意助手' }] } : { content: { text } };
    await h.post(buildFeishuEvent({ messageId: id, chatId: o.chatId, chatType: o.group ? 'group' : 'p2p', ...(o.sender ? { senderOpenId: o.sender } : {}), ...(o.parentId ? { parentId: o.parentId } : {}), ...at }));
    await h.server.settle();
    return { id, replies: replyTo(h.fake, id).map((r) => r.text) };
  }

  it('words under a single message\'s receipt are a note on its record; 查询 shows it', async () => {
    const chatId = 'oc_p2p_receipt_single';
    const first = await say(STREET_LIGHT, { chatId });
    const filed = await recordFromReceipt(h, first.id);
    const before = await detail(filed.code);
    const records = h.count('records');
    clock.advance(60_000);

    const reply = await say('补充：灯杆也歪了，联系电话13912345678', { chatId, parentId: botMessage(first.id) });

    expect(reply.replies).toEqual([expect.stringContaining(`已将补充说明记入 ${filed.code}（${before.record.summary}）。`)]);
    expect(h.count('records')).toBe(records);
    const after = await detail(filed.code);
    expect(after.record.affectedCount).toBe(1);
    expect(after.events.at(-1)).toMatchObject({ type: 'note', note: '补充：灯杆也歪了，联系电话139****5678', actorName: '张委员' });

    const query = await say(`查询 ${filed.code}`, { chatId });
    expect(query.replies[0]).toContain('补充：灯杆也歪了');
    expect(query.replies[0]).not.toContain('13912345678');
  });

  it('words under a bundle\'s receipt, long after the bundle, are a note on its record', async () => {
    const chatId = 'oc_p2p_receipt_bundle';
    const root = messageId('bundle');
    const t0 = clock.now() - 3_600_000;
    h.fake.addMessage([
      item(root, undefined, 'merge_forward', 'Merged and Forwarded Message', FEISHU.memberOpenId, t0 + 10_000),
      item(`${root}_c1`, root, 'text', { text: '集美街道岑西社区垃圾站很臭，没人清运' }, 'ou_li', t0 + 1000),
      item(`${root}_c2`, root, 'text', { text: '岑西社区垃圾站门口苍蝇很多' }, 'ou_wang', t0 + 2000),
    ]);
    await h.post(buildFeishuEvent({ messageId: root, chatId, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    const filed = await recordFromReceipt(h, root);
    const records = h.count('records');
    // Past the 10 s in which any short line after a bundle is its note: only the quoted receipt ties this one.
    clock.advance(11_000);

    const reply = await say('补充：已经臭了一周', { chatId, parentId: botMessage(root) });

    expect(reply.replies).toEqual([expect.stringContaining(`已将补充说明记入 ${filed.code}`)]);
    expect(reply.replies[0]).not.toContain('已登记社情民意');
    expect(h.count('records')).toBe(records);
    const after = await detail(filed.code);
    expect(after.record.affectedCount).toBe(1);
    expect(after.events.at(-1)).toMatchObject({ type: 'note', note: '补充：已经臭了一周' });
    expect((await say(`查询 ${filed.code}`, { chatId })).replies[0]).toContain('补充：已经臭了一周');
  });

  it('a command under a receipt runs as the command and adds no note', async () => {
    const chatId = 'oc_p2p_receipt_command';
    const first = await say('后溪镇城内村菜市场门口下水道堵了，污水漫到路上', { chatId });
    const filed = await recordFromReceipt(h, first.id);
    const events = (await detail(filed.code)).events.length;
    const records = h.count('records');
    clock.advance(60_000);

    const query = await say(`查询 ${filed.code}`, { chatId, parentId: botMessage(first.id) });

    expect(query.replies).toHaveLength(1);
    expect(query.replies[0]).toContain(filed.code);
    expect(query.replies[0]).toContain('处理经过');
    expect(query.replies[0]).not.toContain('已将补充说明记入');
    expect(h.count('records')).toBe(records);
    expect((await detail(filed.code)).events).toHaveLength(events);
  });

  it('a place under the bot\'s 镇街 question still answers it', async () => {
    const chatId = 'oc_p2p_receipt_question';
    const first = await say('小区门口的路灯坏了一个多月，晚上出门很不方便', { chatId });
    const [question] = replyTo(h.fake, first.id);
    expect(question!.buttons).toContain('灌口镇');
    const code = /[A-Z]{1,6}-\d{4}-\d{4,}/.exec(question!.text)![0];
    const records = h.count('records');

    const answer = await say('灌口', { chatId, parentId: botMessage(first.id) });

    expect(answer.replies.join('\n')).not.toContain('已将补充说明记入');
    expect((await detail(code)).record.townName).toBe('灌口镇');
    expect((await detail(code)).events.some((e) => e.type === 'note')).toBe(false);
    expect(h.count('records')).toBe(records);
  });

  it('a member who sent a "+1" adds a note through the "+1" receipt', async () => {
    const first = await say(STREET_LIGHT.replace('两个月', '三个月'), { chatId: 'oc_p2p_receipt_plus_a' });
    const filed = await recordFromReceipt(h, first.id);
    const joined = await say(`${STREET_LIGHT.replace('两个月', '三个月')}，老人摔过一次`, { chatId: 'oc_p2p_receipt_plus_b', sender: OTHER });
    expect(joined.replies[0]).toContain(filed.code);
    const records = h.count('records');
    clock.advance(60_000);

    const reply = await say('补充：摔倒的是82岁的老人', { chatId: 'oc_p2p_receipt_plus_b', sender: OTHER, parentId: botMessage(joined.id) });

    expect(reply.replies).toEqual([expect.stringContaining(`已将补充说明记入 ${filed.code}`)]);
    expect(h.count('records')).toBe(records);
    expect((await detail(filed.code)).events.at(-1)).toMatchObject({ type: 'note', note: '补充：摔倒的是82岁的老人', actorName: '陈委员' });
  });

  it('someone who may not see the record replying to its receipt in a group files their own report and learns nothing of it', async () => {
    const chatId = 'oc_group_receipt_others';
    const first = await say('杏林街道杏北社区的电梯经常停运，老人上下楼困难', { chatId, group: true });
    const filed = await recordFromReceipt(h, first.id);
    const before = await detail(filed.code);
    const records = h.count('records');
    clock.advance(60_000);

    const reply = await say('侨英街道凤林美村菜市场早上五点就开始噪音扰民', { chatId, group: true, sender: OTHER, parentId: botMessage(first.id) });

    expect(reply.replies).toHaveLength(1);
    expect(reply.replies[0]).not.toContain(filed.code);
    expect(reply.replies[0]).not.toContain(before.record.summary);
    expect(reply.replies[0]).not.toContain('已将补充说明记入');
    expect(h.count('records')).toBe(records + 1);
    expect((await detail(filed.code)).events).toHaveLength(before.events.length);
  });
});
