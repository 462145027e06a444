import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWeeklyBulletins } from '../src/app/bulletins.js';
import { bulletinCommand } from '../src/app/outputs.js';
import { runDueTasks } from '../src/app/scheduled-tasks.js';
import { DAY, file, HOUR, MONDAY, person, townCode } from './support/outputs-helpers.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';

let s: TestServer | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

async function setStatus(t: TestServer, code: string, patch: { status?: 'resolved'; dueAt?: number }) {
  const r = (await t.deps.store.getRecord(code))!;
  await t.deps.store.changeRecord(r.id, patch, { id: t.deps.ids.next('evt'), type: 'status', actorId: 'test', actorName: null, from: r.status, to: patch.status ?? r.status, note: null }, { replies: [], jobs: [] }, t.deps.clock.now());
}

describe('weekly bulletin', () => {
  it('counts a known week: 新增/累计/环比, and the honest on-time rate', async () => {
    const clock = new FixedClock(MONDAY - 6 * DAY + 10 * HOUR);
    s = await startTestServer({ clock });
    const P1 = await file(s, '集美街道某小区门口垃圾桶满了没人清运', 'm1', '集美街道');
    clock.advance(DAY);
    const P2 = await file(s, '灌口镇深青村道路积水严重，下雨天无法通行', 'm2', '灌口镇');
    await setStatus(s, P1, { dueAt: MONDAY + 30 * DAY });
    await setStatus(s, P2, { dueAt: MONDAY - 2 * DAY }); // open past due
    clock.t = MONDAY + 10 * HOUR;
    const A = await file(s, '杏林街道马銮社区菜市场噪音扰民，凌晨三点就开始装卸', 'm3', '杏林街道');
    clock.advance(DAY);
    const B = await file(s, '后溪镇后溪村小学门口没有红绿灯，学生过马路危险', 'm4', '后溪镇');
    clock.advance(DAY);
    const C = await file(s, '侨英街道某饭店油烟直排，居民不敢开窗', 'm5', '侨英街道');
    clock.advance(DAY);
    const D = await file(s, '杏滨街道公园健身器材损坏，希望维修', 'm6', '杏滨街道');
    await setStatus(s, A, { dueAt: MONDAY + 9 * DAY });
    await setStatus(s, B, { dueAt: MONDAY + 1 * DAY });
    await setStatus(s, C, { dueAt: MONDAY + 2 * DAY });
    await setStatus(s, D, { dueAt: MONDAY + 19 * DAY });
    clock.t = MONDAY + 2 * DAY + 12 * HOUR;
    await setStatus(s, A, { status: 'resolved' }); // on time
    clock.t = MONDAY + 3 * DAY + 12 * HOUR;
    await setStatus(s, B, { status: 'resolved' }); // two days late
    clock.t = MONDAY + 4 * DAY + 18 * HOUR;
    const admin = await person(s.deps, 'admin', '管理员', 'admin', null);
    const reply = await bulletinCommand(s.deps, admin, { week: 'this', townCode: null });
    const text = reply.kind === 'text' ? reply.text : '';
    expect(reply.kind === 'text' && reply.title).toContain('2026-06-01 至 2026-06-07');
    expect(text).toContain('本周新增 4 件（上周 2 件，环比上升 100%），累计 6 件');
    // closed 2 (A on time, B late); open past due 2 (C this week, P2 last week): 1 / (2 + 2), not 1 / 2.
    expect(text).toContain('办结 2 件（按时 1 件），逾期未办结 2 件；按时办结率 25%');
    expect(reply.kind === 'text' && reply.chart).toBeTruthy();

    const member = await person(s.deps, 'mem', '王委员', 'member', townCode(s.deps, '侨英街道'));
    const own = await bulletinCommand(s.deps, member, { week: 'this', townCode: null });
    expect(own.kind === 'text' && own.title).toContain('侨英街道社情民意周报');
    await expect(bulletinCommand(s.deps, member, { week: 'this', townCode: townCode(s.deps, '集美街道') })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('hot problems: the most reported record of each top category is quoted as its typical case, without its contact clause', async () => {
    const clock = new FixedClock(MONDAY + 10 * HOUR);
    s = await startTestServer({ clock });
    const fitness = await file(s, '杏滨街道西滨社区公园的健身器材坏了好几件，老人锻炼不方便。', 'm1', '杏滨街道');
    clock.advance(HOUR);
    // Filed after the fitness equipment, so a lower code does not make it typical: being reported twice does.
    const lamp = await file(s, '灌口镇上头亭社区村口的路灯坏了一个多月，联系人陈先生13912345678，希望尽快修好。', 'm2', '灌口镇');
    clock.advance(HOUR);
    expect(await file(s, '上头亭社区村口路灯坏了有一个多月了，晚上黑漆漆的，出门很不安全，麻烦修一下。', 'm3', '灌口镇')).toBe(lamp);
    clock.advance(HOUR);
    const wages = await file(s, '灌口镇一家工厂拖欠三十多名工人三个月工资，工人讨薪无门', 'm4', '灌口镇');
    clock.advance(HOUR);
    const admin = await person(s.deps, 'admin', '管理员', 'admin', null);
    const reply = await bulletinCommand(s.deps, admin, { week: 'this', townCode: null });
    const text = reply.kind === 'text' ? reply.text : '';
    expect(text).toContain(`1. 城乡建设：2 件、3 人次；典型案例 ${lamp}：灌口镇上头亭社区村口的路灯坏了一个多月，希望尽快修好。`);
    expect(text).toContain(`2. 劳动和社会保障：1 件、1 人次；典型案例 ${wages}：`);
    expect(text).not.toContain(`典型案例 ${fitness}`);
    for (const contact of ['联系人', '陈先生', '139']) expect(text).not.toContain(contact);
  });

  it('a typical case whose problem is in a flat keeps the problem and the building, not the room', async () => {
    const clock = new FixedClock(MONDAY + 10 * HOUR);
    s = await startTestServer({ clock });
    const leak = await file(s, '杏林街道杏北社区3号楼502室楼上漏水一个多月了，物业不管。', 'm1', '杏林街道');
    const admin = await person(s.deps, 'admin', '管理员', 'admin', null);
    const reply = await bulletinCommand(s.deps, admin, { week: 'this', townCode: null });
    const text = reply.kind === 'text' ? reply.text : '';
    expect(text).toContain(`典型案例 ${leak}：杏林街道杏北社区3号楼某室楼上漏水一个多月了，物业不管。`);
    expect(text).not.toContain('502');
  });

  it('a bulletin missed while the server was down is sent on restart, and never twice across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minyi-bulletin-'));
    const env = { DATABASE_PATH: join(dir, 'minyi.db') };
    try {
      const clock = new FixedClock(MONDAY + 4 * DAY + 10 * HOUR); // Friday 10:00, before 17:07
      s = await startTestServer({ clock, env });
      const qy = townCode(s.deps, '侨英街道');
      await s.deps.store.upsertChat({ id: 'http:liaison-qy', platform: 'http', externalId: 'http:liaison-qy', name: '侨英联络组', role: 'liaison', townCode: qy }, clock.now());
      await s.deps.store.upsertChat({ id: 'http:office', platform: 'http', externalId: 'http:office', name: '区政协办公室', role: 'office', townCode: null }, clock.now());
      await file(s, '侨英街道叶厝社区幸福路路灯坏了', 'm1');
      await s.close(); // down over 17:07
      s = null;

      clock.t = MONDAY + 5 * DAY + 9 * HOUR; // Saturday 09:00
      s = await startTestServer({ clock, env });
      await s.settle();
      const town = await s.deps.outputs!.repliesToChat('http:liaison-qy');
      const office = await s.deps.outputs!.repliesToChat('http:office');
      expect(town).toHaveLength(1);
      expect(office).toHaveLength(1);
      expect(town[0]!.payload.kind === 'text' && town[0]!.payload.title).toContain('侨英街道社情民意周报');
      expect(office[0]!.payload.kind === 'text' && office[0]!.payload.title).toContain('集美区社情民意周报');
      await s.close();
      s = null;

      clock.advance(HOUR); // restart again: nothing new
      s = await startTestServer({ clock, env });
      expect(await runDueTasks(s.deps, clock.now())).toEqual([]);
      expect(await sendWeeklyBulletins(s.deps, MONDAY + 4 * DAY + 17 * HOUR + 7 * 60_000)).toBe(0);
      await s.settle();
      expect(await s.deps.outputs!.repliesToChat('http:liaison-qy')).toHaveLength(1);
      expect(await s.deps.outputs!.repliesToChat('http:office')).toHaveLength(1);
    } finally {
      await s?.close();
      s = null;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a fresh install does not post last week\'s bulletin', async () => {
    s = await startTestServer({ clock: new FixedClock(MONDAY + 5 * DAY + 9 * HOUR) });
    await s.deps.store.upsertChat({ id: 'http:office', platform: 'http', externalId: 'http:office', name: '办公室', role: 'office', townCode: null }, s.deps.clock.now());
    expect(await runDueTasks(s.deps, s.deps.clock.now())).toEqual([]);
  });
});
