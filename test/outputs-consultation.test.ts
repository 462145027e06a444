import { afterEach, describe, expect, it } from 'vitest';
import { draftAgendaCommand, memberFiguresCommand, writeupCommand } from '../src/app/outputs.js';
import { closeConsultation, recordConsultationHeld, scheduleConsultation } from '../src/app/consultations.js';
import { BotError } from '../src/core/errors.js';
import { DAY, file, HOUR, MONDAY, person, townCode } from './support/outputs-helpers.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';

let s: TestServer;
afterEach(async () => s?.close());

const LIGHTS = [
  '侨英街道叶厝社区幸福路路灯坏了两周了，晚上很黑，老人出门不安全，联系人陈先生13912345678',
  '侨英街道叶厝社区幸福路的路灯一直不亮，晚上走路看不见，请修一下',
  '侨英街道叶厝社区幸福路那段路灯晚上全黑，孩子放学回家很危险',
];

describe('微协商', () => {
  it('three reports of one problem in one town propose a consultation to its liaison group, once', async () => {
    const clock = new FixedClock(MONDAY + 10 * HOUR);
    s = await startTestServer({ clock });
    const qy = townCode(s.deps, '侨英街道');
    await s.deps.store.upsertChat({ id: 'http:liaison-qy', platform: 'http', externalId: 'http:liaison-qy', name: '侨英联络组', role: 'liaison', townCode: qy }, clock.now());
    await s.deps.store.upsertChat({ id: 'http:liaison-jm', platform: 'http', externalId: 'http:liaison-jm', name: '集美联络组', role: 'liaison', townCode: townCode(s.deps, '集美街道') }, clock.now());
    for (const [i, text] of LIGHTS.slice(0, 2).entries()) {
      await file(s, text, `m${i}`);
      clock.advance(HOUR);
    }
    expect(await s.deps.outputs!.repliesToChat('http:liaison-qy')).toHaveLength(0);
    await file(s, LIGHTS[2]!, 'm2');
    const posts = await s.deps.outputs!.repliesToChat('http:liaison-qy');
    expect(posts).toHaveLength(1);
    const p = posts[0]!.payload;
    expect(p.kind).toBe('text');
    const text = p.kind === 'text' ? p.text : '';
    for (const section of ['议题', '背景', '协商类型', '参加人员', '议程', '情况通报', '形成共识', '需协商的问题', '预期成果', '后续跟踪']) expect(text).toContain(section);
    // 背景 quotes the problem; who to contact has no place in a liaison group's chat, masked or not.
    expect(text).toContain('老人出门不安全');
    for (const contact of ['联系人', '陈先生', '139', '****']) expect(text).not.toContain(contact);
    expect(await s.deps.outputs!.repliesToChat('http:liaison-jm')).toHaveLength(0);
    // A fourth report of the same problem does not propose the same consultation again.
    await file(s, '侨英街道叶厝社区幸福路路灯还是坏的，晚上黑漆漆', 'm3');
    expect(await s.deps.outputs!.repliesToChat('http:liaison-qy')).toHaveLength(1);
  });

  it('a staff agenda names the paired party for 智力支持型, members are refused; the consultation is tracked to its decisions', async () => {
    const clock = new FixedClock(MONDAY + 10 * HOUR);
    s = await startTestServer({ clock });
    const qy = townCode(s.deps, '侨英街道');
    await s.deps.outputs!.upsertPairing(qy, '民盟', '城市规划', clock.now());
    const staff = await person(s.deps, 'staff-qy', '李工作', 'staff', qy);
    const member = await person(s.deps, 'mem-qy', '王委员', 'member', qy);
    const other = await person(s.deps, 'staff-jm', '陈工作', 'staff', townCode(s.deps, '集美街道'));
    const code = await file(s, '侨英街道叶厝社区老旧小区改造，加装电梯方案迟迟没有落实，楼道堆物', 'mem-qy');
    await expect(draftAgendaCommand(s.deps, member, { codes: [code], topic: null })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(draftAgendaCommand(s.deps, other, { codes: [code], topic: null })).rejects.toMatchObject({ code: 'forbidden' });
    const reply = await draftAgendaCommand(s.deps, staff, { codes: [code], topic: null });
    const text = reply.kind === 'text' ? reply.text : '';
    expect(text).toContain('智力支持型');
    // The town and 社区 are named once in the topic, not again from the summary.
    expect(text).toContain('关于侨英街道叶厝社区老旧小区改造');
    expect(text).toContain('民盟');
    expect(text).toContain('物业企业');
    expect(text).toContain('王委员');
    expect(text).toMatch(/情况通报（\d+ 分钟）[\s\S]*提问[\s\S]*解答[\s\S]*发言讨论[\s\S]*形成共识/);
    const csl = (await s.deps.outputs!.listConsultations({ townCode: qy }))[0]!;
    await scheduleConsultation(s.deps, staff, csl.code, clock.now() + 3 * DAY);
    expect((await s.deps.store.getRecord(code))!.status).toBe('in_consultation');
    clock.advance(3 * DAY);
    await recordConsultationHeld(s.deps, staff, csl.code, {
      minutes: '各方同意先清理楼道，再论证加装电梯方案', attendees: ['mem-qy'],
      decisions: [{ text: '清理楼道堆物', owner: '叶厝社区', dueAt: clock.now() + 7 * DAY }, { text: '出具加装电梯可行性意见', owner: '民盟', dueAt: clock.now() + 30 * DAY }],
    });
    const items = await s.deps.outputs!.listActionItems({ consultationId: csl.id });
    expect(items.map((i) => [i.owner, i.status])).toEqual([['叶厝社区', 'open'], ['民盟', 'open']]);
    await expect(closeConsultation(s.deps, staff, csl.code)).rejects.toThrow(/2 项分工未完成/);
    const figures = await memberFiguresCommand(s.deps, staff);
    expect(figures.kind === 'text' && figures.text).toMatch(/王委员.*反映 1 件，参加协商 1 次/);
  });

  it('a topic drawn from a record that opens with a phone number starts at the problem, and so does its write-up', async () => {
    const clock = new FixedClock(MONDAY + 10 * HOUR);
    s = await startTestServer({ clock });
    const staff = await person(s.deps, 'staff-qy', '李工作', 'staff', townCode(s.deps, '侨英街道'));
    const code = await file(s, '13912345678 反映侨英街道叶厝社区幸福路路灯坏了两周了，晚上很黑', 'm1');
    const reply = await draftAgendaCommand(s.deps, staff, { codes: [code], topic: null });
    const text = reply.kind === 'text' ? reply.text : '';
    expect(text).toContain('议题：关于侨英街道叶厝社区幸福路路灯坏了两周了，晚上很黑问题的微协商');
    expect(text).toContain(`${code}（1 人次）：侨英街道叶厝社区幸福路路灯坏了两周了`);
    const csl = (await s.deps.outputs!.listConsultations({ townCode: townCode(s.deps, '侨英街道') }))[0]!;
    expect(csl.topic).toBe('关于侨英街道叶厝社区幸福路路灯坏了两周了，晚上很黑问题的微协商');
    // The write-up quotes the same problem instead of leaving out the whole clause the number opened.
    const admin = await person(s.deps, 'admin', '管理员', 'admin', null);
    const writeup = await writeupCommand(s.deps, admin, code);
    expect(writeup.kind === 'text' && writeup.text).toContain('幸福路路灯坏了两周了');
    for (const t of [text, writeup.kind === 'text' ? writeup.text : '']) expect(t).not.toContain('139');
  });
});

describe('社情民意信息', () => {
  it('has the four sections, at most 1500 characters, suggestions matched to problems, personal data masked', async () => {
    const clock = new FixedClock(MONDAY + 10 * HOUR);
    s = await startTestServer({ clock });
    const admin = await person(s.deps, 'admin', '管理员', 'admin', null);
    const code = await file(s, '杏林街道杏林社区兴园路路面坑洼破损严重，电动车经常摔倒，联系人电话13812345678', 'm1');
    const reply = await writeupCommand(s.deps, admin, code);
    const text = reply.kind === 'text' ? reply.text : '';
    for (const h of ['标题：', '一、基本情况', '二、存在问题', '三、意见建议']) expect(text).toContain(h);
    const body = text.split('\n\n（')[0]!;
    expect(body.length).toBeLessThanOrEqual(1500);
    expect(text).not.toContain('13812345678');
    const problems = body.split('三、意见建议')[0]!.match(/（[一二三四五六]）/g)!.length;
    const suggestions = body.split('三、意见建议')[1]!.match(/针对问题/g)!.length;
    expect(suggestions).toBe(problems);
    const member = await person(s.deps, 'm9', '赵委员', 'member', null);
    await expect(writeupCommand(s.deps, member, code)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it.each([
    ['信访', '灌口镇的老张已经去区信访局上访三次了，补偿问题还没解决'],
    ['涉诉', '后溪镇某公司拖欠工资，工人已经向法院起诉，希望尽快判决'],
    ['人事', '集美街道某科长提拔不公，干部任用有问题'],
    ['涉密', '杏滨街道这份内部文件涉密，不能外传，但里面的规划有问题'],
    ['个人隐私', '侨英街道居民反映邻居夫妻闹离婚，家庭纠纷吵得厉害'],
    ['事权', '集美区的高铁线路走向希望国务院重新考虑'],
  ])('refuses a write-up on %s with the reason', async (kind, text) => {
    s = await startTestServer({ clock: new FixedClock(MONDAY + 10 * HOUR) });
    const admin = await person(s.deps, 'admin', '管理员', 'admin', null);
    const code = await file(s, text, 'm1', '集美街道');
    const error = await writeupCommand(s.deps, admin, code).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe('bad_request');
    expect((error as BotError).message).toContain(`${kind}：`);
    expect((error as BotError).message).toContain('不宜');
  });
});
