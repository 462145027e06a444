import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../src/core/commands.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, ask, file, GUANKOU, JIMEI, record, say, WED_10AM } from './support/workflow-helpers.js';

describe('微协商 in chat: schedule, minutes, action items, close', () => {
  let s: TestServer;
  const clock = new FixedClock(WED_10AM);
  let code: string;
  let csl: string;
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    await addPerson(s, 's-gk', '灌口小李', 'staff', GUANKOU);
    ({ code } = await file(s, 'm1', '集美街道岑头社区老旧小区楼道堆物严重，加装电梯方案迟迟没有落实', '集美'));
    expect(await ask(s, 's-jm', `拟议程 ${code}`)).toContain('协商编号');
    csl = (await s.deps.outputs!.listConsultations({ townCode: JIMEI }))[0]!.code;
  });
  afterAll(async () => {
    await s.close();
  });

  it('a record already on a consultation still to be held is not proposed for a second one', async () => {
    expect(await ask(s, 's-jm', `拟议程 ${code}`)).toContain(`${code} 已列入协商 ${csl}（已提议）`);
    expect(await s.deps.outputs!.listConsultations({ townCode: JIMEI })).toHaveLength(1);
  });

  it('a member and staff of another town are refused, and nothing changes', async () => {
    expect(await ask(s, 'm1', `安排协商 ${csl} 2026-05-20 15:00`)).toContain('仅限工作人员');
    expect(await ask(s, 'm1', `协商 ${csl}`)).toContain('仅限工作人员');
    expect(await ask(s, 'm1', `结束协商 ${csl}`)).toContain('仅限工作人员');
    expect(await ask(s, 's-gk', `安排协商 ${csl} 2026-05-20 15:00`)).toContain('没有找到你负责的协商');
    expect(await ask(s, 'm1', '确认')).toContain('没有待确认的操作');
    expect(await ask(s, 's-gk', '确认')).toContain('没有待确认的操作');
    expect((await s.deps.outputs!.getConsultation(csl))!.status).toBe('proposed');
    expect((await record(s, code)).status).toBe('registered');
  });

  it('takes a consultation from proposal to tracked decisions and closes it only when all are done', async () => {
    const preview = await ask(s, 's-jm', `安排协商 ${csl} 2026-05-20 15:00`);
    expect(preview).toContain('请确认：安排协商');
    expect(preview).toContain('2026-05-20 15:00');
    expect((await s.deps.outputs!.getConsultation(csl))!.status).toBe('proposed');
    expect(await ask(s, 's-jm', '确认')).toContain('已安排');
    expect((await record(s, code)).status).toBe('in_consultation');

    clock.advance(7 * 86_400_000);
    const minutes = [
      `协商纪要 ${csl}`,
      '纪要：各方同意先清理楼道，再论证加装电梯方案',
      '参加：陈委员、集美小王、岑头社区书记',
      '决定：清理楼道堆物｜岑头社区｜2026-05-30',
      '决定：出具加装电梯可行性意见/区住建局/15天',
    ].join('\n');
    const heldPreview = await ask(s, 's-jm', minutes);
    expect(heldPreview).toContain('请确认：协商纪要');
    expect(heldPreview).toContain('清理楼道堆物｜岑头社区｜2026-05-30');
    expect(heldPreview).toContain('出具加装电梯可行性意见｜区住建局｜2026-06-04');
    expect(await ask(s, 's-jm', '确认')).toContain('2 项决定');

    const shown = await ask(s, 's-jm', `协商 ${csl}`);
    expect(shown).toContain('已召开');
    expect(shown).toContain('2026-05-20 15:00');
    expect(shown).toContain('1. 清理楼道堆物｜岑头社区｜2026-05-30｜未完成');
    expect(shown).toContain('2. 出具加装电梯可行性意见｜区住建局｜2026-06-04｜未完成');

    expect(await ask(s, 's-jm', `办结事项 ${csl} 1`)).toContain('请确认：办结事项');
    expect(await ask(s, 's-jm', '确认')).toContain('还有 1 项未完成');
    const refused = await ask(s, 's-jm', `结束协商 ${csl}`);
    expect(refused).toContain('还有 1 项分工未完成');
    expect(refused).toContain('出具加装电梯可行性意见');
    expect(await ask(s, 's-jm', '确认')).toContain('没有待确认的操作');
    expect((await s.deps.outputs!.getConsultation(csl))!.status).toBe('held');

    // A member cannot tick off an item either.
    expect(await ask(s, 'm1', `办结事项 ${csl} 2`)).toContain('仅限工作人员');
    expect((await s.deps.outputs!.listActionItems({ consultationId: (await s.deps.outputs!.getConsultation(csl))!.id })).map((i) => i.status)).toEqual(['done', 'open']);

    await say(s, 's-jm', `办结事项 ${csl} 2`);
    expect(await ask(s, 's-jm', '确认')).toContain('分工已全部完成');
    expect(await ask(s, 's-jm', `办结事项 ${csl} 2`)).toContain('已完成');
    expect(await ask(s, 's-jm', `结束协商 ${csl}`)).toContain('请确认：结束协商');
    expect(await ask(s, 's-jm', '确认')).toContain(`已结束协商 ${csl}`);
    const after = await ask(s, 's-jm', `协商 ${csl}`);
    expect(after).toContain('已结束');
    expect(after).toContain('2. 出具加装电梯可行性意见｜区住建局｜2026-06-04｜已完成');
  });

  it('lists the consultation commands in the staff help', async () => {
    const help = await ask(s, 's-jm', '帮助');
    for (const word of ['安排协商', '协商纪要', '办结事项', '结束协商']) expect(help).toContain(word);
  });
});

describe('微协商 outcome: the member hears of a new date and of the end, 委员履职 counts members, the write-up names who decided what', () => {
  let s: TestServer;
  const clock = new FixedClock(WED_10AM);
  let code: string;
  let messageId: string;
  let csl: string;
  const thread = async () => (await s.api(`/api/messages/${messageId}`).then((r) => r.json()) as { replies: Array<{ kind: string; text: string }> }).replies;
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    ({ code, messageId } = await file(s, 'm1', '集美街道岑西社区老旧小区楼道堆物严重，加装电梯方案迟迟没有落实，联系人陈先生13912345678', '集美'));
    // Staff's own report: their work, not a member's 履职.
    await file(s, 's-jm', '集美街道浔江社区停车难，晚上车都停到人行道上了', '集美');
    await ask(s, 's-jm', `拟议程 ${code}`);
    csl = (await s.deps.outputs!.listConsultations({ townCode: JIMEI }))[0]!.code;
    await ask(s, 's-jm', `安排协商 ${csl} 2026-05-20 15:00`);
    expect(await ask(s, 's-jm', '确认')).toContain('已安排');
  });
  afterAll(async () => {
    await s.close();
  });

  it('a new date for a scheduled consultation is previewed as a change and told to the member, once', async () => {
    const before = (await thread()).length;
    const preview = await ask(s, 's-jm', `安排协商 ${csl} 2026-05-21 09:30`);
    expect(preview).toContain('时间：2026-05-20 15:00 → 2026-05-21 09:30');
    expect(preview).toContain('将通知关联记录的反映人');
    expect(await ask(s, 's-jm', '确认')).toBe(`已改期：协商 ${csl} 改为 2026-05-21 09:30，已通知反映人。`);
    const told = (await thread()).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`所列微协商 ${csl} 改期至 2026-05-21 09:30`);
    expect((await record(s, code)).status).toBe('in_consultation');
    expect(await ask(s, 's-jm', `查询 ${code}`)).toContain(`协商改期（集美小王）：微协商 ${csl} 改期：2026-05-20 15:00 → 2026-05-21 09:30`);
  });

  it('minutes typed days later record the meeting at its scheduled time; 委员履职 counts the member who attended, not staff or guests', async () => {
    clock.advance(10 * 86_400_000);
    await ask(s, 's-jm', [
      `协商纪要 ${csl}`,
      '纪要：各方同意先清理楼道，再论证加装电梯方案',
      '参加：陈委员、集美小王、岑西社区书记',
      '决定：清理楼道堆物｜岑西社区｜2026-06-10',
      '决定：出具加装电梯可行性意见｜区住建局｜2026-06-20',
    ].join('\n'));
    await ask(s, 's-jm', '确认');
    expect(await ask(s, 's-jm', `协商 ${csl}`)).toContain('召开：2026-05-21 09:30');
    const figures = await ask(s, 's-jm', '委员履职');
    expect(figures).toContain('陈委员（集美街道）：反映 1 件，参加协商 1 次');
    expect(figures).not.toContain('集美小王');
    expect(figures).not.toContain('岑西社区书记');
  });

  it('a write-up from the consultation names the decided units, and carries no resident\'s contact details', async () => {
    const draft = await ask(s, 's-jm', `社情民意 ${csl}`);
    expect(draft).toContain('标题：关于解决集美街道岑西社区老旧小区楼道堆物严重问题的建议');
    expect(draft).toContain('议定：清理楼道堆物（岑西社区，2026-06-10 前）；出具加装电梯可行性意见（区住建局，2026-06-20 前）');
    expect(draft).toContain('由岑西社区、区住建局按协商分工限期落实');
    expect(draft).not.toContain('尚未明确承办单位');
    // Sentences end before the next begins: the quote, then 截至.
    expect(draft).toContain('加装电梯方案迟迟没有落实。截至');
    for (const contact of ['联系人', '陈先生', '139', '****']) expect(draft).not.toContain(contact);
  });

  it('结束协商 moves the records on to 办理中 and tells the member; a closed consultation cannot be declined', async () => {
    for (const seq of [1, 2]) {
      await ask(s, 's-jm', `办结事项 ${csl} ${seq}`);
      await ask(s, 's-jm', '确认');
    }
    const before = (await thread()).length;
    const preview = await ask(s, 's-jm', `结束协商 ${csl}`);
    expect(preview).toContain(`${code}：已列入协商 → 办理中`);
    expect(await ask(s, 's-jm', '确认')).toBe(`已结束协商 ${csl}。${code} 转为「办理中」，已通知反映人。`);
    const r = await record(s, code);
    expect(r.status).toBe('in_progress');
    // No 承办单位 was set before the consultation: the decisions' owners are.
    expect(r.department).toBe('岑西社区、区住建局');
    const told = (await thread()).slice(before);
    expect(told.map((x) => x.kind)).toEqual(['status']);
    expect(told[0]!.text).toContain('已列入协商 → 办理中');
    expect(told[0]!.text).toContain(`微协商 ${csl} 已结束`);
    expect(await ask(s, 's-jm', `不协商 ${csl} 已解决`)).toBe(`协商 ${csl} 当前为「已结束」，不能取消（只有已提议或已安排的协商可以取消）`);
    // From 办理中 the record is closed as any other, and the member is asked for the 回访.
    await ask(s, 's-jm', `办结 ${code} 已解决 楼道已清理，电梯方案已论证`);
    expect(await ask(s, 's-jm', '确认')).toContain('已执行');
    expect((await thread()).at(-1)!.kind).toBe('question');
  });
});

describe('consultation commands are parsed only when they lead and carry a consultation code', () => {
  it.each([
    '协商了好几次了，物业还是不管楼道堆物',
    '安排协商的事情居委会一直没回复',
    '办结事项一直拖着，路灯还是不亮',
    '结束协商以后也没人来落实',
    '协商纪要里说要修路，到现在也没修',
  ])('%s', (text) => {
    expect(parseCommand(text)).toBeNull();
  });

  it('reads each command, a bare command word gets its usage', () => {
    expect(parseCommand('安排协商 jm-xs-2026-1 2026年12月5日 15点')).toEqual({ name: 'consultation_schedule', code: 'JM-XS-2026-0001', at: '2026-12-05 15:00' });
    expect(parseCommand('办结事项 JM-XS-2026-0001 第2项')).toEqual({ name: 'consultation_item_done', code: 'JM-XS-2026-0001', seq: 2 });
    expect(parseCommand('结束协商 JM-XS-2026-0001')).toEqual({ name: 'consultation_close', code: 'JM-XS-2026-0001' });
    expect(parseCommand('协商 JM-XS-2026-0001')).toEqual({ name: 'consultation_show', code: 'JM-XS-2026-0001' });
    // The code alone, as staff paste it from a card, shows the consultation instead of being filed as a problem.
    expect(parseCommand(' jm-xs-2026-1？')).toEqual({ name: 'consultation_show', code: 'JM-XS-2026-0001' });
    expect(parseCommand('JM-XS-2026-0001 门口的路灯坏了')).toBeNull();
    expect(parseCommand('协商纪要 JM-XS-2026-0001\n纪要：同意\n决定：修路|区建设局|2026/12/20')).toEqual({
      name: 'consultation_held', code: 'JM-XS-2026-0001', minutes: '同意', attendees: [],
      decisions: [{ text: '修路', owner: '区建设局', due: { date: '2026-12-20' } }],
    });
    expect(parseCommand('协商纪要 JM-XS-2026-0001\n决定：修路')).toMatchObject({ name: 'usage' });
    expect(parseCommand('结束协商')).toMatchObject({ name: 'usage' });
    expect(parseCommand('办结事项')).toMatchObject({ name: 'usage' });
  });
});
