import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/core/types.js';
import { bundleItem, buildFeishuEvent, type FeishuHarness, messageId, recordFromReceipt, replyTo, startFeishuHarness } from './support/feishu-events.js';

const GUANKOU = '350211102';
const CHEN = 'ou_m_chen';
const LIN = 'ou_m_lin';
const HUANG = 'ou_m_huang';
const STAFF = 'ou_s_guankou';

/** Members whose report joined another member's record ("+1") follow it as the member who filed it does. */
describe('Feishu: a member whose report became a "+1"', () => {
  let h: FeishuHarness;

  async function person(openId: string, name: string, role: Role) {
    h.fake.users.set(openId, name);
    await h.server.deps.store.upsertPerson({ id: `p_${openId}`, name, role, townCode: GUANKOU, identities: [{ platform: 'feishu', externalId: `feishu:${openId}` }] }, Date.now());
  }

  /** Sends `text` 1:1 as `from`; returns the message id and the text of the bot's answers to it. */
  async function send(from: string, text: string): Promise<{ id: string; answers: string[] }> {
    const id = messageId(from);
    await h.post(buildFeishuEvent({ messageId: id, senderOpenId: from, chatId: `oc_p2p_${from}`, content: { text } }));
    await h.server.settle();
    return { id, answers: replyTo(h.fake, id).map((c) => c.text) };
  }

  async function ask(from: string, text: string): Promise<string> {
    const { answers } = await send(from, text);
    expect(answers).toHaveLength(1);
    return answers[0]!;
  }

  beforeAll(async () => {
    h = await startFeishuHarness();
    await person(CHEN, '陈委员', 'member');
    await person(LIN, '林委员', 'member');
    await person(HUANG, '黄委员', 'member');
    await person(STAFF, '灌口小李', 'staff');
  });
  afterAll(async () => {
    await h.close();
  });

  it('sees the record in 查询 and 我的记录 and hears 交办 and 办结 once, in the thread where she was told "+1"', async () => {
    const filed = await send(CHEN, '灌口镇上头亭社区路口积水严重，下雨天根本过不去，联系电话13912345678');
    const { code } = await recordFromReceipt(h, filed.id);
    const first = await send(LIN, '灌口镇上头亭社区那个路口积水很严重，下雨过不去，麻烦反映一下 138 0013 8000');
    expect(first.answers[0]).toContain(code);
    // She reports it a second time: still one update per change, in the thread of her latest "+1".
    const again = await send(LIN, '灌口镇上头亭社区路口积水很严重，下雨天过不去');
    expect(again.answers[0]).toContain(code);
    expect((await h.server.deps.store.getRecord(code))!.affectedCount).toBe(3);

    const asLin = await ask(LIN, `查询 ${code}`);
    expect(asLin).toContain(code);
    expect(asLin).toContain('反映人次：3');
    // What the filer sees (the record's summary, as her "+1" receipt showed it), not the reports one by one.
    expect(asLin).toBe(await ask(CHEN, `查询 ${code}`));
    expect(asLin).not.toContain('反映（3 条）');
    expect(asLin).not.toMatch(/13912345678|138 0013 8000|麻烦反映一下/);
    expect(await ask(HUANG, `查询 ${code}`)).toContain(`没有找到你可查看的记录 ${code}`);

    const mine = await ask(LIN, '我的记录');
    expect(mine.match(new RegExp(code, 'g'))).toHaveLength(1);
    expect(mine).toMatch(new RegExp(`${code} 已登记 灌口镇 .*（\\+1）`));
    expect(await ask(CHEN, '我的记录')).not.toContain('（+1）');
    expect(await ask(HUANG, '我的记录')).toContain('还没有记录');

    const chenBefore = replyTo(h.fake, filed.id).length;
    expect(await ask(STAFF, `交办 ${code} 区市政园林局 7天`)).toContain('请确认');
    expect(await ask(STAFF, '确认')).toContain('已执行');
    expect(await ask(STAFF, `办结 ${code} 已解决 已疏通排水管`)).toContain('请确认');
    expect(await ask(STAFF, '确认')).toContain('已执行');

    const linThread = replyTo(h.fake, again.id);
    expect(linThread.slice(1).map((c) => c.text.match(/已\S+ → 已\S+/)?.[0])).toEqual(['已登记 → 已交办', '已交办 → 已办结·已解决']);
    expect(linThread.at(-1)!.text).toContain('已疏通排水管');
    // The 回访 is the filer's: no rating buttons for her.
    expect(linThread.flatMap((c) => c.buttons)).toEqual([]);
    expect(replyTo(h.fake, first.id)).toHaveLength(1);
    // The filer gets what she always got: both updates and the 回访 prompt, in her thread.
    const chenThread = replyTo(h.fake, filed.id).slice(chenBefore);
    expect(chenThread.map((c) => c.text.match(/已\S+ → 已\S+/)?.[0] ?? c.buttons.join('|'))).toEqual(['已登记 → 已交办', '已交办 → 已办结·已解决', '满意|基本满意|不满意']);
    expect(JSON.stringify(h.fake.posted)).not.toMatch(/13912345678|138 0013 8000/);

    expect(await ask(LIN, `查询 ${code}`)).toContain('已办结·已解决');
    expect(await ask(LIN, '我的记录')).toMatch(new RegExp(`${code} 已办结·已解决 .*（\\+1）`));
    expect(await ask(LIN, `回访 ${code} 满意`)).toContain('回访由登记这条记录的委员或负责的工作人员作答');
    expect((await h.server.deps.store.getRecord(code))!.status).toBe('resolved');
  });

  it('a 补充说明 is read by the member who wrote it and by staff, not by the other members who reported the record', async () => {
    const filed = await send(CHEN, '灌口镇双岭社区健身广场的路灯坏了半个月，晚上一片漆黑');
    const { code } = await recordFromReceipt(h, filed.id);
    // 林委员 forwards her residents' messages as a bundle that joins the record, then adds a note to it.
    const root = messageId('lin_bundle');
    const t0 = Date.now() - 3_600_000;
    h.fake.users.set('ou_r_li', '李阿姨');
    h.fake.addMessage([
      bundleItem(root, undefined, 'merge_forward', 'Merged and Forwarded Message', LIN, t0 + 10_000),
      bundleItem(`${root}_c1`, root, 'text', { text: '灌口镇双岭社区健身广场的路灯坏了半个月了，晚上一片漆黑' }, 'ou_r_li', t0),
    ]);
    await h.post(buildFeishuEvent({ messageId: root, senderOpenId: LIN, chatId: `oc_p2p_${LIN}`, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    expect(replyTo(h.fake, root)[0]!.text).toContain(code);
    const note = messageId('lin_note');
    await h.post(buildFeishuEvent({ messageId: note, senderOpenId: LIN, chatId: `oc_p2p_${LIN}`, parentId: root, content: { text: '李阿姨家门口那盏也不亮' } }));
    await h.server.settle();
    expect(replyTo(h.fake, note)[0]!.text).toContain(`已将补充说明记入 ${code}`);

    expect(await ask(LIN, `查询 ${code}`)).toContain('补充说明（林委员）：李阿姨家门口那盏也不亮');
    expect(await ask(STAFF, `查询 ${code}`)).toContain('补充说明（林委员）：李阿姨家门口那盏也不亮');
    const asChen = await ask(CHEN, `查询 ${code}`);
    expect(asChen).toContain('补充说明（林委员）');
    expect(asChen).not.toContain('李阿姨');
  });

  it('is told truthfully why she cannot correct the record, and another member is not called a 反映人', async () => {
    const filed = await send(CHEN, '灌口镇井城社区菜市场门口垃圾堆了一周没人清运，臭味很大');
    const { code } = await recordFromReceipt(h, filed.id);
    const joined = await send(LIN, '灌口镇井城社区菜市场门口的垃圾堆了一周没人清运，臭味很大');
    expect(joined.answers[0]).toContain(code);

    expect(await ask(LIN, `更正 ${code} 镇街 后溪镇`)).toContain(`你的反映已并入 ${code}（+1），镇街和分类由登记这条记录的委员或负责的工作人员更正`);
    expect(await ask(HUANG, `更正 ${code} 镇街 后溪镇`)).toContain('只有登记这条记录的委员和负责的工作人员可以更正');
    expect((await h.server.deps.store.getRecord(code))!.townCode).toBe(GUANKOU);
    // The filer still may, until staff take it up.
    expect(await ask(CHEN, `更正 ${code} 分类 环境保护`)).toContain('环境保护');
  });
  it('after 合并, the member whose record was merged follows the record it went into, and 拆分 gives it back', async () => {
    const kept = await send(CHEN, '灌口镇田头村篮球场的照明灯全坏了，晚上没法打球');
    const { code } = await recordFromReceipt(h, kept.id);
    const merged = await send(HUANG, '灌口镇田头村文化广场的音响太吵，每晚放到十一点');
    const { code: other } = await recordFromReceipt(h, merged.id);
    expect(other).not.toBe(code);
    expect(await ask(HUANG, `查询 ${code}`)).toContain('没有找到你可查看的记录');

    expect(await ask(STAFF, `合并 ${other} 到 ${code}`)).toContain('请确认');
    expect(await ask(STAFF, '确认')).toContain('已合并');
    expect(replyTo(h.fake, merged.id).at(-1)!.text).toContain(`与 ${code} 是同一问题`);
    expect(await ask(HUANG, `查询 ${code}`)).toContain('反映人次：2');
    expect(await ask(HUANG, '我的记录')).toMatch(new RegExp(`${code} 已登记 灌口镇 .*（\\+1）`));
    // Her own record still answers her, as 重复 of the one it went into.
    expect(await ask(HUANG, `查询 ${other}`)).toContain(`重复，见 ${code}`);

    const huangBefore = replyTo(h.fake, merged.id).length;
    expect(await ask(STAFF, `交办 ${code} 区市政园林局 7天`)).toContain('请确认');
    expect(await ask(STAFF, '确认')).toContain('已执行');
    const heard = replyTo(h.fake, merged.id).slice(huangBefore);
    expect(heard.map((c) => c.text.match(/已\S+ → 已\S+/)?.[0])).toEqual(['已登记 → 已交办']);
    expect(heard[0]!.text).toContain(code);

    // Staff see both reports, numbered, and can take hers back out as a record of its own.
    const asStaff = await ask(STAFF, `查询 ${code}`);
    expect(asStaff).toContain('反映（2 条）');
    expect(await ask(STAFF, `拆分 ${code} 2`)).toContain('请确认');
    expect(await ask(STAFF, '确认')).toContain('已拆分');
    expect(await ask(HUANG, `查询 ${code}`)).toContain('没有找到你可查看的记录');
  });
});
