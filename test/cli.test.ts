import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { containsUnmaskedPii } from '../src/core/masking.js';
import { minyi, ROOT } from './support/cli-run.js';

/** Each run starts tsx and loads the model: seconds, not milliseconds. */
const SLOW = 120_000;


const jsonl = (...rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

describe('the minyi command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-cli-'));
  const env = { DATABASE_PATH: join(dir, 'office.db') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const peopleNamed = (name: string) => {
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM people WHERE name = ?').get(name) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('classifies JSON lines offline: category, town, place, confidence and alternatives per line, masked', async () => {
    const run = await minyi(['classify'], { DATABASE_PATH: join(dir, 'unused.db') }, jsonl(
      { id: 1, text: '灌口镇上头亭社区村口的路灯坏了一个多月，晚上出行很不安全。' },
      { id: 'b', title: '入学咨询', body: '孩子今年上小学，学区划分不清楚，想咨询入学政策，电话13906921234。' },
      'not json',
      { id: 'd' },
      { id: 'e', text: '  ' },
    ));
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(5);
    const [lamp, school, bad, noText, blank] = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // A line with nothing to classify is an error line, not a category guessed from no words.
    expect(noText).toEqual({ line: 4, error: 'line 4: no text to classify (give "text", or "title" and "body")' });
    expect(blank).toEqual({ line: 5, error: 'line 5: no text to classify (give "text", or "title" and "body")' });
    expect(lamp).toMatchObject({ id: 1, townName: '灌口镇', place: '上头亭社区', source: 'local' });
    expect(school).toMatchObject({ id: 'b', categoryName: '教育文体', town: null, place: null });
    for (const r of [lamp!, school!]) {
      const confidence = r['confidence'] as number;
      const alternatives = r['alternatives'] as { probability: number }[];
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThanOrEqual(1);
      expect(alternatives).toHaveLength(3);
      expect(alternatives.every((a) => a.probability <= confidence)).toBe(true);
    }
    expect(bad).toMatchObject({ line: 3, error: expect.any(String) });
    expect(run.stdout).not.toContain('13906921234');
  }, SLOW);

  it('seeds people and aliases, refusing a file with a bad town without importing any of it', async () => {
    const officeFile = (name: string, person: { name: string; town: string; http: string }, aliasTown: string) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ people: [{ ...person, role: 'member' }], aliases: [{ alias: '诚毅广场', town: aliasTown }] }));
      return path;
    };
    const refused = await minyi(['seed', officeFile('bad-office.json', { name: '郑委员', town: '后溪镇', http: 'member-zheng' }, '不存在镇')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('aliases[0].town: unknown town "不存在镇"\n');
    expect(refused.stderr).toContain('1 problem(s), nothing imported (positions count from 0: people[0] is the first entry)');
    expect(peopleNamed('郑委员')).toBe(0);

    const seeded = await minyi(['seed', officeFile('office.json', { name: '陈委员', town: '灌口镇', http: 'member-chen' }, '集美街道')], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('district 集美区 (350211): 10 towns, 73 社区/村');
    expect(seeded.stdout).toContain('imported 1 people, 0 chats, 1 aliases, 0 pairings');
    expect(peopleNamed('陈委员')).toBe(1);
  }, SLOW);

  it('keeps two members with the same name apart: refused without ids, two people (each with own town) with them', async () => {
    const db = { DATABASE_PATH: join(dir, 'namesakes.db') };
    const office = (ids: boolean) => {
      const path = join(dir, `namesakes-${ids}.json`);
      writeFileSync(path, JSON.stringify({ people: [
        { ...(ids ? { id: 'chen-a' } : {}), name: '陈明', role: 'member', town: '灌口镇', http: 'chen-a' },
        { ...(ids ? { id: 'chen-b' } : {}), name: '陈明', role: 'member', town: '后溪镇', http: 'chen-b' },
      ] }));
      return path;
    };
    const refused = await minyi(['seed', office(false)], db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('people[0] and people[1] are both named "陈明"; give each an "id" to tell them apart\n');

    const seeded = await minyi(['seed', office(true)], db);
    expect(seeded.stdout).toContain('imported 2 people');
    // A message naming no place takes its sender's town: each 陈明 keeps their own.
    const file = join(dir, 'namesakes.jsonl');
    writeFileSync(file, jsonl(
      { text: '小区门口的垃圾桶满了三天没人清运，苍蝇很多。', sender: { id: 'chen-a' } },
      { text: '菜市场后面的路灯坏了好几天，晚上很黑。', sender: { id: 'chen-b' } },
    ));
    expect((await minyi(['import', file], db)).code).toBe(0);
    const records = (await minyi(['records', '--json'], db)).lines.map((l) => JSON.parse(l) as { summary: string; townName: string; townAssumed: boolean });
    expect(records.find((r) => r.summary.includes('垃圾桶'))).toMatchObject({ townName: '灌口镇', townAssumed: true });
    expect(records.find((r) => r.summary.includes('路灯'))).toMatchObject({ townName: '后溪镇', townAssumed: true });

    // Ids and names a caller chose come out masked, as the API shows them.
    const phoneIds = join(dir, 'phone-ids.jsonl');
    writeFileSync(phoneIds, jsonl({ text: '杏林街道杏北社区路灯坏了一个月没人修', sender: { id: '13812345678', name: '王13912345678' } }));
    expect((await minyi(['import', phoneIds], db)).code).toBe(0);
    const listed = (await minyi(['records', '--json'], db)).stdout;
    expect(listed).toContain('138****5678');
    expect(listed).not.toMatch(/13812345678|13912345678/);
  }, SLOW);

  it('imports only lines the API would accept: each bad one named by line and field, and none of the file filed', async () => {
    const db = { DATABASE_PATH: join(dir, 'strict-import.db') };
    const file = join(dir, 'strict.jsonl');
    writeFileSync(file, jsonl(
      { text: '灌口镇上头亭社区村口的路灯坏了一个多月，晚上出行很不安全。', sender: { id: 'resident-1' } },
      { text: '   ' },
      { text: '后溪镇岩内村排水沟堵塞，一下雨就漫到路上。', sender: { id: '' } },
      { text: '长'.repeat(20_002), sender: { id: 'resident-2' } },
      { text: '路灯坏了，晚上看不见。', sender: { id: 'resident-3' }, town: '火星镇' },
    ));
    const refused = await minyi(['import', file], db);
    expect(refused.code).toBe(1);
    expect(refused.lines).toEqual([
      'line 2: text: text 不能为空',
      expect.stringMatching(/^line 3: sender\.id: /),
      'line 4: text: text 超过 20000 字',
      'line 5: town: 未知镇街「火星镇」',
      'nothing imported: 4 bad line(s); fix them, or pass --skip-invalid to import the other 1',
    ]);
    expect((await minyi(['records', '--json'], db)).lines).toEqual([]);
    // Skipping them, the good line is filed and nothing is left failing in the queue.
    const imported = await minyi(['import', file, '--skip-invalid'], db);
    expect(imported.stdout).toContain('imported 1 message(s), skipped 4; jobs left: 0 queued, 0 failed');
  }, SLOW);

  it('refuses unknown options and options without a value (on stderr, exit 2); help is usage on stdout', async () => {
    for (const [args, message] of [
      [['records', '--frob'], 'records: unknown option --frob'],
      [['records', '--limit'], 'records: --limit needs a value'],
      [['records', '--status', '--json'], 'records: --status needs a value'],
      [['records', '--json', '--raw'], 'records: unknown option --raw'],
      [['export', '--out'], 'export: --out needs a value'],
      [['backup'], 'backup: missing argument'],
    ] as const) {
      const run = await minyi([...args], env, '', dir);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain(`minyi: ${message}`);
      expect(run.stdout, args.join(' ')).toBe('');
    }
    // The refused export wrote nothing into the working directory.
    expect(readdirSync(dir).filter((f) => f.endsWith('.xlsx'))).toEqual([]);
    for (const args of [['--help'], ['help'], ['records', '-h']]) {
      const run = await minyi(args, env);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/^usage: minyi <command>\n/);
      expect(run.stderr).toBe('');
    }
  }, SLOW);

  it('imports messages through the real pipeline and lists the records it filed', async () => {
    const file = join(dir, 'messages.jsonl');
    writeFileSync(file, jsonl(
      { text: '灌口镇上头亭社区村口的路灯坏了一个多月，晚上老人孩子出行很不安全，希望尽快修好。', sender: { id: 'member-chen' } },
      { text: '上头亭社区村口路灯坏了有一个多月了，晚上黑漆漆的，出门很不安全，麻烦修一下。', sender: { id: 'resident-1' } },
      // Named only by the office's alias: the town comes from the seed above.
      { text: '诚毅广场旁边的人行道砖块松动，老人容易绊倒，请派人修一修。', sender: { id: 'resident-2' } },
      // No place at all, from the member assigned to 灌口镇: the town is assumed from the member.
      { text: '小区门口的垃圾桶满了三天没人清运，苍蝇很多。', sender: { id: 'member-chen' } },
      { title: '没有正文的行' },
    ));
    const refused = await minyi(['import', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('line 5: id: ');
    expect(refused.stdout).toContain('nothing imported: 1 bad line(s); fix them, or pass --skip-invalid to import the other 4');
    expect((await minyi(['records', '--json'], env)).lines).toEqual([]);

    const imported = await minyi(['import', file, '--skip-invalid'], env);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain('imported 4 message(s), skipped 1; jobs left: 0 queued, 0 failed');
    // The same file again, with one line appended: only the new line is filed.
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n${jsonl({ text: '后溪镇岩内村排水沟堵塞，一下雨就漫到路上。', sender: { id: 'resident-3' } })}`);
    const again = await minyi(['import', file, '--skip-invalid'], env);
    expect(again.stdout).toContain('imported 1 message(s), 4 imported before (not filed again), skipped 1');

    const listed = await minyi(['records', '--json'], env);
    expect(listed.code).toBe(0);
    const records = listed.lines.map((l) => JSON.parse(l) as { code: string; townName: string | null; townAssumed: boolean; place: string | null; affectedCount: number; summary: string });
    expect(records).toHaveLength(4);
    const lamp = records.find((r) => r.place === '上头亭社区');
    expect(lamp).toMatchObject({ townName: '灌口镇', affectedCount: 2, townAssumed: false });
    expect(records.find((r) => r.summary.includes('诚毅广场'))).toMatchObject({ townName: '集美街道', townAssumed: false });
    expect(records.find((r) => r.summary.includes('垃圾桶'))).toMatchObject({ townName: '灌口镇', townAssumed: true });
    expect(records.find((r) => r.place === '岩内村')).toMatchObject({ townName: '后溪镇', affectedCount: 1 });

    const byTown = await minyi(['records', '--town', '灌口镇'], env);
    expect(byTown.lines.at(-1)).toBe('2 record(s)');
    expect(byTown.stdout).toContain(lamp!.code);
    expect(byTown.stdout).toContain('×2');
    // A filter that cannot match is an error, not an empty ledger.
    for (const [args, message] of [
      [['records', '--town', '不存在镇'], 'unknown town: 不存在镇'],
      [['records', '--status', 'registerd'], 'unknown status: registerd (one of '],
      [['records', '--limit', 'ten'], '--limit: expected a whole number from 1 to 500, got "ten"'],
      [['export', '--status', 'closed', '--out', join(dir, 'never.xlsx')], 'unknown status: closed'],
    ] as const) {
      const refused = await minyi([...args], env);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toContain(message);
      expect(refused.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'never.xlsx'))).toBe(false);
  }, SLOW);

  it('names a file it cannot read or write in one line: no such file, a directory, no such directory', async () => {
    const missing = join(dir, 'nope', 'messages.jsonl');
    const officeMissing = join(dir, 'missing.json');
    const noDir = join(dir, 'nodir', 'a.xlsx');
    for (const [args, message] of [
      [['import', missing], `cannot read ${missing}: no such file`],
      [['import', dir], `cannot read ${dir}: is a directory`],
      [['seed', officeMissing], `cannot read ${officeMissing}: no such file`],
      [['export', '--out', noDir], `cannot write ${noDir}: no such directory`],
      [['backup', noDir], `cannot write ${noDir}: no such directory`],
      [['restore', dir], `cannot read ${dir}: is a directory`],
    ] as const) {
      const run = await minyi([...args], env);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toBe(`minyi: ${message}\n`);
    }
    expect(existsSync(noDir)).toBe(false);
  }, SLOW);

  it('seeds district-wide staff (全区 or no town) and names every problem of a bad file by its position, importing none', async () => {
    const db = { DATABASE_PATH: join(dir, 'seed-all.db') };
    const write = (name: string, data: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(data));
      return path;
    };
    const bad = write('bad-people.json', { people: [
      { name: '吴委员', role: 'member', town: '灌口镇' },
      { name: '许干事', role: 'clerk', town: '全区' },
      { name: '', role: 'staff' },
    ] });
    const refused = await minyi(['seed', bad], db);
    expect(refused.code).toBe(1);
    const problems = refused.stderr.split('\n').filter(Boolean);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^minyi: ${bad}: people\\[1\\]\\.role: `)),
      expect.stringMatching(new RegExp(`^minyi: ${bad}: people\\[2\\]\\.name: `)),
      `minyi: ${bad}: 2 problem(s), nothing imported (positions count from 0: people[0] is the first entry)`,
    ]);
    const towns = write('bad-towns.json', { people: [{ name: '吴委员', role: 'member', town: '全区' }, { name: '许干事', role: 'staff', town: '火星镇' }], aliases: [{ alias: '诚毅广场', town: '不存在镇' }] });
    const townsRefused = await minyi(['seed', towns], db);
    expect(townsRefused.stderr.split('\n').filter(Boolean)).toEqual([
      `minyi: ${towns}: people[0].town: a member belongs to one 镇街, not 全区`,
      `minyi: ${towns}: people[1].town: unknown town "火星镇"`,
      `minyi: ${towns}: aliases[0].town: unknown town "不存在镇"`,
      `minyi: ${towns}: 3 problem(s), nothing imported (positions count from 0: people[0] is the first entry)`,
    ]);
    expect(peopleNamed('吴委员')).toBe(0);

    const good = write('district-staff.json', { people: [{ name: '许干事', role: 'staff', town: '全区' }, { name: '周管理员', role: 'admin' }] });
    const seeded = await minyi(['seed', good], db);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('imported 2 people');
    const d = new Database(db.DATABASE_PATH, { readonly: true });
    try {
      expect(d.prepare("SELECT name, town_code AS town FROM people WHERE name IN ('许干事', '周管理员') ORDER BY name").all())
        .toEqual([{ name: '周管理员', town: null }, { name: '许干事', town: null }]);
    } finally {
      d.close();
    }
  }, SLOW);

  it('refuses an unknown job type, naming the known ones (exit 2)', async () => {
    for (const args of [['jobs', '--type', 'nope'], ['retry', '--dead', '--type', 'bogus']]) {
      const run = await minyi(args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toBe(`minyi: unknown job type: ${args.at(-1)} (one of process_message, send_reply, cluster_check, weekly_bulletin, daily_reminder)\n`);
      expect(run.stdout).toBe('');
    }
  }, SLOW);

  it('runs the demo on a temporary database: receipts, a "+1", a question back, the open records and the week', async () => {
    const run = await minyi(['demo'], { DATABASE_PATH: join(dir, 'untouched.db') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('编号：JM-2026-0001');
    expect(run.stdout).toContain('与已登记的 JM-2026-0001 反映的是同一问题，已合并（+1）');
    expect(run.stdout).toContain('按发送人所属镇街推定');
    expect(run.stdout).toMatch(/这条社情民意发生在哪个镇街？请回复镇街名称或点选；第二农场、.*请直接回复名称（JM-2026-\d{4}）/);
    // A member's numbered list of two places: two receipts under one message.
    expect(run.stdout).toMatch(/── 消息 \d+（林委员）：居民反映两个问题：[^\n]*\n(?:   [^\n]*\n)*?   镇街：集美街道 · 银亭社区\n(?:   [^\n]*\n)*?   镇街：杏滨街道 · 马銮社区\n/);
    // A problem added at another place with 另外: two receipts as well.
    expect(run.stdout).toMatch(/── 消息 \d+（陈委员）：灌口镇东辉村[^\n]*另外[^\n]*\n(?:   [^\n]*\n)*?   镇街：灌口镇 · 东辉村\n(?:   [^\n]*\n)*?   镇街：后溪镇 · 仑上村\n/);
    expect(run.stdout).toContain('== 在办记录（按镇街、分类）');
    expect(run.stdout).toContain('── 王干事：周报');
    // The transcript shows what members sent, masked like every reply (not even a truncated number shows).
    expect(containsUnmaskedPii(run.stdout)).toEqual([]);
    expect(run.stdout).not.toMatch(/1390692|35021119800/);
  }, SLOW);

  it('cleans up its temporary database when the reader stops early (minyi demo | head)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'src/runtime/cli/bin.mjs'), 'demo'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } });
    const firstLine = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!)));
    // Like head after its first line: the read end of the pipe closes, later writes meet EPIPE.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const db = /临时数据库 (\S+)/.exec(firstLine)?.[1];
    expect(db, firstLine).toMatch(/minyi-demo-.*demo\.db$/);
    expect(code).toBe(0);
    expect(existsSync(dirname(db!))).toBe(false);
  }, SLOW);
});
