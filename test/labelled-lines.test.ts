import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { districtFromSeed } from '../src/core/district.js';
import { buildResolver } from '../src/core/gazetteer.js';
import { itemsByLabel } from '../src/core/labelled-lines.js';
import { postAndSettle, startTestServer, type TestServer } from './support/runtime.js';

const resolve = buildResolver(districtFromSeed(JSON.parse(readFileSync(new URL('../db/seed/district-350211.json', import.meta.url), 'utf8'))));

/** A member lists problems line by line, each line opening with its place: one record per place, without an LLM. */
describe('lines that each open with a place and a colon', () => {
  it('are cut line by line; an unlabelled line goes on with the item above it', () => {
    expect(itemsByLabel('深青村：路灯坏了\n后溪镇溪西村：垃圾没人清运', resolve)).toEqual(['深青村：路灯坏了', '后溪镇溪西村：垃圾没人清运']);
    expect(itemsByLabel('【灌口镇深青村】路灯坏了\n【后溪镇溪西村】垃圾没人清运', resolve)).toEqual(['【灌口镇深青村】路灯坏了', '【后溪镇溪西村】垃圾没人清运']);
    expect(itemsByLabel('居民反映以下问题：\n深青村：路灯坏了，晚上很黑\n老人出门不方便\n溪西村: 垃圾没人清运', resolve))
      .toEqual(['深青村：路灯坏了，晚上很黑\n老人出门不方便', '溪西村: 垃圾没人清运']);
  });

  it('puts a heading that says what is wrong in front of each item', () => {
    expect(itemsByLabel('以下几个村路灯不亮：\n深青村：村口那段\n溪西村：小学旁边', resolve))
      .toEqual(['以下几个村路灯不亮：深青村：村口那段', '以下几个村路灯不亮：溪西村：小学旁边']);
  });

  it('stays whole unless each label is a place, the places lie apart and each line says what is wrong', () => {
    // A label that says more than where.
    expect(itemsByLabel('深青村村民反映：路灯坏了\n溪西村村民反映：垃圾没人清运', resolve)).toEqual([]);
    // One place; a town and one of its 村; a line leaning on the one above.
    expect(itemsByLabel('深青村：路灯坏了\n深青村：垃圾没人清运', resolve)).toEqual([]);
    expect(itemsByLabel('灌口镇：路灯坏了\n深青村：垃圾没人清运', resolve)).toEqual([]);
    expect(itemsByLabel('深青村：路灯坏了\n溪西村：也是', resolve)).toEqual([]);
    // Words before the first place that are no heading: a problem of their own, with no place.
    expect(itemsByLabel('路灯坏了好久了\n深青村：路灯坏了\n溪西村：垃圾没人清运', resolve)).toEqual([]);
    // A form's fields, not places.
    expect(itemsByLabel('地址：灌口镇深青村\n问题：路灯坏了', resolve)).toEqual([]);
    expect(itemsByLabel('【紧急】深青村路灯坏了\n【求助】溪西村垃圾没人清运', resolve)).toEqual([]);
  });
});

describe('filing lines labelled with places on the embedded default', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('files one record per place, each with its own receipt, instead of asking which town', async () => {
    const msg = await postAndSettle(s, '居民反映以下问题：\n灌口镇深青村：路灯坏了，晚上很黑\n后溪镇溪西村：垃圾没人清运，臭气熏天');
    expect(msg.replies.map((r) => r.kind)).toEqual(['receipt', 'receipt']);
    expect(msg.replies.map((r) => /镇街：(.+)/.exec(r.text)?.[1])).toEqual(['灌口镇 · 深青村', '后溪镇 · 溪西村']);
    expect(msg.replies[1]!.text).not.toContain('路灯');
  });
});
