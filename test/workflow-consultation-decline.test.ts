import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepClusters } from '../src/app/consultations.js';
import { sendDailyReminders } from '../src/app/reminders.js';
import { parseCommand } from '../src/core/commands.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, ask, DAY, events, file, GUANKOU, JIMEI, record, say, WED_10AM } from './support/workflow-helpers.js';

const QIAOYING = '350211002';
const LIGHTS = [
  '侨英街道叶厝社区幸福路路灯坏了两周了，晚上很黑，老人出门不安全',
  '侨英街道叶厝社区幸福路的路灯一直不亮，晚上走路看不见，请修一下',
  '侨英街道叶厝社区幸福路那段路灯晚上全黑，孩子放学回家很危险',
];

/** A report of the same problem may join an open record ("+1"): it still counts for the cluster rule. */
async function report(s: TestServer, sender: string, text: string, town: string): Promise<string> {
  const item = (await say(s, sender, text, { town })).outcome?.items?.[0];
  if (!item || (item.action !== 'filed' && item.action !== 'joined')) throw new Error(`not filed: ${text}`);
  return item.code;
}

async function consultationCodes(s: TestServer, town: string): Promise<string[]> {
  return (await s.deps.outputs!.listConsultations({ townCode: town })).map((c) => c.code);
}

function outputEvents(s: TestServer, code: string) {
  return s.runtime.sqlite.sqlite.prepare('select type, actor_name, from_value, to_value, note from output_events where entity_id = (select id from consultations where code = ?) order by at, id')
    .all(code) as Array<{ type: string; actor_name: string | null; from_value: string | null; to_value: string | null; note: string | null }>;
}

describe('不协商 / 取消协商: staff decline a proposed or scheduled consultation', () => {
  let s: TestServer;
  const clock = new FixedClock(WED_10AM);
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
    await addPerson(s, 'mq', '王委员', 'member', QIAOYING);
    await addPerson(s, 's-qy', '侨英小陈', 'staff', QIAOYING);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    await addPerson(s, 's-gk', '灌口小李', 'staff', GUANKOU);
    await addPerson(s, 's-dist', '区政协小周', 'staff', null);
    await s.deps.store.upsertChat({ id: 'http:liaison-qy', platform: 'http', externalId: 'http:liaison-qy', name: '侨英联络组', role: 'liaison', townCode: QIAOYING }, clock.now());
  });
  afterAll(async () => {
    await s.close();
  });

  it('declining the cluster rule\'s proposal tells the liaison group, and the rule does not propose it again', async () => {
    for (const [i, text] of LIGHTS.entries()) await report(s, `q${i}`, text, '侨英');
    const [csl] = await consultationCodes(s, QIAOYING);
    expect(csl).toBeTruthy();
    expect(await s.deps.outputs!.repliesToChat('http:liaison-qy')).toHaveLength(1);

    const snapshot = () => JSON.stringify(s.runtime.sqlite.sqlite.prepare('select code, status, updated_at from consultations order by code').all());
    const before = snapshot();
    expect(await ask(s, 'mq', `不协商 ${csl} 已限期修复`)).toContain('仅限工作人员');
    expect(await ask(s, 'mq', '确认')).toContain('没有待确认的操作');
    expect(await ask(s, 'stranger', `不协商 ${csl} 已限期修复`)).toContain('仅限工作人员');
    expect(await ask(s, 's-gk', `不协商 ${csl} 已限期修复`)).toContain('没有找到你负责的协商');
    expect(await ask(s, 's-gk', '确认')).toContain('没有待确认的操作');
    expect(snapshot()).toBe(before);

    const preview = await ask(s, 's-qy', `不协商 ${csl} 区市政园林局已承诺三天内修复，无需协商`);
    expect(preview).toContain(`请确认：不召开协商 ${csl}`);
    expect(preview).toContain('已提议 → 不予召开');
    expect(snapshot()).toBe(before);
    expect(await ask(s, 's-qy', '确认')).toContain(`协商 ${csl} 不予召开`);
    expect((await s.deps.outputs!.getConsultation(csl!))!.status).toBe('declined');
    expect(outputEvents(s, csl!).at(-1)).toEqual({ type: 'declined', actor_name: '侨英小陈', from_value: 'proposed', to_value: 'declined', note: '区市政园林局已承诺三天内修复，无需协商' });
    const posts = await s.deps.outputs!.repliesToChat('http:liaison-qy');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.payload.kind === 'text' && posts[1]!.payload.title).toBe(`微协商建议 ${csl} 不予召开`);

    // More reports of the same problem, and the daily sweep: no new proposal to the liaison group.
    await report(s, 'q9', '侨英街道叶厝社区幸福路路灯还是坏的，晚上黑漆漆', '侨英');
    await report(s, 'q8', '侨英街道叶厝社区幸福路路灯不亮已经快一个月了', '侨英');
    expect(await sweepClusters(s.deps)).toBe(0);
    expect(await consultationCodes(s, QIAOYING)).toEqual([csl]);
    expect(await s.deps.outputs!.repliesToChat('http:liaison-qy')).toHaveLength(2);
    // Declined is final.
    expect(await ask(s, 's-qy', `安排协商 ${csl} 2026-05-20 15:00`)).toContain('不能再安排');
    expect(await ask(s, 's-qy', `取消协商 ${csl} 重复`)).toContain('不能取消');
  });

  it('records of a declined staff proposal are not put to the liaison group by the rule afterwards', async () => {
    const XINGLIN = '350211003';
    await s.deps.store.upsertChat({ id: 'http:liaison-xl', platform: 'http', externalId: 'http:liaison-xl', name: '杏林联络组', role: 'liaison', townCode: XINGLIN }, clock.now());
    const texts = LIGHTS.map((t) => t.replace('侨英街道叶厝社区', '杏林街道曾营社区'));
    const first = await report(s, 'x0', texts[0]!, '杏林');
    expect(await ask(s, 's-dist', `拟议程 ${first}`)).toContain('协商编号');
    const [csl] = await consultationCodes(s, XINGLIN);
    // Linked to a live consultation: more reports do not trigger the rule.
    await report(s, 'x1', texts[1]!, '杏林');
    await report(s, 'x2', texts[2]!, '杏林');
    expect(await consultationCodes(s, XINGLIN)).toEqual([csl]);
    await ask(s, 's-dist', `不协商 ${csl} 已列入区里年度路灯改造计划`);
    expect(await ask(s, 's-dist', '确认')).toContain('不予召开');
    // Once declined its records are candidates again; the rule must still leave them alone.
    await report(s, 'x3', '杏林街道曾营社区幸福路路灯还是不亮，晚上很黑', '杏林');
    expect(await sweepClusters(s.deps)).toBe(0);
    expect(await consultationCodes(s, XINGLIN)).toEqual([csl]);
    expect(await s.deps.outputs!.repliesToChat('http:liaison-xl')).toHaveLength(0);
  });

  it('a scheduled consultation\'s records go back from 已列入协商 to where they were, each with an event', async () => {
    const a = (await file(s, 'm1', '集美街道岑头社区某小区楼道堆物严重，消防通道被占', '集美')).code;
    const b = (await file(s, 'm1', '集美街道岑头社区路口红绿灯时间太短，老人过马路来不及', '集美')).code;
    await ask(s, 's-jm', `交办 ${b} 区住建局 15天`);
    expect(await ask(s, 's-jm', '确认')).toContain('已执行');
    expect(await ask(s, 's-jm', `拟议程 ${a} ${b}`)).toContain('协商编号');
    const csl = (await consultationCodes(s, JIMEI))[0]!;
    await ask(s, 's-jm', `安排协商 ${csl} 2026-05-20 15:00`);
    expect(await ask(s, 's-jm', '确认')).toContain('已安排');
    expect([(await record(s, a)).status, (await record(s, b)).status]).toEqual(['in_consultation', 'in_consultation']);

    expect(await ask(s, 'm1', `取消协商 ${csl} 不开了`)).toContain('仅限工作人员');
    expect(await ask(s, 's-qy', `取消协商 ${csl} 不开了`)).toContain('没有找到你负责的协商');
    expect(await ask(s, 's-jm', `取消协商 ${csl}`)).toContain('用法');
    expect((await s.deps.outputs!.getConsultation(csl))!.status).toBe('scheduled');

    const preview = await ask(s, 's-dist', `取消协商 ${csl} 原因：社区已自行协调解决`);
    expect(preview).toContain(`${a}：已列入协商 → 已登记`);
    expect(preview).toContain(`${b}：已列入协商 → 已交办`);
    expect((await record(s, a)).status).toBe('in_consultation');
    expect(await ask(s, 's-dist', '确认')).toContain(`${a} 恢复为「已登记」`);
    expect((await record(s, a)).status).toBe('registered');
    const rb = await record(s, b);
    expect(rb.status).toBe('assigned');
    expect(rb.department).toBe('区住建局');
    const last = (await events(s, b)).at(-1)!;
    expect([last.actorName, last.from, last.to]).toEqual(['区政协小周', 'in_consultation', 'assigned']);
    expect(last.note).toContain(`微协商 ${csl} 不予召开（社区已自行协调解决）`);
    expect(outputEvents(s, csl).at(-1)).toMatchObject({ type: 'declined', actor_name: '区政协小周', from_value: 'scheduled' });
    expect(await ask(s, 's-jm', `协商 ${csl}`)).toContain('不予召开');
  });

  it('a held consultation cannot be declined', async () => {
    const c = (await file(s, 'm1', '集美街道某小区门口人行道砖松动，老人走路容易绊倒', '集美')).code;
    await ask(s, 's-jm', `拟议程 ${c}`);
    const csl = (await consultationCodes(s, JIMEI))[0]!;
    await ask(s, 's-jm', `协商纪要 ${csl}\n纪要：同意修复`);
    expect(await ask(s, 's-jm', '确认')).toContain('已记录');
    expect(await ask(s, 's-jm', `不协商 ${csl} 不需要`)).toContain('当前为「已召开」，不能取消');
  });

  it('parses the decline words only with a code; the reason is required', () => {
    expect(parseCommand('不协商 jm-xs-2026-2 已修复')).toEqual({ name: 'consultation_decline', code: 'JM-XS-2026-0002', reason: '已修复' });
    expect(parseCommand('取消协商 JM-XS-2026-0002 原因：重复')).toEqual({ name: 'consultation_decline', code: 'JM-XS-2026-0002', reason: '重复' });
    expect(parseCommand('不协商 JM-XS-2026-0002')).toMatchObject({ name: 'usage' });
    expect(parseCommand('取消协商')).toMatchObject({ name: 'usage' });
    expect(parseCommand('不协商的话问题永远解决不了，路灯还是不亮')).toBeNull();
    expect(parseCommand('取消')).toEqual({ name: 'cancel', ref: null });
  });
});

describe('overdue consultation decisions in 本周待办 and the 09:07 reminder', () => {
  let s: TestServer;
  const clock = new FixedClock(WED_10AM);
  let csl = '';
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    await addPerson(s, 's-gk', '灌口小李', 'staff', GUANKOU);
    const { code } = await file(s, 'm1', '集美街道岑头社区老旧小区楼道堆物严重，加装电梯方案迟迟没有落实', '集美');
    await ask(s, 's-jm', `拟议程 ${code}`);
    csl = (await consultationCodes(s, JIMEI))[0]!;
    await ask(s, 's-jm', [`协商纪要 ${csl}`, '纪要：先清理楼道', '决定：清理楼道堆物｜岑头社区｜2026-05-13', '决定：出具加装电梯可行性意见｜区住建局｜2026-05-15', '决定：回访居民｜集美街道｜2026-06-30'].join('\n'));
    expect(await ask(s, 's-jm', '确认')).toContain('3 项决定');
    clock.t = WED_10AM + DAY; // Thursday: the first decision is a day late
  });
  afterAll(async () => {
    await s.close();
  });

  it('本周待办 lists the decisions overdue or due this week for the town\'s staff only', async () => {
    const todo = await ask(s, 's-jm', '本周待办');
    expect(todo).toContain('【协商分工已逾期】1 项');
    expect(todo).toContain(`${csl} 第 1 项｜清理楼道堆物｜岑头社区（应于 05-13 完成，逾期 1 天）`);
    expect(todo).toContain('【协商分工本周到期】1 项');
    expect(todo).toContain(`${csl} 第 2 项｜出具加装电梯可行性意见｜区住建局（05-15 到期）`);
    expect(todo).not.toContain('回访居民');
    expect(await ask(s, 's-gk', '本周待办')).not.toContain(csl);
    await ask(s, 's-jm', `办结事项 ${csl} 1`);
    await ask(s, 's-jm', '确认');
    expect(await ask(s, 's-jm', '本周待办')).not.toContain('清理楼道堆物');
  });

  it('the 09:07 reminder carries overdue and due-today decisions to the town\'s staff chat and the office', async () => {
    const now = clock.now();
    await s.deps.store.upsertChat({ id: 'chat_jm', platform: 'http', externalId: 'http:jm-staff', name: '集美工作群', role: 'staff', townCode: JIMEI }, now);
    await s.deps.store.upsertChat({ id: 'chat_gk', platform: 'http', externalId: 'http:gk-staff', name: '灌口工作群', role: 'staff', townCode: GUANKOU }, now);
    await s.deps.store.upsertChat({ id: 'chat_office', platform: 'http', externalId: 'http:office', name: '区政协办公室', role: 'office', townCode: null }, now);
    const FRI_0907 = Date.UTC(2026, 4, 15, 1, 7);
    clock.t = FRI_0907;
    expect(await sendDailyReminders(s.deps, FRI_0907)).toBeGreaterThanOrEqual(2);
    const text = async (key: string) => {
      const row = await s.deps.store.getReplyByKey(key);
      return row && row.payload.kind === 'text' ? `${row.payload.title}\n${row.payload.text}` : null;
    };
    const jm = (await text(`reminder:2026-05-15:${JIMEI}:http:http:jm-staff`))!;
    expect(jm).toContain('【协商分工今日到期】1 项');
    expect(jm).toContain(`${csl} 第 2 项｜出具加装电梯可行性意见｜区住建局`);
    expect(jm).toContain('办结事项 <协商编号> <序号>');
    expect(jm).not.toContain('清理楼道堆物'); // done
    expect(await text(`reminder:2026-05-15:${GUANKOU}:http:http:gk-staff`)).toBeNull();
    expect(await text('reminder:2026-05-15:district:http:http:office')).toContain(`${csl} 第 2 项`);

    clock.t = FRI_0907 + 3 * DAY;
    await sendDailyReminders(s.deps, clock.t);
    expect(await text(`reminder:2026-05-18:${JIMEI}:http:http:jm-staff`)).toContain('【协商分工已逾期】1 项');
  });
});
