import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { districtFromSeed } from '../src/core/district.js';
import { itemsByPlace } from '../src/core/enumerated-items.js';
import { buildResolver } from '../src/core/gazetteer.js';
import { startFakeLlm, type FakeLlm } from './fakes/fake-llm-server.js';
import { smartModel } from './fakes/fake-llm-model.js';
import { postAndSettle, startTestServer, type TestServer } from './support/runtime.js';

const resolve = buildResolver(districtFromSeed(JSON.parse(readFileSync(new URL('../db/seed/district-350211.json', import.meta.url), 'utf8'))));

/** A member lists several residents' problems in one message: one record per place, without an LLM. */
describe('a numbered list of problems in different places', () => {
  it('is cut into its items, numbers and separators off, whatever the notation', () => {
    expect(itemsByPlace('居民反映两个问题：1. 灌口镇深青村路灯坏了；2. 后溪镇溪西村垃圾没人清运。', resolve))
      .toEqual(['灌口镇深青村路灯坏了', '后溪镇溪西村垃圾没人清运。']);
    expect(itemsByPlace('1、深青村路灯坏了\n2、田头村垃圾没人清运\n3、后溪镇溪西村河道发臭', resolve))
      .toEqual(['深青村路灯坏了', '田头村垃圾没人清运', '后溪镇溪西村河道发臭']);
    expect(itemsByPlace('①杏林街道杏北社区污水横流 ②侨英街道孙厝社区公交站没有雨棚', resolve)).toHaveLength(2);
    expect(itemsByPlace('一、灌口镇黄庄社区电梯坏了。二、集美街道岑东社区广场舞扰民。', resolve)).toHaveLength(2);
    expect(itemsByPlace('第一，灌口镇深青村路灯坏了；第二，后溪镇溪西村垃圾没人清运', resolve)).toHaveLength(2);
    expect(itemsByPlace('（1）深青村路灯坏了 （2）杏林街道杏北社区污水横流', resolve)).toHaveLength(2);
    expect(itemsByPlace('1）深青村路灯坏了\n2）杏林街道杏北社区污水横流', resolve)).toEqual(['深青村路灯坏了', '杏林街道杏北社区污水横流']);
    expect(itemsByPlace('（一）深青村路灯坏了。（二）杏林街道杏北社区污水横流。', resolve)).toEqual(['深青村路灯坏了。', '杏林街道杏北社区污水横流。']);
  });

  it('puts the words before the list in front of each item when the items need them', () => {
    expect(itemsByPlace('以下路段路灯不亮：1、深青村村口那段 2、后溪镇溪西村小学旁边', resolve))
      .toEqual(['以下路段路灯不亮：深青村村口那段', '以下路段路灯不亮：后溪镇溪西村小学旁边']);
    expect(itemsByPlace('您好，居民反映以下两个问题：1、灌口镇深青村路灯坏了 2、后溪镇溪西村垃圾没人清运', resolve))
      .toEqual(['灌口镇深青村路灯坏了', '后溪镇溪西村垃圾没人清运']);
    // Words naming a place stay out of the items: every item would name two places.
    expect(itemsByPlace('我是深青村的村民，反映两件事：1、深青村路灯坏了 2、后溪镇溪西村垃圾没人清运', resolve))
      .toEqual(['深青村路灯坏了', '后溪镇溪西村垃圾没人清运']);
    // Places under one problem: one record per place, each saying what is wrong there.
    expect(itemsByPlace('以下几个村的路灯都坏了：1、深青村 2、田头村 3、后溪镇溪西村', resolve))
      .toEqual(['以下几个村的路灯都坏了：深青村', '以下几个村的路灯都坏了：田头村', '以下几个村的路灯都坏了：后溪镇溪西村']);
  });

  it('stays whole when its items share a place or name none: one complaint told point by point', () => {
    expect(itemsByPlace('深青村的问题：1、路灯坏了 2、垃圾没人清运', resolve)).toEqual([]);
    expect(itemsByPlace('1、深青村路灯坏了 2、深青村垃圾没人清运', resolve)).toEqual([]);
    expect(itemsByPlace('违反了以下规定：1、住宅建筑电气设计规范 2、中小学校校园环境管理规定', resolve)).toEqual([]);
    // Only places, and nothing before them says what is wrong there.
    expect(itemsByPlace('居民反映：1、深青村 2、田头村 3、后溪镇溪西村', resolve)).toEqual([]);
    // One item names no place: it cannot be filed on its own.
    expect(itemsByPlace('1. 灌口镇深青村路灯坏了 2. 还有垃圾也没人清运', resolve)).toEqual([]);
  });

  it('reads no list into numbers inside sentences or out of order', () => {
    expect(itemsByPlace('灌口镇深青村路灯坏了，已经1.5个月了；后溪镇溪西村也是', resolve)).toEqual([]);
    expect(itemsByPlace('3、4月份灌口镇深青村一直停水，2、后溪镇也是', resolve)).toEqual([]);
    expect(itemsByPlace('1. 灌口镇深青村路灯坏了 3. 后溪镇溪西村垃圾没人清运', resolve)).toEqual([]);
    expect(itemsByPlace('1. 灌口镇深青村路灯坏了 (2) 后溪镇溪西村垃圾没人清运', resolve)).toEqual([]);
  });
});

describe('filing a numbered list on the embedded default', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('files one record per place, each with its own receipt, instead of asking which town', async () => {
    const msg = await postAndSettle(s, '居民反映两个问题：1. 灌口镇深青村路灯坏了，晚上很黑；2. 后溪镇溪西村垃圾没人清运，臭气熏天。');
    expect(msg.state).toBe('done');
    expect(msg.replies.map((r) => r.kind)).toEqual(['receipt', 'receipt']);
    const codes = msg.replies.map((r) => /编号：(\S+)/.exec(r.text)![1]!);
    const records = await Promise.all(codes.map(async (code) => ((await (await s.api(`/api/records/${code}`)).json()) as { record: { townName: string; place: string; summary: string } }).record));
    expect(records.map((r) => [r.townName, r.place])).toEqual([['灌口镇', '深青村'], ['后溪镇', '溪西村']]);
    expect(records[0]!.summary).toContain('路灯坏了');
    expect(records[0]!.summary).not.toContain('垃圾');
    expect(records[1]!.summary).toMatch(/^后溪镇溪西村垃圾没人清运/);
  });

  it('keeps a list of one complaint’s points as one record', async () => {
    const msg = await postAndSettle(s, '杏林街道杏北社区农贸市场的问题：1、污水横流 2、摊贩占道经营');
    expect(msg.replies.map((r) => r.kind)).toEqual(['receipt']);
    expect(msg.replies[0]!.text).toContain('杏林街道 · 杏北社区');
  });
});

describe('filing a numbered list with a model configured', () => {
  let fake: FakeLlm;
  let s: TestServer;
  beforeAll(async () => {
    fake = await startFakeLlm(smartModel);
    s = await startTestServer({ env: { LLM_BASE_URL: fake.baseURL, LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  it('cuts the list as listed: the model is not asked to split a short message the local classifier is sure of', async () => {
    const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: '1、灌口镇深青村路灯坏了，晚上很黑\n2、后溪镇溪西村垃圾没人清运，臭气熏天', sender: { id: 'member-1' } }) });
    const { id } = (await res.json()) as { id: string };
    await s.settle();
    const msg = (await (await s.api(`/api/messages/${id}`)).json()) as { replies: Array<{ kind: string; text: string }> };
    expect(msg.replies.map((r) => r.kind)).toEqual(['receipt', 'receipt']);
    expect(msg.replies.map((r) => /镇街：(\S+)/.exec(r.text)?.[1])).toEqual(['灌口镇', '后溪镇']);
    // Items the local classifier is unsure of may still be classified by the model, one by one; never the whole list.
    expect(fake.requests.filter((b) => JSON.stringify(b).includes('深青村') && JSON.stringify(b).includes('溪西村'))).toEqual([]);
  });
});
