import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonInput } from '../src/core/ports.js';
import { type FakeDingtalk, startFakeDingtalk } from './fakes/fake-dingtalk.js';
import { smartModel } from './fakes/fake-llm-model.js';
import { type FakeLlm, startFakeLlm } from './fakes/fake-llm-server.js';
import { chatRecordBody, chatRecordContent, postDingtalk, robotMessage } from './support/dingtalk-events.js';
import { bundleItem as item, buildFeishuEvent, FEISHU, type FeishuHarness, messageId, replyTo, startFeishuHarness } from './support/feishu-events.js';
import { startTestServer, type TestServer } from './support/runtime.js';

// A merged forward is rebuilt as 「王建国 2025-12-29 17:20：…」 lines so staff know who said what; the
// summaries, the texts that go to groups or upward, and the LLM prompts carry the residents' words only.
const T = 1_767_000_000_000; // 2025-12-29 17:20 in Shanghai
const SENT = /2025-12-(29|30)|17:20/;
const COVER = '灌口镇上头亭社区路口井盖丢了好几天，晚上很危险。我叫王建国，住3号楼502室';
const REPLY = '是的，我上周差点掉下去，李秀英';

describe('Feishu: residents\' names and send times from a merged forward', () => {
  let h: FeishuHarness;
  let llm: FakeLlm;
  let code = '';
  let receipt = '';

  beforeAll(async () => {
    llm = await startFakeLlm(smartModel);
    h = await startFeishuHarness({ server: { env: { LLM_BASE_URL: llm.baseURL, LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: '2000' } } });
    for (const [id, name] of [['ou_wang', '王建国'], ['ou_li', '李秀英'], ['ou_chen', '后溪老陈']] as const) h.fake.users.set(id, name);
    const staff: PersonInput = { id: 'p_staff', name: '林干事', role: 'staff', townCode: null, identities: [{ platform: 'feishu', externalId: `feishu:${FEISHU.memberOpenId}` }] };
    await h.server.deps.store.upsertPerson(staff, Date.now());
    const root = await bundle([['ou_wang', COVER, T], ['ou_li', REPLY, T + 60_000]], 'oc_p7_member');
    receipt = replyTo(h.fake, root).map((r) => r.text).join('\n');
    code = /JM-\d{4}-\d{4}/.exec(receipt)?.[0] ?? '';
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await llm?.close();
  });

  async function bundle(lines: [string, string, number][], chat: string): Promise<string> {
    const root = messageId('p7b');
    h.fake.addMessage([
      item(root, undefined, 'merge_forward', 'Merged and Forwarded Message', FEISHU.memberOpenId, T + 600_000),
      ...lines.map(([who, text, at], i) => item(`${root}_c${i}`, root, 'text', { text }, who, at)),
    ]);
    await h.post(buildFeishuEvent({ messageId: root, chatId: chat, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    return root;
  }

  async function say(text: string): Promise<string> {
    const id = messageId('p7s');
    await h.post(buildFeishuEvent({ messageId: id, chatId: 'oc_p7_staff', content: { text } }));
    await h.server.settle();
    return replyTo(h.fake, id).map((r) => r.text).join('\n');
  }

  const rawText = (c: string) => (h.server.runtime.sqlite.sqlite.prepare('SELECT text FROM records WHERE code = ?').get(c) as { text: string }).text;

  it('the receipt, a 交办 preview and 查询 summarise the problem, not who sent it when', async () => {
    expect(code).not.toBe('');
    expect(receipt).toContain('摘要：灌口镇上头亭社区路口井盖丢了好几天');
    expect(receipt).toContain('镇街：灌口镇 · 上头亭社区');
    for (const text of [receipt, await say(`交办 ${code} 区建设局 7天`), await say(`查询 ${code}`)]) {
      expect(text).toContain('摘要：灌口镇上头亭社区路口井盖');
      expect(text).not.toMatch(/王建国|李秀英/);
      expect(text).not.toMatch(SENT);
    }
  });

  it('staff see the residents\' words in the API with the names masked; the database keeps who said what', async () => {
    const { record } = (await (await h.server.api(`/api/records/${code}`)).json()) as { record: { textMasked: string; summary: string } };
    expect(record.textMasked.split('\n')).toEqual(['灌口镇上头亭社区路口井盖丢了好几天，晚上很危险。我叫王**，住3号楼502室', '是的，我上周差点掉下去，李**']);
    expect(record.summary.startsWith('灌口镇上头亭社区路口井盖')).toBe(true);
    expect(rawText(code)).toBe(`王建国 2025-12-29 17:20：${COVER}\n李秀英 2025-12-29 17:21：${REPLY}`);
  });

  it('the bulletin, the 社情民意 draft and the 微协商 agenda carry neither names nor room numbers', async () => {
    const bulletin = await say('周报 本周');
    // Who the resident is and where exactly they live are no part of the problem a liaison group reads.
    expect(bulletin).toContain(`典型案例 ${code}：灌口镇上头亭社区路口井盖丢了好几天，晚上很危险。是的，我上周差点掉下去。`);
    expect(bulletin).not.toContain('我叫');
    const writeup = await say(`社情民意 ${code}`);
    expect(writeup).toMatch(/标题：关于解决灌口镇上头亭社区.*路口井盖/);
    expect(writeup).toContain('群众反映：灌口镇上头亭社区路口井盖丢了好几天');
    const agenda = await say(`拟议程 ${code}`);
    expect(agenda).toContain(`${code}（1 人次）：灌口镇上头亭社区路口井盖丢了好几天`);
    for (const text of [bulletin, writeup, agenda]) {
      expect(text).not.toMatch(/王建国|李秀英|502/);
      expect(text).not.toMatch(SENT);
    }
  });

  it('no LLM prompt carries the residents\' names or send times, and the drafting prompts no room number', () => {
    expect(llm.requests.length).toBeGreaterThan(2);
    const prompts = llm.requests.map((r) => r.messages.map((m) => m.content).join('\n'));
    for (const p of prompts) {
      expect(p).not.toMatch(/王建国|李秀英/);
      expect(p).not.toMatch(SENT);
    }
    const drafting = prompts.filter((p) => p.includes(code));
    expect(drafting.length).toBeGreaterThanOrEqual(2); // the write-up and the agenda
    for (const p of drafting) expect(p).not.toContain('502');
  });

  it('dedupe compares residents\' words: the same two residents on two problems are two records', async () => {
    const lamps = await bundle([['ou_wang', '侨英街道金山路路灯坏了', T], ['ou_li', '是啊', T + 60_000]], 'oc_p7_lamps');
    const pipes = await bundle([['ou_wang', '侨英街道侨英路水管漏了', T + 240_000], ['ou_li', '是啊', T + 300_000]], 'oc_p7_pipes');
    const codeOf = (root: string) => /JM-\d{4}-\d{4}/.exec(replyTo(h.fake, root).map((r) => r.text).join())?.[0];
    expect(codeOf(lamps)).toBeTruthy();
    expect(codeOf(pipes)).toBeTruthy();
    expect(codeOf(pipes)).not.toBe(codeOf(lamps));
    // …and the same words from other residents at another time still join as a "+1".
    const again = await bundle([['ou_chen', '侨英街道金山路路灯坏了', T + 86_400_000], ['ou_li', '是啊', T + 86_460_000]], 'oc_p7_again');
    expect(codeOf(again)).toBe(codeOf(lamps));
  });

  it('a resident\'s display name that sounds like a place does not place the problem', async () => {
    const root = await bundle([['ou_chen', '杏滨街道杏滨路路灯坏了一排，晚上很黑', T]], 'oc_p7_chen');
    const text = replyTo(h.fake, root).map((r) => r.text).join();
    expect(text).toContain('镇街：杏滨街道');
    expect(text).toContain('摘要：杏滨街道杏滨路路灯坏了一排');
  });
});

describe('DingTalk: a forwarded chat record (chatRecord)', () => {
  let fake: FakeDingtalk;
  let s: TestServer;

  beforeAll(async () => {
    fake = await startFakeDingtalk();
    s = await startTestServer({ env: fake.env });
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  it('is summarised and shown by its words: the title and the residents\' names stay in the database', async () => {
    const content = chatRecordContent('王建国和李秀英的聊天记录', [{ name: '王建国', text: COVER }, { name: '李秀英', text: REPLY }]);
    const body = robotMessage(chatRecordBody(content), { msgId: 'msgP7==', conversationId: 'cidP7==', session: fake.session('sess-p7') });
    expect((await postDingtalk(s.url, body, { secret: fake.appSecret })).status).toBe(200);
    await s.settle();
    const receipt = fake.deliveries.filter((d) => d.to === 'sess-p7').map((d) => d.text).join('\n');
    expect(receipt).toContain('摘要：灌口镇上头亭社区路口井盖丢了好几天');
    expect(receipt).not.toMatch(/王建国|李秀英|聊天记录/);
    const code = /JM-\d{4}-\d{4}/.exec(receipt)![0];
    const { record } = (await (await s.api(`/api/records/${code}`)).json()) as { record: { textMasked: string } };
    expect(record.textMasked).toBe('灌口镇上头亭社区路口井盖丢了好几天，晚上很危险。我叫王**，住3号楼502室\n是的，我上周差点掉下去，李**');
    const raw = s.runtime.sqlite.sqlite.prepare('SELECT text FROM records WHERE code = ?').get(code) as { text: string };
    expect(raw.text).toContain('[聊天记录] 王建国和李秀英的聊天记录\n王建国 2025-12-29 17:20：灌口镇');
  });
});
