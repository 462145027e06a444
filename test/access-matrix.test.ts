import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, addRoleCast, ask, file, CAST_ROLES, type CastRole, JIMEI, ROLE_CAST, say, WED_10AM } from './support/workflow-helpers.js';

/**
 * Roles × commands × scopes. The record lives in 集美街道 and was filed by m1. Each forbidden attempt is
 * followed by 确认 (as an attacker would try) and must leave the record, its events and the people table as
 * they were. Allowed writes are only previewed and then cancelled, so every row starts from the same state.
 */
const ACTORS = ROLE_CAST;
type Actor = CastRole;
const ALL = CAST_ROLES;
const RECORD_WRITERS: Actor[] = ['townStaff', 'districtStaff', 'admin'];

describe('access matrix: chat commands', () => {
  let s: TestServer;
  let code = '';
  let other = '';
  const clock = new FixedClock(WED_10AM);
  beforeAll(async () => {
    s = await startTestServer({ clock });
    await addRoleCast(s);
    code = (await file(s, 'm1', '集美街道某小区门口人行道砖松动，老人走路容易绊倒', '集美')).code;
    other = (await file(s, 'm1', '集美街道某路口红绿灯时间太短，老人过马路来不及', '集美')).code;
    // A "+1" on the record, so 拆分 has a report to take out; from a third member, for a "+1" makes its sender
    // one of the record's 反映人 (test/workflow-plus-one.test.ts), and m2 stays a member who reported nothing.
    await addPerson(s, 'm3', '黄委员', 'member', JIMEI);
    const joined = await say(s, 'm3', '集美街道某小区门口人行道砖松动，老人走路容易绊倒', { town: '集美' });
    if (joined.outcome?.items?.[0]?.code !== code) throw new Error(`expected a +1 on ${code}: ${JSON.stringify(joined.outcome)}`);
  });
  afterAll(async () => {
    await s.close();
  });

  const snapshot = async () => {
    const db = s.runtime.sqlite.sqlite;
    const rows = db.prepare('select code, status, department, town_code, category_code, affected_count, due_at from records order by code').all();
    const n = (t: string) => (db.prepare(`select count(*) n from ${t}`).get() as { n: number }).n;
    return JSON.stringify({ rows, events: n('record_events'), people: n('people'), identities: n('identities'), sources: n('record_sources') });
  };

  const writes: Array<{ name: string; text: () => string; allowed: Actor[] }> = [
    { name: '交办', text: () => `交办 ${code} 区市政园林局 7天`, allowed: RECORD_WRITERS },
    { name: '办结', text: () => `办结 ${code} 已解决 砖已重新铺好`, allowed: RECORD_WRITERS },
    { name: '不予受理', text: () => `不予受理 ${code} 不属实`, allowed: RECORD_WRITERS },
    { name: '合并', text: () => `合并 ${other} 到 ${code}`, allowed: RECORD_WRITERS },
    { name: '拆分', text: () => `拆分 ${code} 2`, allowed: RECORD_WRITERS },
    { name: '添加委员', text: () => '添加委员 张三 集美街道', allowed: ['admin'] },
  ];

  for (const w of writes) {
    for (const actor of ALL) {
      const allowed = w.allowed.includes(actor);
      it(`${w.name} by ${actor}: ${allowed ? 'previewed' : 'refused, nothing changed'}`, async () => {
        const before = await snapshot();
        const answer = await ask(s, ACTORS[actor], w.text());
        if (allowed) {
          // Past the permission check: a preview, or the status machine's answer (办结 needs 交办 first).
          expect(answer).toMatch(/请确认|不能改为/);
          if (answer.includes('请确认')) expect(await ask(s, ACTORS[actor], '取消')).toContain('已取消');
        } else {
          expect(answer).not.toContain('请确认');
          expect(await ask(s, ACTORS[actor], '确认')).not.toContain('已执行');
        }
        expect(await snapshot()).toBe(before);
      });
    }
  }

  // What a refused reader must not learn: the record's text.
  const SECRET = '人行道砖松动';
  const reads: Array<{ name: string; text: () => string; allowed: Actor[] }> = [
    { name: '查询', text: () => `查询 ${code}`, allowed: ['filer', 'townStaff', 'districtStaff', 'admin'] },
    { name: '社情民意', text: () => `社情民意 ${code}`, allowed: RECORD_WRITERS },
  ];
  for (const r of reads) {
    for (const actor of ALL) {
      const allowed = r.allowed.includes(actor);
      it(`${r.name} by ${actor}: ${allowed ? 'answered' : 'refused'}`, async () => {
        const before = await snapshot();
        const answer = await ask(s, ACTORS[actor], r.text());
        if (allowed) expect(answer).toContain(code);
        else expect(answer).not.toContain(SECRET);
        expect(await snapshot()).toBe(before);
      });
    }
  }

  // Members read their own town's bulletin (aggregate, masked figures, as the liaison group sees it).
  it('周报 of 集美街道: its members and staff, district staff and admins; not other towns\' staff or strangers', async () => {
    for (const actor of ALL) {
      const answer = await ask(s, ACTORS[actor], '周报 集美街道');
      if (actor !== 'otherTownStaff' && actor !== 'unknown') expect(answer, actor).toContain('集美街道社情民意周报');
      else expect(answer, actor).not.toMatch(/新增|累计/);
    }
  });

  it('a resident\'s forwarded text is never a command, whoever forwards it', async () => {
    const before = await snapshot();
    const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: `确认\n交办 ${code} 区城管局`, sender: { id: 'a1' } }) });
    expect(res.status).toBe(202);
    await s.settle();
    const after = JSON.parse(await snapshot()) as { rows: { code: string; status: string }[] };
    expect(after.rows.find((x) => x.code === code)!.status).toBe('registered');
    expect(JSON.parse(before).rows.find((x: { code: string }) => x.code === code).status).toBe('registered');
  });
});

describe('access matrix: API token', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  const ROUTES: Array<[string, string, string?]> = [
    ['POST', '/api/messages', JSON.stringify({ text: '灌口镇路灯坏了', sender: { id: 'x' } })],
    ['GET', '/api/messages/msg_1'],
    ['GET', '/api/records'],
    ['GET', '/api/records/JM-2026-0001'],
    ['GET', '/api/export.xlsx'],
  ];
  const AUTH: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['wrong', { authorization: 'Bearer wrong-token-0123456789abcdef' }],
    ['not bearer', { authorization: 'Basic dGVzdDp0ZXN0' }],
    ['empty', { authorization: 'Bearer ' }],
    ['token as query', {}],
  ];

  for (const [method, path, body] of ROUTES) {
    for (const [label, headers] of AUTH) {
      it(`${method} ${path} with the token ${label}: 401, nothing written`, async () => {
        const count = () => (s.runtime.sqlite.sqlite.prepare('select (select count(*) from inbound_messages) + (select count(*) from jobs) n').get() as { n: number }).n;
        const before = count();
        const url = `${s.url}${path}${label === 'token as query' ? '?token=test-token-0123456789abcdef' : ''}`;
        const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body ? { body } : {}) });
        expect(res.status).toBe(401);
        expect(count()).toBe(before);
      });
    }
  }
});
