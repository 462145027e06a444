import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, ask, events, file, GUANKOU, JIMEI, message, record, say, WED_10AM } from './support/workflow-helpers.js';

/** 拆分: a report that dedupe joined to the wrong record is filed on its own again. */
describe('拆分 in chat: a wrong "+1" taken back out', () => {
  let s: TestServer;
  const clock = new FixedClock(WED_10AM);
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
    await addPerson(s, 'm2', '林委员', 'member', JIMEI);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    await addPerson(s, 's-gk', '灌口小李', 'staff', GUANKOU);
  });
  afterAll(async () => {
    await s.close();
  });

  /** Two reports joined as one record: the second as a "+1". Returns the record's code and the second message. */
  async function joinedPair(first: string, second: string) {
    const { code } = await file(s, 'm1', first, '集美');
    // Sent under a platform nickname: reports and history show the registered name (林委员).
    const joined = await say(s, 'm2', second, { town: '集美', name: '小林' });
    expect(joined.outcome?.items?.[0]).toMatchObject({ action: 'joined', code });
    return { code, joined };
  }

  it('查询 numbers the reports; 拆分 previews, changes nothing until 确认, then files the report as its own record', async () => {
    const { code, joined } = await joinedPair('集美街道岑西社区路口路灯坏了一个多月，晚上很黑', '集美街道岑西社区路口井盖坏了一个多月，晚上很危险，电话13912345678');
    expect((await record(s, code)).affectedCount).toBe(2);

    const query = await ask(s, 's-jm', `查询 ${code}`);
    expect(query).toContain('反映（2 条）');
    expect(query).toMatch(/1\. .*陈委员.*路灯/);
    expect(query).toMatch(/2\. .*林委员.*井盖/);

    // The member who filed it sees the count, not other members' reports (or their residents' names).
    const asFiler = await ask(s, 'm1', `查询 ${code}`);
    expect(asFiler).toContain('反映人次：2');
    expect(asFiler).not.toContain('井盖');

    const preview = await ask(s, 's-jm', `拆分 ${code} 2`);
    expect(preview).toContain('请确认：拆分');
    expect(preview).toContain('井盖');
    expect(preview).toContain('2 人次 → 1 人次');
    expect((await record(s, code)).affectedCount).toBe(2);
    expect((await events(s, code)).map((e) => e.type)).toEqual(['created', 'plus_one']);

    const done = await ask(s, 's-jm', '确认');
    expect(done).toContain('已拆分');
    const newCode = /另行登记为 (JM-\d{4}-\d{4})/.exec(done)?.[1];
    expect(newCode).toBeDefined();
    expect(newCode).not.toBe(code);

    const old = await record(s, code);
    expect(old.affectedCount).toBe(1);
    expect((await events(s, code)).at(-1)).toMatchObject({ type: 'split', actorName: '集美小王', note: `第 2 条反映另行登记为 ${newCode}` });
    expect((await s.deps.store.recordSources(old.id)).map((x) => x.senderId)).toEqual(['http:m1']);

    const split = await record(s, newCode!);
    expect(split).toMatchObject({ status: 'registered', townCode: JIMEI, affectedCount: 1, filedBy: 'http:m2', categoryName: old.categoryName });
    expect(split.textMasked).toBe('集美街道岑西社区路口井盖坏了一个多月，晚上很危险，电话139****5678');
    // The database keeps the words as written, as for any record; what leaves it is masked.
    const raw = s.runtime.sqlite.sqlite.prepare('select text from records where code = ?').get(newCode) as { text: string };
    expect(raw.text).toBe('集美街道岑西社区路口井盖坏了一个多月，晚上很危险，电话13912345678');
    expect(split.place).toBe('岑西社区');
    expect((await s.deps.store.recordSources(split.id)).map((x) => x.inboundMessageId)).toEqual([joined.id]);
    expect((await events(s, newCode!))[0]).toMatchObject({ type: 'created', to: 'registered', actorName: '集美小王' });
    expect((await events(s, newCode!))[0]!.note).toContain(`从 ${code} 拆出`);

    // The member who sent it was told "+1"; in the same thread they now hear where it went.
    const thread = await message(s, joined.id);
    expect(thread.replies.map((r) => r.kind)).toEqual(['joined', 'text']);
    expect(thread.replies[1]!.text).toContain(`原并入 ${code}`);
    expect(thread.replies[1]!.text).toContain(`已单独登记为 ${newCode}`);
    expect(JSON.stringify(thread)).not.toContain('13912345678');

    // The new record's follow-up goes to that member's thread too.
    expect(await ask(s, 's-jm', `交办 ${newCode} 区市政园林局`)).toContain('请确认');
    await ask(s, 's-jm', '确认');
    expect((await message(s, joined.id)).replies.at(-1)!.text).toContain('已交办');

    // Nothing left to split; the count never falls below one.
    expect(await ask(s, 's-jm', `拆分 ${code} 2`)).toContain('只有 1 条反映');
    expect((await record(s, code)).affectedCount).toBe(1);
  });

  it('refuses the original report, a number past the end, other towns\' staff and members, and changes nothing', async () => {
    const { code } = await joinedPair('集美街道杏林湾路边的垃圾桶满了没人清理，臭气熏天', '集美街道杏林湾路边的垃圾桶满了没人清理，臭气熏天！！');
    const before = JSON.stringify([await record(s, code), await events(s, code)]);
    expect(await ask(s, 's-jm', `拆分 ${code} 1`)).toContain('原始反映');
    expect(await ask(s, 's-jm', `拆分 ${code} 3`)).toContain('只有 2 条反映');
    expect(await ask(s, 's-jm', `拆分 ${code}`)).toContain('拆分 <编号> <第几条反映>');
    expect(await ask(s, 'm1', `拆分 ${code} 2`)).toContain('仅限工作人员使用');
    expect(await ask(s, 's-gk', `拆分 ${code} 2`)).toContain('没有找到你可查看的记录');
    expect(await ask(s, 'm1', '确认')).toContain('没有待确认的操作');
    expect(JSON.stringify([await record(s, code), await events(s, code)])).toBe(before);
  });

  it('a closed record\'s other problem is filed as new work, and the preview says the record is closed', async () => {
    const { code } = await joinedPair('集美街道岑东社区健身广场的路灯坏了，晚上黑漆漆', '集美街道岑东社区健身广场的健身器材坏了，晚上有人受伤');
    await ask(s, 's-jm', `交办 ${code} 区市政园林局`);
    await ask(s, 's-jm', '确认');
    await ask(s, 's-jm', `办结 ${code} 已解决 路灯已修复`);
    await ask(s, 's-jm', '确认');
    const preview = await ask(s, 's-jm', `拆分 ${code} 第二条`);
    expect(preview).toContain('已关闭：已办结·已解决；拆出的反映作为新问题登记办理');
    const done = await ask(s, 's-jm', '确认');
    const newCode = /另行登记为 (JM-\d{4}-\d{4})/.exec(done)![1]!;
    expect((await record(s, newCode)).status).toBe('registered');
    expect((await record(s, code)).status).toBe('resolved');
  });

  it('a report split between preview and 确认 is not filed twice', async () => {
    const { code } = await joinedPair('集美街道侨英路有辆电动车一直停在盲道上', '集美街道侨英路有辆电动车一直停在盲道上，很多天了');
    await addPerson(s, 's-jm2', '集美小陈', 'staff', JIMEI);
    expect(await ask(s, 's-jm', `拆分 ${code} 2`)).toContain('请确认');
    expect(await ask(s, 's-jm2', `拆分 ${code} 2`)).toContain('请确认');
    expect(await ask(s, 's-jm', '确认')).toContain('已拆分');
    expect(await ask(s, 's-jm2', '确认')).toContain('已不在');
    const codes = (await s.deps.store.listRecords({ limit: 100 })).records.filter((r) => r.textMasked.includes('盲道'));
    expect(codes).toHaveLength(2);
    expect((await record(s, code)).affectedCount).toBe(1);
  });
});
