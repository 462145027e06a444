import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulletinCommand, draftAgendaCommand, writeupCommand } from '../src/app/outputs.js';
import { containsUnmaskedPii } from '../src/core/masking.js';
import { CircuitBreaker } from '../src/llm/circuit-breaker.js';
import { LlmClient } from '../src/llm/client.js';
import { LlmWriter } from '../src/llm/llm-writer.js';
import { silentLogger } from '../src/runtime/logger.js';
import { type Behaviour, type ChatBody, completion, errorReply, type FakeLlm, startFakeLlm } from './fakes/fake-llm-server.js';
import { file, HOUR, MONDAY, person, townCode } from './support/outputs-helpers.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';

const PHONE = '13812345678';
const ROAD = `杏林街道杏林社区兴园路路面坑洼破损严重，电动车经常摔倒，联系人电话${PHONE}`;
const GOOD_BODY = [
  '一、基本情况', '杏林街道兴园路路面坑洼，群众多次反映。',
  '二、存在问题', '（一）路面破损，电动车通行存在安全隐患。',
  '三、意见建议', '（一）由区市政部门尽快修复破损路面，并设置警示标志。',
].join('\n');

let fake: FakeLlm;
let s: TestServer | null = null;
let clock: FixedClock;
beforeEach(async () => {
  fake = await startFakeLlm();
  clock = new FixedClock(MONDAY + 10 * HOUR);
  s = await startTestServer({ clock });
  const llm = new LlmClient({ baseURL: fake.baseURL, model: 'fake-writer', timeoutMs: 2000, sleep: async () => {}, maxRetries: 1 });
  s.deps.writer = new LlmWriter({ llm, log: silentLogger, clock, breaker: new CircuitBreaker(clock, { failures: 2, coolDownMs: 60_000 }) });
});
afterEach(async () => {
  await s?.close();
  s = null;
  await fake.close();
});

const task = (b: ChatBody) => b.response_format?.json_schema?.name ?? '';
const json = (v: unknown): Behaviour => (b) => completion(JSON.stringify(v), b);
const sentText = () => fake.requests.flatMap((b) => b.messages.map((m) => m.content)).join('\n');
const textOf = (r: { kind: string; text?: string }) => (r.kind === 'text' ? r.text ?? '' : '');

let writers = 0;
async function draftWriteup(): Promise<string> {
  const admin = await person(s!.deps, 'admin', '管理员', 'admin', null);
  // Another member each time: the same member's same words again would be a resend, not a report.
  const code = await file(s!, ROAD, `m-road-${++writers}`);
  return textOf(await writeupCommand(s!.deps, admin, code));
}

describe('LLM prose for 社情民意信息', () => {
  it('uses the model draft when it passes the checks, says so, stores it, and sent only masked text', async () => {
    fake.behave(json({ refused: false, reason: '', title: '关于尽快修复兴园路破损路面的建议', body: GOOD_BODY }));
    const text = await draftWriteup();
    expect(text).toContain('标题：关于尽快修复兴园路破损路面的建议');
    expect(text).toContain('由区市政部门尽快修复破损路面');
    expect(text).toMatch(/由模型 fake-writer 起草，提示词 writeup@\S+/);
    expect(task(fake.requests[0]!)).toBe('writeup_prose');
    expect(sentText()).toContain('兴园路');
    expect(sentText()).not.toContain(PHONE);
    expect(containsUnmaskedPii(sentText())).toEqual([]);
    const stored = (await s!.deps.outputs!.getWriteup(text.match(/JM-SQ-\d{4}-\d{4}/)![0]))!;
    expect(stored.body).toContain('由区市政部门尽快修复破损路面');
    expect(stored.title).toBe('关于尽快修复兴园路破损路面的建议');
  });

  it.each([
    ['garbage', ((b) => completion('好的，这是您要的稿子：……', b)) as Behaviour],
    ['a 500', (() => errorReply(500, 'upstream exploded')) as Behaviour],
    ['a draft without 意见建议', json({ refused: false, reason: '', title: '兴园路路面破损', body: GOOD_BODY.split('三、意见建议')[0] })],
    ['a draft over 1500 characters', json({ refused: false, reason: '', title: '兴园路路面破损', body: `${GOOD_BODY}\n${'路面'.repeat(800)}` })],
    ['a refusal', json({ refused: true, reason: '涉诉', title: '', body: '' })],
  ])('falls back to the template on %s', async (_name, behaviour) => {
    fake.behave(behaviour);
    const text = await draftWriteup();
    for (const h of ['标题：', '一、基本情况', '二、存在问题', '三、意见建议', '针对问题']) expect(text).toContain(h);
    expect(text).not.toContain('由模型');
    expect(text).not.toContain(PHONE);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it('shows the model why its draft failed, and takes the repaired one', async () => {
    fake.behave((b, n) => completion(JSON.stringify({ refused: false, reason: '', title: '兴园路路面破损', body: n === 0 ? '一、基本情况\n路面坏了' : GOOD_BODY }), b));
    const text = await draftWriteup();
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.messages.at(-1)!.content).toContain('存在问题');
    expect(text).toContain('由模型 fake-writer 起草');
  });

  it('stops calling a failing endpoint: with the breaker open the template comes back without a request', async () => {
    fake.behave(() => errorReply(503, 'down'));
    await draftWriteup();
    await draftWriteup();
    const before = fake.requests.length;
    const text = await draftWriteup();
    expect(fake.requests.length).toBe(before);
    expect(text).toContain('一、基本情况');
  });
});

describe('LLM prose for agendas and bulletins', () => {
  const LIGHT = '侨英街道叶厝社区幸福路路灯坏了两周了，晚上很黑，老人出门不安全，电话13912345678';

  it('an agenda drafted by the model keeps the consultation footer; a 500 gives the template', async () => {
    const staff = await person(s!.deps, 'staff-qy', '李工作', 'staff', townCode(s!.deps, '侨英街道'));
    const code = await file(s!, LIGHT, 'm1');
    fake.behave(json({ title: '关于幸福路路灯损坏的微协商议程', body: '议题：幸福路路灯损坏\n议程：情况通报、提问、解答、发言讨论、形成共识' }));
    const good = textOf(await draftAgendaCommand(s!.deps, staff, { codes: [code], topic: null }));
    expect(good).toContain('关于幸福路路灯损坏的微协商议程');
    expect(good).toMatch(/协商编号 JM-XS-\d{4}-\d{4}/);
    expect(good).toMatch(/由模型 fake-writer 起草，提示词 agenda@/);
    expect(sentText()).not.toContain('13912345678');
    // The model drafts from the problem: a masked number it could copy into a group's agenda is not sent either.
    expect(sentText()).toContain('老人出门不安全');
    expect(sentText()).not.toContain('139****5678');
    fake.behave(() => errorReply(500, 'boom'));
    // Another problem (the first record is on a consultation now, so it cannot be proposed again).
    const code2 = await file(s!, '侨英街道叶厝社区菜市场门口垃圾堆了好几天没人清运，苍蝇很多', 'm2');
    const fallback = textOf(await draftAgendaCommand(s!.deps, staff, { codes: [code2], topic: null }));
    for (const section of ['议题', '一、背景', '三、参加人员', '五、需协商的问题']) expect(fallback).toContain(section);
    expect(fallback).not.toContain('由模型');
  });

  it('a bulletin uses the model prose only when every number in it is one of the figures', async () => {
    const admin = await person(s!.deps, 'admin', '管理员', 'admin', null);
    await file(s!, LIGHT, 'm1');
    const figures = () => JSON.parse(fake.requests.at(-1)!.messages[1]!.content) as { 数字: Record<string, number> };
    fake.behave((b) => {
      const n = (JSON.parse(b.messages[1]!.content) as { 数字: Record<string, number> }).数字.本周新增;
      return completion(JSON.stringify({ title: '本周社情民意工作通报', body: `本周共收到社情民意 ${n} 件。` }), b);
    });
    const good = textOf(await bulletinCommand(s!.deps, admin, { week: 'this', townCode: null }));
    expect(good).toContain(`本周共收到社情民意 ${figures().数字.本周新增} 件。`);
    expect(good).toMatch(/提示词 bulletin@/);
    expect(sentText()).not.toContain('叶厝社区幸福路');
    fake.behave(json({ title: '本周社情民意工作通报', body: '本周共收到社情民意 987 件，同比增长 42%。' }));
    const invented = textOf(await bulletinCommand(s!.deps, admin, { week: 'this', townCode: null }));
    expect(invented).toContain('一、总体情况');
    expect(invented).not.toContain('987');
  });
});
