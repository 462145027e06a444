import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../src/core/commands.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addRoleCast, ask, DAY, file, CAST_ROLES, type CastRole, ROLE_CAST, WED_10AM } from './support/workflow-helpers.js';

/**
 * 社情民意信息 tracking in chat: 报送 → 采用 → 批示, each previewed and applied on 确认, scope-checked, in
 * order, with an event naming the operator; the bulletin and 委员履职 count what the commands changed.
 */
const ACTORS = ROLE_CAST;
type Who = CastRole;
const ALL = CAST_ROLES;
const TRACKERS: Who[] = ['townStaff', 'districtStaff', 'admin'];
const CODE_RE = /JM-SQ-2026-\d{4}/;

describe('社情民意信息 tracking in chat: 报送, 采用, 批示', () => {
  let s: TestServer;
  const clock = new FixedClock(WED_10AM);
  let record = '';
  let sq = '';
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addRoleCast(s);
    ({ code: record } = await file(s, 'm1', '集美街道岑头社区老旧小区没有加装电梯，老人上下楼困难，楼道堆物也没人清理', '集美'));
    const draft = await ask(s, 's-jm', `社情民意 ${record}`);
    expect(draft).toContain('社情民意信息草稿');
    sq = CODE_RE.exec(draft)![0];
  });
  afterAll(async () => {
    await s.close();
  });

  const db = () => s.runtime.sqlite.sqlite;
  const row = () => db().prepare('select status, instructions, submitted_at s, adopted_at a from writeups where code = ?').get(sq) as { status: string; instructions: string | null; s: number | null; a: number | null };
  const snapshot = () => JSON.stringify({
    w: db().prepare('select code, status, instructions, submitted_at, adopted_at, updated_at from writeups order by code').all(),
    e: (db().prepare('select count(*) n from output_events').get() as { n: number }).n,
  });
  const events = () => db().prepare('select type, actor_id, actor_name, from_value, to_value, note from output_events where entity_id = (select id from writeups where code = ?) order by at, id').all(sq) as Array<{ type: string; actor_id: string; actor_name: string | null; from_value: string | null; to_value: string | null; note: string | null }>;

  const commands: Array<{ name: string; text: () => string }> = [
    { name: '报送', text: () => `报送 ${sq} 市政协` },
    { name: '采用', text: () => `采用 ${sq} 市政协《社情民意》` },
    { name: '批示', text: () => `批示 ${sq} 区长批示：请区住建局牵头研究` },
  ];
  for (const c of commands) {
    for (const who of ALL) {
      const allowed = TRACKERS.includes(who);
      it(`${c.name} on a draft by ${who}: ${allowed ? (c.name === '报送' ? 'previewed' : 'refused by order') : 'refused'}, nothing changed`, async () => {
        const before = snapshot();
        const answer = await ask(s, ACTORS[who], c.text());
        if (allowed && c.name === '报送') {
          expect(answer).toContain(`请确认：报送 ${sq}`);
          expect(await ask(s, ACTORS[who], '取消')).toContain('已取消');
        } else {
          expect(answer).not.toContain('请确认');
          if (allowed) expect(answer).toMatch(/须先报送|尚未报送/);
          else if (who === 'otherTownStaff') expect(answer).toContain('不能处理集美街道');
          else expect(answer).toContain('仅限工作人员');
          expect(await ask(s, ACTORS[who], '确认')).not.toContain('已登记');
        }
        expect(snapshot()).toBe(before);
      });
    }
  }

  it('报送 → 采用 → 批示 by staff, each previewed then applied, with the operator on every event', async () => {
    const bulletin = async () => ask(s, 's-jm', '周报 集美街道');
    expect(await bulletin()).toContain('本周报送 0 篇，采用 0 篇');

    const preview = await ask(s, 's-jm', `社情民意 ${sq} 已报送`);
    expect(preview).toContain(`请确认：报送 ${sq}`);
    expect(preview).toContain('当前：草稿');
    expect(row().status).toBe('drafted');
    expect(await ask(s, 's-jm', '确认')).toContain(`已登记：${sq} 已报送`);
    expect(row().status).toBe('submitted');
    const submittedAt = row().s;
    expect(submittedAt).toBe(clock.now());
    expect(await ask(s, 's-jm', `报送 ${sq}`)).toContain('无需重复');
    expect(await bulletin()).toContain('本周报送 1 篇，采用 0 篇');

    // Other members' staff still cannot touch it once submitted.
    expect(await ask(s, 's-gk', `采用 ${sq}`)).toContain('不能处理集美街道');
    expect(await ask(s, 'm1', `采用 ${sq}`)).toContain('仅限工作人员');

    const adopt = await ask(s, 's-dist', `${sq} 被市政协《社情民意》采用`);
    expect(adopt).toContain(`请确认：采用 ${sq}`);
    expect(adopt).toContain('采用单位：市政协《社情民意》');
    expect(row().status).toBe('submitted');
    expect(await ask(s, 's-dist', '确认')).toContain('已采用');
    expect(row().status).toBe('adopted');
    expect(await ask(s, 's-jm', `采用 ${sq}`)).toContain('无需重复');

    clock.advance(DAY);
    expect(await ask(s, 'a1', `批示 ${sq} 区长批示：请区住建局牵头研究加装电梯`)).toContain(`请确认：批示 ${sq}`);
    expect(row().instructions).toBeNull();
    expect(await ask(s, 'a1', '确认')).toContain('已记录');
    await ask(s, 's-jm', `${sq} 批示：分管副区长：抓紧落实`);
    expect(await ask(s, 's-jm', '确认')).toContain('已记录');
    expect(row().instructions).toBe('区长批示：请区住建局牵头研究加装电梯\n分管副区长：抓紧落实');
    // A later 批示 does not move the week the write-up counts in.
    expect(row().s).toBe(submittedAt);

    expect(events().map((e) => [e.type, e.actor_name, e.from_value, e.to_value, e.note])).toEqual([
      ['drafted', '集美小王', null, 'drafted', record],
      ['submitted', '集美小王', 'drafted', 'submitted', null],
      ['adopted', '区政协小周', 'submitted', 'adopted', '市政协《社情民意》'],
      ['instruction', '管理员老郑', null, null, '区长批示：请区住建局牵头研究加装电梯'],
      ['instruction', '集美小王', null, null, '分管副区长：抓紧落实'],
    ]);
    expect(events()[2]!.actor_id).toBe('http:s-dist');
  });

  it('shows where the write-up stands, and the record\'s 查询 names it', async () => {
    for (const text of [`社情民意 ${sq}`, `查询 ${sq}`, sq]) {
      const shown = await ask(s, 's-jm', text);
      expect(shown).toContain(`社情民意信息 ${sq} 已采用`);
      expect(shown).toContain('采用：');
      expect(shown).toContain('市政协《社情民意》');
      expect(shown).toContain('批示：区长批示：请区住建局牵头研究加装电梯');
      expect(shown).toMatch(/采用（区政协小周）：市政协《社情民意》/);
      expect(shown).toContain(`来源：${record}`);
    }
    expect(await ask(s, 'm1', `社情民意 ${sq}`)).toContain('仅限工作人员');
    expect(await ask(s, 's-gk', `查询 ${sq}`)).toContain('不能处理集美街道');
    // The member who forwarded it sees what became of it in the record.
    expect(await ask(s, 'm1', `查询 ${record}`)).toContain(`社情民意信息：${sq}（已采用，有批示）`);
  });

  it('the bulletin and 委员履职 count the submission and adoption made in chat', async () => {
    // Thursday of the same week: both steps fall in it.
    const bulletin = await ask(s, 's-jm', '周报 集美街道');
    expect(bulletin).toContain('本周报送 1 篇，采用 1 篇');
    const district = await ask(s, 'a1', '周报');
    expect(district).toContain('本周报送 1 篇，采用 1 篇');
    expect(await ask(s, 's-gk', '周报 灌口镇')).toContain('本周报送 0 篇，采用 0 篇');
    expect(await ask(s, 's-jm', '委员履职')).toMatch(/陈委员（集美街道）：反映 1 件，参加协商 0 次，社情民意被采用 1 篇/);
    expect(await ask(s, 's-jm', '委员履职')).toMatch(/林委员（集美街道）：反映 0 件，参加协商 0 次，社情民意被采用 0 篇/);
  });

  it('周报 上周 names its week 上周, and the one before it 前一周', async () => {
    const last = await ask(s, 's-jm', '周报 上周 集美街道');
    expect(last).toMatch(/一、总体情况：上周新增 \d+ 件（前一周 \d+ 件/);
    expect(last).toContain('上周报送 0 篇');
    expect(last).not.toContain('本周');
    expect(await ask(s, 's-jm', '周报 集美街道')).toMatch(/一、总体情况：本周新增 \d+ 件（上周 \d+ 件/);
  });

  it('lists the tracking commands in the staff help only', async () => {
    const help = await ask(s, 's-jm', '帮助');
    for (const word of ['报送 <社情民意编号>', '采用 <社情民意编号>', '批示 <社情民意编号>']) expect(help).toContain(word);
    expect(await ask(s, 'm1', '帮助')).not.toContain('批示');
  });
});

describe('社情民意信息 drafted from a record: fit to submit upward', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ clock: new FixedClock(WED_10AM) });
    await addRoleCast(s);
  });
  afterAll(async () => {
    await s.close();
  });

  it('leaves out residents\' contact details, keeps the problem, and names the place once', async () => {
    const { code } = await file(s, 'm1', '集美街道岑西社区路口路灯坏了一个多月，晚上很黑，居民身份证350211198001011234，银行卡6222021234567890123，座机0592-6012345，联系人陈先生13912345678', '集美');
    const draft = await ask(s, 's-jm', `社情民意 ${code}`);
    expect(draft).toContain('标题：关于解决集美街道岑西社区路口路灯坏了一个多月问题的建议');
    expect(draft).toContain('收集到群众反映：集美街道岑西社区路口路灯坏了一个多月，晚上很黑。截至');
    expect(draft).toContain('（一）集美街道岑西社区路口路灯坏了一个多月，晚上很黑，群众反映集中');
    for (const contact of ['身份证', '银行卡', '座机', '联系人', '陈先生', '3502', '6222', '0592', '139', '*']) expect(draft).not.toContain(contact);
  });

  it('quotes a forwarded bundle without the residents\' names and numbers', async () => {
    const text = '王阿姨 2026-05-13 09:00：集美街道杏林湾路垃圾站好几天没人清运，臭味很大，我电话13800138000\n李师傅 2026-05-13 09:05：垃圾站的问题请尽快处理';
    const { code } = await file(s, 'm2', text, '集美');
    const draft = await ask(s, 's-jm', `社情民意 ${code}`);
    expect(draft).toContain('收集到群众反映：集美街道杏林湾路垃圾站好几天没人清运，臭味很大。垃圾站的问题请尽快处理。截至');
    for (const contact of ['王阿姨', '李师傅', '电话', '138']) expect(draft).not.toContain(contact);
  });
});

describe('write-up tracking commands are parsed only with a write-up code', () => {
  it('reads the verbs in either order, with or without 社情民意 in front', () => {
    expect(parseCommand('报送 jm-sq-2026-1')).toEqual({ name: 'writeup_submit', code: 'JM-SQ-2026-0001', note: null });
    expect(parseCommand('社情民意 JM-SQ-2026-0001 已报送')).toEqual({ name: 'writeup_submit', code: 'JM-SQ-2026-0001', note: null });
    expect(parseCommand('JM-SQ-2026-0001 已上报')).toEqual({ name: 'writeup_submit', code: 'JM-SQ-2026-0001', note: null });
    expect(parseCommand('采用 JM-SQ-2026-0001 市政协《社情民意》第12期')).toEqual({ name: 'writeup_adopt', code: 'JM-SQ-2026-0001', by: '市政协《社情民意》第12期' });
    expect(parseCommand('JM-SQ-2026-0001 被省政协采用')).toEqual({ name: 'writeup_adopt', code: 'JM-SQ-2026-0001', by: '省政协' });
    expect(parseCommand('社情民意 JM-SQ-2026-0001 已采用')).toEqual({ name: 'writeup_adopt', code: 'JM-SQ-2026-0001', by: null });
    expect(parseCommand('批示 JM-SQ-2026-0001 区长批示：请研究')).toEqual({ name: 'writeup_instruct', code: 'JM-SQ-2026-0001', text: '区长批示：请研究' });
    expect(parseCommand('JM-SQ-2026-0001 批示：请研究')).toEqual({ name: 'writeup_instruct', code: 'JM-SQ-2026-0001', text: '请研究' });
    expect(parseCommand('查询 JM-SQ-2026-0001')).toEqual({ name: 'writeup_show', code: 'JM-SQ-2026-0001' });
    expect(parseCommand('社情民意 JM-SQ-2026-0001')).toEqual({ name: 'writeup_show', code: 'JM-SQ-2026-0001' });
    // A consultation's code drafts from its records (it used to be read as a record code).
    expect(parseCommand('社情民意 JM-XS-2026-0003')).toEqual({ name: 'writeup', code: 'JM-XS-2026-0003' });
  });

  it('a bare verb or a record code gets the usage; residents\' words are filed', () => {
    expect(parseCommand('批示 JM-SQ-2026-0001')).toMatchObject({ name: 'usage' });
    expect(parseCommand('报送')).toMatchObject({ name: 'usage' });
    expect(parseCommand('采用 JM-2026-0042')).toMatchObject({ name: 'usage', usage: expect.stringContaining('社情民意') });
    for (const text of ['采用了新的垃圾分类办法以后，小区门口垃圾更多了', '报送给街道好几次了都没人管', '领导批示过的事情到现在还没落实']) expect(parseCommand(text)).toBeNull();
  });
});
