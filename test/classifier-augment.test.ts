import { describe, expect, it } from 'vitest';
import { withSpanCut, withTokenDrop } from '../src/classify/train/augment.js';

const text = '小区 门口 垃圾 堆放 多日 无人 清理 臭味 影响 居民 生活';

describe('augmented training copies (tune.ts aug)', () => {
  it('a span cut removes one run of the tokens and keeps the rest in order', () => {
    const [copy] = withSpanCut([text], 0.3, 7);
    const tokens = text.split(' ');
    const kept = copy!.split(' ');
    expect(kept).toHaveLength(tokens.length - Math.floor(tokens.length * 0.3));
    const differs = kept.findIndex((t, i) => t !== tokens[i]);
    const start = differs === -1 ? kept.length : differs;
    const cut = tokens.length - kept.length;
    expect([...tokens.slice(0, start), ...tokens.slice(start + cut)]).toEqual(kept);
  });

  it('the same seed gives the same copies, so a tuning run can be repeated', () => {
    const texts = [text, '公交车 站台 破损 雨天 无法 候车', '学校 食堂 价格 过高'];
    expect(withSpanCut(texts, 0.5, 1)).toEqual(withSpanCut(texts, 0.5, 1));
    expect(withTokenDrop(texts, 0.3, 1)).toEqual(withTokenDrop(texts, 0.3, 1));
  });

  it('token drop keeps only tokens of the text, in order', () => {
    const [copy] = withTokenDrop([text], 0.5, 3);
    const tokens = text.split(' ');
    let at = 0;
    for (const t of copy!.split(' ').filter(Boolean)) {
      at = tokens.indexOf(t, at) + 1;
      expect(at).toBeGreaterThan(0);
    }
  });
});
