import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDailyReminders } from '../src/app/reminders.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, ask, DAY, file, GUANKOU, JIMEI, say, WED_10AM } from './support/workflow-helpers.js';

const MON_APR_20 = WED_10AM - 23 * DAY; // 2026-04-20 10:00
const THU_APR_30 = WED_10AM - 13 * DAY; // 2026-04-30 10:00
const FRI_0907 = WED_10AM + 2 * DAY - 53 * 60_000; // 2026-05-15 09:07

describe('本周待办 and the daily reminder on a known data set', () => {
  let s: TestServer;
  const clock = new FixedClock(MON_APR_20);
  const c: Record<string, string> = {};
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    await addPerson(s, 's-gk', '灌口小李', 'staff', GUANKOU);
    await addPerson(s, 's-dist', '区政协小周', 'staff', null);
    // Assigned with 7 days on 04-20: overdue by 05-13.
    c.assignedOverdue = (await file(s, 'm1', '小区门口的人行道砖松动好几块，老人走路容易绊倒', '集美')).code;
    await say(s, 's-jm', `交办 ${c.assignedOverdue} 区市政园林局 7天`);
    await say(s, 's-jm', '确认');
    // Registered on 04-20 with the default 15 days: overdue too, and never assigned.
    c.guankouOverdue = (await file(s, 'm1', '村口的公交站棚顶破了下雨没处躲', '灌口')).code;
    clock.t = THU_APR_30;
    c.dueFriday = (await file(s, 'm1', '楼下烧烤摊油烟很大每天到半夜', '集美')).code;
    clock.t = WED_10AM - DAY;
    c.waiting = (await file(s, 'm1', '公园里的健身器材坏了没人修', '集美')).code;
    c.guankouWaiting = (await file(s, 'm1', '农贸市场周边垃圾清运不及时', '灌口')).code;
    clock.t = WED_10AM;
  });
  afterAll(async () => {
    await s.close();
  });

  function section(text: string, label: string): string {
    const block = text.split('\n\n').find((b) => b.includes(`【${label}`));
    return block ?? '';
  }

  it('shows a town\'s staff their town only, grouped, with codes', async () => {
    const text = await ask(s, 's-jm', '这周还有啥没办');
    expect(text).toContain('本周待办（集美街道，05-11—05-17）');
    expect(section(text, '已逾期')).toContain(c.assignedOverdue);
    expect(section(text, '已逾期')).toContain('区市政园林局');
    expect(section(text, '本周到期')).toContain(c.dueFriday);
    expect(section(text, '待研判')).toContain(c.waiting);
    for (const other of [c.guankouOverdue, c.guankouWaiting]) expect(text).not.toContain(other);
  });

  it('shows district staff the whole district, and refuses members', async () => {
    const text = await ask(s, 's-dist', '本周待办');
    for (const code of Object.values(c)) expect(text).toContain(code);
    expect(section(text, '已逾期')).toContain(c.guankouOverdue);
    const gk = await ask(s, 's-gk', '待办');
    expect(section(gk, '已逾期')).toContain(c.guankouOverdue);
    expect(section(gk, '待研判')).toContain(c.guankouWaiting);
    expect(gk).not.toContain(c.waiting);
    expect(await ask(s, 'm1', '本周待办')).toContain('供工作人员使用');
  });

  it('reminds each town\'s staff chat (or its staff 1:1) and the office at 09:07, once a day', async () => {
    const now = s.deps.clock.now();
    await s.deps.store.upsertChat({ id: 'chat_jm', platform: 'http', externalId: 'http:jm-staff', name: '集美工作群', role: 'staff', townCode: JIMEI }, now);
    await s.deps.store.upsertChat({ id: 'chat_office', platform: 'http', externalId: 'http:office', name: '区政协办公室', role: 'office', townCode: null }, now);
    clock.t = FRI_0907;
    expect(await sendDailyReminders(s.deps, FRI_0907)).toBe(3);
    const text = async (key: string) => {
      const row = await s.deps.store.getReplyByKey(key);
      if (!row || row.payload.kind !== 'text') throw new Error(`no reminder ${key}`);
      return `${row.payload.title}\n${row.payload.text}`;
    };
    const jm = await text(`reminder:2026-05-15:${JIMEI}:http:http:jm-staff`);
    expect(jm).toContain('办理时限提醒（集美街道，2026-05-15）');
    expect(section(jm, '已逾期')).toContain(c.assignedOverdue);
    expect(section(jm, '今日到期')).toContain(c.dueFriday);
    expect(jm).not.toContain(c.guankouOverdue);
    expect(jm).not.toContain(c.waiting);
    // 灌口 has no staff chat: its staff member gets it 1:1.
    const gk = await text(`reminder:2026-05-15:${GUANKOU}:http:http:s-gk`);
    expect(section(gk, '已逾期')).toContain(c.guankouOverdue);
    const office = await text('reminder:2026-05-15:district:http:http:office');
    for (const code of [c.assignedOverdue, c.guankouOverdue, c.dueFriday]) expect(office).toContain(code);
    expect(await sendDailyReminders(s.deps, FRI_0907 + 60_000)).toBe(0);
  });
});
