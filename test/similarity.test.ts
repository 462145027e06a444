import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../src/core/masking.js';
import {
  DEFAULT_DEDUPE_THRESHOLD,
  decodeFingerprint,
  fingerprint,
  similarity,
  similarityBound,
  similarityDecoded,
  SketchTable,
  sketchMask,
} from '../src/core/similarity.js';

const sim = (a: string, b: string): number => similarity(fingerprint(a), fingerprint(b));

const LAMP = '幸福路12号楼下的路灯坏了两周了，晚上很黑';

// Same problem, told by two residents in their own words.
const SAME: Array<[string, string]> = [
  [LAMP, '幸福路12号楼下路灯坏了快半个月，晚上出门看不见'],
  ['天凤路那家烧烤店油烟很大，熏得楼上住户不敢开窗', '天凤路烧烤店油烟太大了，楼上的住户窗户都不敢开'],
  ['侨英街道凤林社区小区电梯经常困人，物业不管', '凤林社区小区电梯老是困人，物业也不处理，侨英街道'],
  ['兑山村村口的排水沟堵了，一下雨就积水淹到路面', '兑山村村口排水沟堵塞，下雨积水漫到马路上'],
  ['后溪镇城内村的自来水这几天一直是黄的，不敢喝', '城内村自来水发黄好几天了，后溪镇这边村民都不敢喝'],
];

// Same topic or same place, different problem.
const DIFFERENT: Array<[string, string]> = [
  [LAMP, '湖滨南路公交站旁的路灯一到晚上就闪，很晃眼'],
  [LAMP, '幸福路12号楼下的垃圾桶满了没人清理'],
  ['天凤路那家烧烤店油烟很大，熏得楼上住户不敢开窗', '天凤路烧烤店半夜营业，喝酒喧哗吵得睡不着'],
  ['侨英街道凤林社区小区电梯经常困人，物业不管', '凤林社区小区物业费涨价没有开业主大会'],
  ['后溪镇城内村的自来水这几天一直是黄的，不敢喝', '后溪镇城内村经常停水，一停就是一整天'],
];

describe('similarity', () => {
  it('is 1 for identical messages', () => {
    expect(sim(LAMP, LAMP)).toBe(1);
  });

  it('ignores punctuation, spaces, digits and letter width', () => {
    expect(sim('幸福路12号楼下的路灯坏了！！', '幸福路 8 号楼下的路灯坏了。')).toBe(1);
    expect(sim('ＷｉＦｉ信号差', 'wifi信号差')).toBe(1);
  });

  it.each(SAME)('treats a rewording as the same problem: %s / %s', (a, b) => {
    expect(sim(a, b)).toBeGreaterThanOrEqual(DEFAULT_DEDUPE_THRESHOLD);
  });

  it.each(DIFFERENT)('keeps different problems apart: %s / %s', (a, b) => {
    expect(sim(a, b)).toBeLessThan(DEFAULT_DEDUPE_THRESHOLD);
  });

  it('is not fooled by the boilerplate every complaint shares', () => {
    const a = '尊敬的领导您好，反映一个问题，希望相关部门尽快解决：印斗路菜市场垃圾桶没人清运。谢谢！';
    const b = '尊敬的领导您好，反映一个问题，希望相关部门尽快解决：灌口中学门口没有斑马线。谢谢！';
    expect(sim(a, b)).toBeLessThan(DEFAULT_DEDUPE_THRESHOLD);
  });

  it('is unaffected by masking: the same report with and without personal data matches fully', () => {
    const raw = '杏林街道3号楼502室王女士（电话13812345678）反映楼下闽D·12345长期占用消防通道';
    const masked = maskPersonalData(raw, { houseNumbers: true }).text;
    const otherCaller = '杏林街道3号楼***室王女士（电话139****4321）反映楼下闽D·***88长期占用消防通道';
    expect(sim(raw, masked)).toBe(1);
    expect(sim(masked, otherCaller)).toBe(1);
  });

  it('is symmetric', () => {
    for (const [a, b] of [...SAME, ...DIFFERENT]) expect(sim(a, b)).toBe(sim(b, a));
  });

  it('never treats empty or punctuation-only messages as duplicates', () => {
    expect(sim('', '')).toBe(0);
    expect(sim('', LAMP)).toBe(0);
    expect(sim('。。。123', '！！！456')).toBe(0);
    expect(sim('好', '好')).toBe(0);
  });

  it('returns 0 for fingerprints it does not understand instead of throwing', () => {
    expect(similarity('', fingerprint(LAMP))).toBe(0);
    expect(similarity('not a fingerprint', fingerprint(LAMP))).toBe(0);
  });
});

describe('fingerprint', () => {
  it('is a compact printable string that fits a TEXT column', () => {
    const long = '集美区杏林街道幸福路一带的路灯、井盖、绿化、垃圾清运和违章停车问题长期得不到解决，'.repeat(40);
    const fp = fingerprint(long);
    expect(fp).toMatch(/^[-0-9A-Za-z_]+$/);
    expect(fp.length).toBeLessThanOrEqual(1 + 128 * 4);
  });

  it('is deterministic', () => {
    expect(fingerprint(LAMP)).toBe(fingerprint(LAMP));
  });

  it('still estimates similarity well for long messages', () => {
    const base = '侨英街道凤林社区的小区电梯经常困人，物业公司一直推脱不管，老人孩子上下楼很不方便，也很危险。';
    const longA = `${base.repeat(3)}我们已经多次向社区反映，请区里督促物业维修。`;
    const longB = `${base.repeat(3)}请市场监管部门检查电梯维保记录，督促物业尽快更换。`;
    expect(sim(longA, longB)).toBeGreaterThan(0.5);
  });
});

describe('decoded fingerprints', () => {
  it('give exactly the same similarity as the stored strings', () => {
    for (const [a, b] of [...SAME, ...DIFFERENT, [LAMP, LAMP] as [string, string]]) {
      const fa = fingerprint(a);
      const fb = fingerprint(b);
      expect(similarityDecoded(decodeFingerprint(fa), decodeFingerprint(fb))).toBe(similarity(fa, fb));
    }
  });

  it('decode empty or foreign input to nothing', () => {
    expect(decodeFingerprint('').length).toBe(0);
    expect(similarityDecoded(decodeFingerprint(''), decodeFingerprint(fingerprint(LAMP)))).toBe(0);
  });
});

describe('the mask bound', () => {
  const bound = (a: string, b: string) => {
    const da = decodeFingerprint(fingerprint(a));
    const db = decodeFingerprint(fingerprint(b));
    return { bound: similarityBound(da.length, sketchMask(da), db.length, sketchMask(db)), exact: similarityDecoded(da, db) };
  };

  it('is never below the similarity, so no duplicate is skipped', () => {
    for (const [a, b] of [...SAME, ...DIFFERENT, [LAMP, LAMP] as [string, string]]) {
      const r = bound(a, b);
      expect(r.bound).toBeGreaterThanOrEqual(r.exact);
    }
    // Random texts over a small alphabet share many bigrams: the hard case for the bound.
    const text = fc.array(fc.constantFrom(...'路灯坏了积水小区物业电梯噪音油烟垃圾停车'), { minLength: 0, maxLength: 400 }).map((cs) => cs.join(''));
    fc.assert(fc.property(text, text, (a, b) => {
      const r = bound(a, b);
      expect(r.bound).toBeGreaterThanOrEqual(r.exact);
    }), { numRuns: 500 });
  });

  it('rules out unrelated complaints below the related-record floor', () => {
    const unrelated = bound(LAMP, '后溪镇城内村经常停水，一停就是一整天');
    expect(unrelated.exact).toBe(0);
    expect(unrelated.bound).toBeLessThan(DEFAULT_DEDUPE_THRESHOLD * 0.6);
  });
});

describe('the sketch table', () => {
  const decoded = (t: string) => decodeFingerprint(fingerprint(t));

  it('gives each row the bound of the sketch in the same place of the list, as rows are added front and back', () => {
    const texts = [...SAME.flat(), ...DIFFERENT.flat(), LAMP];
    const table = new SketchTable(5);
    const list: Uint32Array[] = [];
    table.push(decoded(texts[0]!));
    list.push(decoded(texts[0]!));
    for (const t of texts.slice(1)) {
      table.unshift(decoded(t));
      list.unshift(decoded(t));
      if (list.length > 5) list.length = 5;
      expect(table.length).toBe(list.length);
      for (const q of [LAMP, texts[0]!, t]) {
        const query = decoded(q);
        const mask = sketchMask(query);
        list.forEach((row, i) => expect(table.bound(i, query.length, mask)).toBe(similarityBound(query.length, mask, row.length, sketchMask(row))));
      }
    }
  });

  it('refuses a row past its capacity at the back', () => {
    const table = new SketchTable(1);
    table.push(decoded(LAMP));
    expect(() => table.push(decoded(LAMP))).toThrow(RangeError);
  });
});
