import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsByAddition } from '../src/core/added-items.js';
import { districtFromSeed } from '../src/core/district.js';
import { buildResolver } from '../src/core/gazetteer.js';
import { postAndSettle, startTestServer, type TestServer } from './support/runtime.js';

const resolve = buildResolver(districtFromSeed(JSON.parse(readFileSync(new URL('../db/seed/district-350211.json', import.meta.url), 'utf8'))));

/** A member adds a problem at another place with 「另外」: one record per place, without an LLM. */
describe('a problem added elsewhere with 另外, 此外, 还有', () => {
  it('is cut at the word, which is not kept', () => {
    expect(itemsByAddition('灌口镇深青村路灯坏了好几天。另外，后溪镇溪西村垃圾没人清运。', resolve))
      .toEqual(['灌口镇深青村路灯坏了好几天。', '后溪镇溪西村垃圾没人清运。']);
    expect(itemsByAddition('居民反映：灌口镇深青村路灯坏了，另外后溪镇溪西村垃圾没人清运', resolve))
      .toEqual(['居民反映：灌口镇深青村路灯坏了', '后溪镇溪西村垃圾没人清运']);
    expect(itemsByAddition('深青村路灯坏了\n还有田头村的下水道堵了\n此外杏北社区广场舞太吵', resolve))
      .toEqual(['深青村路灯坏了', '田头村的下水道堵了', '杏北社区广场舞太吵']);
  });

  it('keeps a sentence that names no town with the problem before it', () => {
    expect(itemsByAddition('灌口镇深青村路灯坏了。还有，杏林街道杏北社区污水横流，臭气熏天。另外这个问题反映好几次了。', resolve))
      .toEqual(['灌口镇深青村路灯坏了。', '杏林街道杏北社区污水横流，臭气熏天。另外这个问题反映好几次了。']);
  });

  it('stays whole when the added words are no problem of their own, or of no other place', () => {
    // Leans on the problem before it: filed alone, the record would not say what is wrong.
    expect(itemsByAddition('灌口镇深青村路灯坏了。另外，后溪镇溪西村也是。', resolve)).toEqual([]);
    expect(itemsByAddition('灌口镇深青村路灯坏了。另外，后溪镇溪西村也一样，晚上很黑。', resolve)).toEqual([]);
    // One place: one complaint's two points stay one record.
    expect(itemsByAddition('灌口镇深青村路灯坏了。另外，深青村垃圾没人清运。', resolve)).toEqual([]);
    // The first words name no place: 「路灯坏了」 could not be filed anywhere on its own.
    expect(itemsByAddition('路灯坏了。另外，后溪镇溪西村垃圾没人清运。', resolve)).toEqual([]);
  });

  it('reads no added problem into another town merely mentioned', () => {
    // A new paragraph or 「，还有」 naming another town goes on with the same problem; the resolver then asks.
    expect(itemsByAddition('灌口镇深青村养猪场臭气熏天。\n后溪镇溪西村的村民也受影响。', resolve)).toEqual([]);
    expect(itemsByAddition('灌口镇深青村养猪场臭气熏天，还有后溪镇溪西村的村民晚上睡不着。', resolve)).toEqual([]);
    expect(itemsByAddition('另外还有一件事，灌口镇深青村路灯坏了', resolve)).toEqual([]);
    // The town comes late in the sentence: said of the same problem, not a new one there.
    expect(itemsByAddition('灌口镇深青村养猪场臭气熏天。还有，我们向后溪镇政府反映过，没人管。', resolve)).toEqual([]);
    // Another 村 affected by the same farm.
    expect(itemsByAddition('灌口镇深青村养猪场臭气熏天。另外，我们溪西村也受影响，晚上睡不着。', resolve)).toEqual([]);
    // A town, then a 村 of it: perhaps one place told twice.
    expect(itemsByAddition('灌口镇养猪场臭气熏天。另外，深青村垃圾没人清运。', resolve)).toEqual([]);
    // 其次 orders one complaint's reasons.
    expect(itemsByAddition('灌口镇深青村路灯坏了。其次，后溪镇溪西村垃圾没人清运。', resolve)).toEqual([]);
  });

  it('opens an item with a place a word or two into the sentence, and two 村 of one town are two places', () => {
    expect(itemsByAddition('灌口镇深青村路灯坏了。另外，我们后溪镇溪西村垃圾没人清运。', resolve))
      .toEqual(['灌口镇深青村路灯坏了。', '我们后溪镇溪西村垃圾没人清运。']);
    expect(itemsByAddition('深青村路灯坏了。另外，田头村垃圾没人清运。', resolve)).toEqual(['深青村路灯坏了。', '田头村垃圾没人清运。']);
  });
});

describe('filing a problem added elsewhere on the embedded default', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('files one record per place, each with its own receipt, instead of asking which town', async () => {
    const msg = await postAndSettle(s, '灌口镇深青村路灯坏了，晚上很黑。另外，后溪镇溪西村垃圾没人清运，臭气熏天。');
    expect(msg.state).toBe('done');
    expect(msg.replies.map((r) => r.kind)).toEqual(['receipt', 'receipt']);
    const codes = msg.replies.map((r) => /编号：(\S+)/.exec(r.text)![1]!);
    const records = await Promise.all(codes.map(async (code) => ((await (await s.api(`/api/records/${code}`)).json()) as { record: { townName: string; place: string; summary: string } }).record));
    expect(records.map((r) => [r.townName, r.place])).toEqual([['灌口镇', '深青村'], ['后溪镇', '溪西村']]);
    expect(records[0]!.summary).not.toContain('垃圾');
    expect(records[1]!.summary).not.toContain('另外');
  });
});
