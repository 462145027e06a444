import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, ask, events, file, GUANKOU, JIMEI, message, record, say, WED_10AM } from './support/workflow-helpers.js';

describe('record workflow in chat: preview, confirm, follow-up', () => {
  let s: TestServer;
  const clock = new FixedClock(WED_10AM);
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
    await addPerson(s, 'm2', '林委员', 'member', JIMEI);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    await addPerson(s, 's-gk', '灌口小李', 'staff', GUANKOU);
    await addPerson(s, 's-dist', '区政协小周', 'staff', null);
  });
  afterAll(async () => {
    await s.close();
  });

  it('交办 shows a preview, changes nothing until 确认, then records the operator and tells the member', async () => {
    const { code, messageId } = await file(s, 'm1', '小区门口的人行道砖松动好几块，老人走路容易绊倒', '集美');
    const preview = await say(s, 's-jm', `交办 ${code} 区市政园林局 7天`);
    expect(preview.replies[0]!.text).toContain('请确认：交办');
    expect(preview.replies[0]!.text).toContain('区市政园林局');
    expect(preview.replies[0]!.text).toContain('2026-05-20');
    expect((preview.replies[0]!.payload as { buttons: Array<{ label: string }> }).buttons.map((b) => b.label)).toEqual(['确认', '取消']);
    expect((await record(s, code)).status).toBe('registered');
    expect((await events(s, code)).map((e) => e.type)).toEqual(['created']);

    expect(await ask(s, 's-jm', '确认')).toContain('已执行');
    const r = await record(s, code);
    expect(r).toMatchObject({ status: 'assigned', department: '区市政园林局' });
    expect(r.dueAt).toBe(Date.UTC(2026, 4, 20, 15, 59, 59, 999));
    const last = (await events(s, code)).at(-1)!;
    expect(last).toMatchObject({ type: 'status', from: 'registered', to: 'assigned', actorId: 'http:s-jm', actorName: '集美小王' });
    // The member's original message now carries the status update in its thread.
    const original = await message(s, messageId);
    expect(original.replies.map((x) => x.kind)).toEqual(['receipt', 'status']);
    expect(original.replies[1]!.text).toContain('已登记 → 已交办');
  });

  it('refuses writes from members and from staff of another town, and changes nothing', async () => {
    const { code } = await file(s, 'm1', '楼下烧烤摊油烟很大每天到半夜', '集美');
    // A member is told the command is staff's, not that the record is hidden.
    expect(await ask(s, 'm1', `交办 ${code} 区城管局`)).toContain('仅限工作人员使用');
    expect(await ask(s, 'm2', `办结 ${code} 已解决 已处理`)).toContain('仅限工作人员使用');
    expect(await ask(s, 's-gk', `不予受理 ${code} 不属实`)).toContain('没有找到你可查看的记录');
    expect(await ask(s, 'stranger', `交办 ${code} 区城管局`)).toContain('仅限工作人员使用');
    expect(await ask(s, 'm1', '确认')).toContain('没有待确认的操作');
    expect((await record(s, code)).status).toBe('registered');
    expect((await events(s, code)).map((e) => e.type)).toEqual(['created']);
    // District staff may act on any town.
    expect(await ask(s, 's-dist', `交办 ${code} 区城管局`)).toContain('请确认');
    expect(await ask(s, 's-dist', '取消')).toContain('已取消');
  });

  it('a failed attempt at a write drops the earlier preview, so the next 确认 cannot apply a stale one', async () => {
    const { code } = await file(s, 'm1', '小区南门的路灯坏了一个多月，晚上很黑', '集美');
    expect(await ask(s, 's-jm', `不予受理 ${code} 属信访事项`)).toContain('请确认：不予受理');
    const usage = await ask(s, 's-jm', `办结 ${code}`);
    expect(usage).toContain('办结 <编号> 已解决|未解决');
    expect(usage).toContain(`之前的预览「不予受理 ${code}」已作废`);
    expect(await ask(s, 's-jm', '确定')).toContain('没有待确认的操作');
    expect((await record(s, code)).status).toBe('registered');
    // A read in between (查询) leaves the preview alone.
    await say(s, 's-jm', `交办 ${code} 区市政园林局 十个工作日`);
    expect(await ask(s, 's-jm', `查询 ${code}`)).not.toContain('已作废');
    expect(await ask(s, 's-jm', '确认')).toContain('已执行');
    // Wednesday 05-13 plus 10 working days.
    expect((await record(s, code)).dueAt).toBe(Date.UTC(2026, 4, 27, 15, 59, 59, 999));
  });

  it('a member resending the same words is answered but not counted again; another member, or other words, count', async () => {
    const text = '集美街道岑西社区菜市场门口下水道堵了，污水流到路上，气味很大';
    const { code } = await file(s, 'm1', text, '集美');
    const again = await say(s, 'm1', ` ${text}。`, { town: '集美' });
    expect(again.outcome?.items).toEqual([expect.objectContaining({ action: 'repeated', code })]);
    expect(again.replies[0]!.text).toContain(`这条与你此前反映的 ${code} 相同，已在记录中，不重复计数`);
    expect((await record(s, code)).affectedCount).toBe(1);
    // Another member with the same words is another resident's voice.
    expect((await say(s, 'm2', text, { town: '集美' })).outcome?.items).toEqual([expect.objectContaining({ action: 'joined', code })]);
    // So is the first member passing on a second resident's own words about it.
    await say(s, 'm1', '岑西社区菜市场门口的下水道堵住了，污水横流，味道很大，希望尽快疏通', { town: '集美' });
    expect((await record(s, code)).affectedCount).toBe(3);
    expect(await events(s, code)).toHaveLength(3);
  });

  it('a receipt names similar records to a member by code only: they may be other members\' reports', async () => {
    const { code } = await file(s, 'm1', '灌口镇上头亭社区村口的路灯坏了一个多月，晚上老人孩子出行很不安全，希望尽快修好。', '灌口');
    const similar = await say(s, 'm2', '上头亭社区路口的路灯一个多月没亮了，村里老人晚上出门很害怕，请尽快维修。', { town: '灌口' });
    expect(similar.outcome?.items).toEqual([expect.objectContaining({ action: 'filed' })]);
    expect(similar.replies[0]!.text).toContain(`相似记录：${code}`);
    expect(similar.replies[0]!.text).not.toContain('老人孩子出行很不安全');
  });

  it('取消 discards a preview; an expired preview cannot be confirmed; only its author can confirm it', async () => {
    const { code } = await file(s, 'm1', '公园里的健身器材坏了没人修', '集美');
    await say(s, 's-jm', `交办 ${code} 区市政园林局`);
    expect(await ask(s, 's-jm', '取消')).toContain('已取消');
    expect(await ask(s, 's-jm', '确认')).toContain('没有待确认的操作');

    await say(s, 's-jm', `交办 ${code} 区市政园林局`);
    expect(await ask(s, 's-dist', '确认', 's-jm')).toContain('没有待确认的操作');
    clock.advance(31 * 60_000);
    expect(await ask(s, 's-jm', '确认')).toContain('已过期');
    expect((await record(s, code)).status).toBe('registered');
    expect((await events(s, code)).map((e) => e.type)).toEqual(['created']);
  });

  it('a new preview replaces the author\'s earlier one: 确认 applies only the last one shown, and only once', async () => {
    const a = await file(s, 'm1', '菜市场门口下水道井盖松动，车一过就响', '集美');
    const b = await file(s, 'm2', '健身广场的灯整晚不关，很浪费', '集美');
    const first = await say(s, 's-jm', `不予受理 ${a.code} 不属实`);
    await say(s, 's-jm', `交办 ${b.code} 区城管局 7天`);
    expect(await ask(s, 's-jm', '确认')).toContain('已执行');
    expect(await ask(s, 's-jm', '确认')).toContain('没有待确认的操作');
    expect((await record(s, a.code)).status).toBe('registered');
    expect((await record(s, b.code)).status).toBe('assigned');
    // The older preview's own button (DingTalk types 「确认 <ref>」) says what became of it and changes nothing.
    const buttons = (first.replies[0]!.payload as { buttons: Array<{ label: string; command: string }> }).buttons;
    expect(buttons.map((x) => x.command)).toEqual([expect.stringMatching(/^确认 [0-9a-z]{6}$/), expect.stringMatching(/^取消 [0-9a-z]{6}$/)]);
    expect(await ask(s, 's-jm', buttons[0]!.command)).toContain('已被之后的预览取代，未执行');
    expect((await record(s, a.code)).status).toBe('registered');
    expect((await events(s, a.code)).map((e) => e.type)).toEqual(['created']);
  });

  it('a 确认 whose change could not be written is not used up: the job\'s retry applies it, once', async () => {
    const { code } = await file(s, 'm1', '地下通道的扶手锈断了，很危险', '集美');
    await say(s, 's-jm', `交办 ${code} 区城管局 7天`);
    const store = s.deps.store;
    const changeRecord = store.changeRecord.bind(store);
    let failures = 1;
    store.changeRecord = async (...args) => {
      if (failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
      return changeRecord(...args);
    };
    try {
      const confirm = await say(s, 's-jm', '确认');
      expect(confirm.replies).toEqual([]);
      expect((await record(s, code)).status).toBe('registered');
      clock.advance(60_000);
      await s.settle();
      expect((await message(s, confirm.id)).replies.map((r) => r.text)).toEqual([expect.stringContaining('已执行')]);
    } finally {
      Reflect.deleteProperty(store, 'changeRecord');
    }
    expect((await record(s, code)).status).toBe('assigned');
    expect((await events(s, code)).map((e) => e.type)).toEqual(['created', 'status']);
  });

  it('the member may correct the town of a record until staff take it up; staff may afterwards', async () => {
    const { code } = await file(s, 'm1', '小区后门的消防通道被私家车长期占用', '集美');
    expect(await ask(s, 'm1', `更正 ${code} 分类 交通运输`)).toContain(code);
    expect((await record(s, code)).categoryName).toBe('交通运输');
    await say(s, 's-jm', `交办 ${code} 区消防救援大队`);
    await say(s, 's-jm', '确认');
    expect(await ask(s, 'm1', `更正 ${code} 镇街 灌口镇`)).toContain('已由工作人员办理');
    expect((await record(s, code)).townName).toBe('集美街道');
    await ask(s, 's-jm', `更正 ${code} 镇街 灌口镇`);
    expect((await record(s, code)).townName).toBe('灌口镇');
  });

  it('不予受理 needs a reason and tells the member', async () => {
    const { code, messageId } = await file(s, 'm2', '邻居家装修占用楼道堆放材料', '集美');
    expect(await ask(s, 's-jm', `不予受理 ${code}`)).toContain('需要写明原因');
    await say(s, 's-jm', `不予受理 ${code} 属邻里纠纷，已引导调解`);
    await say(s, 's-jm', '确认');
    expect((await record(s, code)).status).toBe('rejected');
    expect((await message(s, messageId)).replies.at(-1)!.text).toContain('属邻里纠纷');
  });

  it('办结 sends a 回访 prompt; 不满意 reopens as 重办 with the member as operator', async () => {
    const { code, messageId } = await file(s, 'm1', '小区旁边的排水沟堵了下雨就漫到路上', '集美');
    await say(s, 's-jm', `交办 ${code} 区市政园林局 5天`);
    await say(s, 's-jm', '确认');
    expect(await ask(s, 's-jm', `办结 ${code} 未解决`)).toContain('需要写明原因');
    await say(s, 's-jm', `办结 ${code} 已解决 已清淤`);
    await say(s, 's-jm', '确认');
    const thread = (await message(s, messageId)).replies;
    expect(thread.map((x) => x.kind)).toEqual(['receipt', 'status', 'status', 'question']);
    expect(thread[3]!.text).toContain('回访');
    expect((thread[3]!.payload as { options: Array<{ label: string; value: { action: string } }> }).options.map((o) => o.label)).toEqual(['满意', '基本满意', '不满意']);

    expect(await ask(s, 'm2', `回访 ${code} 满意`)).toContain('没有找到');
    expect(await ask(s, 'm1', '不满意')).toContain(`回访 ${code}：不满意`);
    await say(s, 'm1', '确认');
    const r = await record(s, code);
    expect(r.status).toBe('reopened');
    expect(r.dueAt).toBeGreaterThan(s.deps.clock.now());
    const tail = (await events(s, code)).slice(-2);
    expect(tail).toMatchObject([
      { type: 'visit', from: 'resolved', to: 'visited', actorId: 'http:m1', note: '回访：不满意' },
      { type: 'status', from: 'visited', to: 'reopened', actorId: 'http:m1' },
    ]);
    // The thread hears of it once: 不满意, so back to 重办 — not 已回访 and then 重办 as two updates.
    const after = (await message(s, messageId)).replies.slice(4);
    expect(after.map((x) => x.kind)).toEqual(['status']);
    expect(after[0]!.text).toContain('已办结·已解决 → 重办');
    expect(after[0]!.text).toContain('回访不满意，发回重办');
    // 处理经过 names the 回访 in words.
    const history = await ask(s, 's-jm', `查询 ${code}`);
    expect(history).toContain('回访 → 已回访（陈委员）：回访：不满意');
    expect(history).not.toContain('visit');
  });

  it('交办 of a record already assigned says so, naming the department, and changes nothing', async () => {
    const { code } = await file(s, 'm1', '街心花园的公共厕所一直锁着门，游客没地方上厕所', '灌口');
    await say(s, 's-gk', `交办 ${code} 区市政园林局 7天`);
    await say(s, 's-gk', '确认');
    const before = await events(s, code);
    const again = await ask(s, 's-gk', `交办 ${code} 区建设局`);
    expect(again).toBe(`${code} 已交办区市政园林局（办理时限 ${new Date((await record(s, code)).dueAt! + 8 * 3600_000).toISOString().slice(0, 10)}），无需重复交办。`);
    expect(again).not.toContain('不能改为');
    expect(await ask(s, 's-gk', '确认')).toContain('没有待确认的操作');
    expect(await events(s, code)).toEqual(before);
  });

  it('a record staff file without a place is marked as placed by the sender\'s town, not a member\'s', async () => {
    const m = await say(s, 's-jm', '小区门口的路灯坏了好几天，晚上很黑');
    expect(m.replies[0]!.text).toContain('镇街：集美街道（按发送人所属镇街推定，如有误请更正）');
    expect(m.replies[0]!.text).not.toContain('委员所属');
  });

  it('合并 marks one record 重复 and adds its residents to the other', async () => {
    const a = await file(s, 'm1', '幼儿园门口接送时段车辆乱停堵塞', '灌口');
    const b = await file(s, 'm2', '学校放学时门口交通秩序混乱需要疏导', '灌口');
    expect(await ask(s, 's-jm', `合并 ${b.code} 到 ${a.code}`)).toContain('没有找到');
    expect(await ask(s, 's-gk', `合并 ${b.code} 到 ${a.code}`)).toContain('→ 2 人次');
    await say(s, 's-gk', '确认');
    expect(await record(s, b.code)).toMatchObject({ status: 'duplicate', duplicateOf: a.code });
    expect((await record(s, a.code)).affectedCount).toBe(2);
    expect((await events(s, a.code)).at(-1)).toMatchObject({ type: 'merged', actorId: 'http:s-gk' });
    expect((await events(s, b.code)).at(-1)).toMatchObject({ type: 'status', to: 'duplicate', actorId: 'http:s-gk' });
    expect((await message(s, b.messageId)).replies.at(-1)!.text).toContain(`与 ${a.code} 是同一问题`);
    expect(await ask(s, 's-gk', `合并 ${a.code} 到 ${b.code}`)).toContain('已关闭');
  });

  it('查询 shows the history to the member and their staff only', async () => {
    const { code } = await file(s, 'm1', '菜市场周边流动摊贩占道经营', '集美');
    const history = await ask(s, 'm1', `查询 ${code}`);
    expect(history).toContain('处理经过');
    // The history reads in words, not the event names the database keeps.
    expect(history).toContain('登记 → 已登记');
    expect(history).not.toMatch(/created|plus_one/);
    expect(await ask(s, 's-jm', `查询 ${code}`)).toContain(code);
    expect(await ask(s, 's-gk', `查询 ${code}`)).toContain('没有找到');
    expect(await ask(s, 'm2', `查询 ${code}`)).toContain('没有找到');
  });
});
