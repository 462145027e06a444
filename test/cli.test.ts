import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { containsUnmaskedPii } from '../src/core/masking.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src/runtime/cli/bin.mjs');
/** Each run starts tsx and loads the model: seconds, not milliseconds. */
const SLOW = 120_000;

interface Run {
  code: number;
  stdout: string;
  lines: string[];
}

/** `npx minyi …` as an operator runs it, with `input` on stdin. */
function minyi(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, lines: stdout.split('\n').filter((l) => l.trim() !== '') }));
    child.stdin.end(input);
  });
}

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
    ));
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(3);
    const [lamp, school, bad] = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
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
    expect(refused.stdout).toContain('aliases[0]: unknown town "不存在镇"; nothing imported');
    expect(peopleNamed('郑委员')).toBe(0);

    const seeded = await minyi(['seed', officeFile('office.json', { name: '陈委员', town: '灌口镇', http: 'member-chen' }, '集美街道')], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('district 集美区 (350211): 10 towns, 73 社区/村');
    expect(seeded.stdout).toContain('imported 1 people, 0 chats, 1 aliases, 0 pairings');
    expect(peopleNamed('陈委员')).toBe(1);
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
    expect(refused.stdout).toContain('line 5: expected {"text", "sender"} or {"id","title","body"}');
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
      expect(refused.stdout).toContain(message);
    }
    expect(existsSync(join(dir, 'never.xlsx'))).toBe(false);
  }, SLOW);

  it('runs the demo on a temporary database: receipts, a "+1", a question back, the open records and the week', async () => {
    const run = await minyi(['demo'], { DATABASE_PATH: join(dir, 'untouched.db') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('编号：JM-2026-0001');
    expect(run.stdout).toContain('与已登记的 JM-2026-0001 反映的是同一问题，已合并（+1）');
    expect(run.stdout).toContain('按委员所属镇街推定');
    expect(run.stdout).toMatch(/这条社情民意发生在哪个镇街？请回复镇街名称或点选（JM-2026-\d{4}）/);
    expect(run.stdout).toContain('== 在办记录（按镇街、分类）');
    expect(run.stdout).toContain('── 王干事：周报');
    // The transcript shows what members sent, masked like every reply (not even a truncated number shows).
    expect(containsUnmaskedPii(run.stdout)).toEqual([]);
    expect(run.stdout).not.toMatch(/1390692|35021119800/);
  }, SLOW);
});
