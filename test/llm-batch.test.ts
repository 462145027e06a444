import { afterEach, describe, expect, it } from 'vitest';
import { type Behaviour, type ChatBody, completion, type FakeLlm, type FakeReply, startFakeLlm } from './fakes/fake-llm-server.js';
import { batchAnswer, isBatch, smartModel } from './fakes/fake-llm-model.js';
import { startTestServer, type TestServer } from './support/runtime.js';
import { post, recordsOfMessage } from './support/workflow-helpers.js';

/** Twenty unrelated one-sentence messages and the category each must be filed under. */
const MESSAGES: [text: string, category: string][] = [
  ['集美街道某餐馆油烟直排，居民窗户都是黑的。', '环境保护'],
  ['侨英街道夜间工地噪音太大，孩子睡不着觉。', '环境保护'],
  ['杏林街道的公交站台没有遮雨棚，老人等车淋雨。', '交通运输'],
  ['杏滨街道路口红绿灯时间太短，行人过不去。', '交通运输'],
  ['灌口镇的学校门口放学时秩序混乱。', '教育文体'],
  ['后溪镇幼儿园学位紧张，孩子报不上名。', '教育文体'],
  ['集美街道一家工厂拖欠工人工资三个月。', '劳动和社会保障'],
  ['侨英街道退休人员养老金迟迟没有到账。', '劳动和社会保障'],
  ['杏林街道社区诊所周末不开门，看病要跑很远。', '卫生计生'],
  ['杏滨街道的医院挂号排队两小时。', '卫生计生'],
  ['灌口镇农贸市场缺斤短两，价格标签不清楚。', '商贸旅游'],
  ['后溪镇景区门票乱收费，游客意见很大。', '商贸旅游'],
  ['集美街道某路段路灯坏了半个月没人修。', '城乡建设'],
  ['侨英街道人行道井盖松动，晚上有人踩空。', '城乡建设'],
  ['杏林街道一个小区停水两天了，物业也不解释。', '城乡建设'],
  ['杏滨街道河道有排污口，水面发黑发臭。', '环境保护'],
  ['灌口镇村道上大货车太多，早晚严重拥堵。', '交通运输'],
  ['后溪镇体育馆长期关闭，希望对居民开放。', '教育文体'],
  ['集美街道社保卡补办要等一个月，太慢了。', '劳动和社会保障'],
  ['侨英街道疫苗接种点预约不上。', '卫生计生'],
];

let fake: FakeLlm | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await fake?.close();
  server = undefined;
  fake = undefined;
});

/** Every answer waits a little (a slow model); the first waits until all messages are accepted. */
function slowModel(answer: (body: ChatBody) => FakeReply, hold: Promise<void>): Behaviour & { billed: { prompt: number; completion: number } } {
  const billed = { prompt: 0, completion: 0 };
  const behave = (body: ChatBody, n: number): FakeReply => {
    const reply = answer(body);
    if (reply === 'hang') return reply;
    const usage = (reply.body as { usage?: { prompt_tokens: number; completion_tokens: number } }).usage;
    billed.prompt += usage?.prompt_tokens ?? 0;
    billed.completion += usage?.completion_tokens ?? 0;
    return { ...reply, delayMs: 50, ...(n === 0 ? { hold } : {}) };
  };
  return Object.assign(behave, { billed });
}

async function start(behaviour: Behaviour): Promise<TestServer> {
  fake = await startFakeLlm(behaviour);
  // Threshold 1: every item needs the model, whatever the local classifier thinks of it.
  server = await startTestServer({ env: { LLM_BASE_URL: fake.baseURL, LLM_MODEL: 'fake-model', LLM_LOCAL_CONFIDENCE: '1', LLM_BATCH_MAX: '8', WORKER_CONCURRENCY: '8' } });
  return server;
}

function postAll(s: TestServer): Promise<string[]> {
  return Promise.all(MESSAGES.map(([text], i) => post(s, text, `resident-${i}`)));
}

interface TokenRow { code: string; prompt_id: string | null; prompt_tokens: number | null; completion_tokens: number | null }
const tokenRows = (s: TestServer) =>
  s.runtime.sqlite.sqlite.prepare('select code, prompt_id, prompt_tokens, completion_tokens from records').all() as TokenRow[];

describe('LLM batching when the queue is deep', () => {
  it('sends waiting items together, files each record under its own text, and stores each item its share of the tokens', async () => {
    let release!: () => void;
    const model = slowModel(smartModel, new Promise<void>((r) => (release = r)));
    const s = await start(model);
    const ids = await postAll(s);
    release();
    await s.settle();

    const calls = fake!.requests;
    expect(calls.length).toBeLessThan(MESSAGES.length);
    expect(calls.some(isBatch)).toBe(true);
    for (const [i, id] of ids.entries()) {
      const recs = await recordsOfMessage(s, id);
      expect(recs).toHaveLength(1);
      expect({ text: MESSAGES[i]![0], category: recs[0]!.categoryName, source: recs[0]!.categorySource })
        .toEqual({ text: MESSAGES[i]![0], category: MESSAGES[i]![1], source: 'llm' });
    }
    const rows = tokenRows(s);
    expect(rows).toHaveLength(MESSAGES.length);
    expect(rows.every((r) => (r.prompt_tokens ?? 0) > 0 && (r.completion_tokens ?? 0) > 0)).toBe(true);
    expect(rows.some((r) => r.prompt_id === 'classify-batch')).toBe(true);
    // Apportioned, not copied: the records' tokens add up to what the model billed.
    expect(rows.reduce((a, r) => a + r.prompt_tokens!, 0)).toBe(model.billed.prompt);
    expect(rows.reduce((a, r) => a + r.completion_tokens!, 0)).toBe(model.billed.completion);
    const batched = rows.filter((r) => r.prompt_id === 'classify-batch').map((r) => r.prompt_tokens!);
    const single = rows.filter((r) => r.prompt_id === 'classify').map((r) => r.prompt_tokens!);
    if (single.length) expect(Math.max(...batched)).toBeLessThan(Math.min(...single));
    console.info('[llm batch]', JSON.stringify({ items: MESSAGES.length, calls: calls.length, batchedItems: batched.length,
      promptPerBatchedItem: Math.round(batched.reduce((a, b) => a + b, 0) / batched.length), promptPerSingleItem: single.length ? Math.round(single.reduce((a, b) => a + b, 0) / single.length) : null }));
  });

  it('files every record correctly when a batch answer drops an item, names an unknown id, repeats an id or is out of order', async () => {
    let release!: () => void;
    const unruly = (body: ChatBody): FakeReply => {
      if (!isBatch(body)) return smartModel(body);
      const { results } = batchAnswer(body);
      const [dropped, repeated, ...rest] = results;
      const wrong = (r: { id: string; items: Record<string, unknown>[] }) => ({ ...r, items: r.items.map((i) => ({ ...i, category: '16' })) });
      const garbled = [
        { id: 'm99', items: dropped?.items ?? [] }, // an id nobody asked about
        ...(repeated ? [repeated, wrong(repeated)] : []), // named twice, answers disagree
        ...rest.reverse(), // position means nothing
      ];
      return completion(JSON.stringify({ results: garbled }), body);
    };
    const model = slowModel(unruly, new Promise<void>((r) => (release = r)));
    const s = await start(model);
    const ids = await postAll(s);
    release();
    await s.settle();

    const batches = fake!.requests.filter(isBatch).length;
    expect(batches).toBeGreaterThan(0);
    // The dropped and the repeated entry of every batch were asked again alone.
    expect(fake!.requests.length - batches).toBeGreaterThanOrEqual(2 * batches);
    for (const [i, id] of ids.entries()) {
      const recs = await recordsOfMessage(s, id);
      expect(recs).toHaveLength(1);
      expect({ text: MESSAGES[i]![0], category: recs[0]!.categoryName, source: recs[0]!.categorySource })
        .toEqual({ text: MESSAGES[i]![0], category: MESSAGES[i]![1], source: 'llm' });
    }
    expect(tokenRows(s)).toHaveLength(MESSAGES.length);
  });
});
