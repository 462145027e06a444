import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NON_CJK, normalizeText, STOP_PATTERN } from '../src/classify/text-features.js';

/** The rule as the model was trained with it: the hand-written scan must give the very same features. */
const byPattern = (text: string) => text.replace(NON_CJK, '').replace(STOP_PATTERN, '');

describe('normalizeText', () => {
  it('keeps Chinese characters and drops stop words and stop characters, longest stop word first', () => {
    expect(normalizeText('为什么我们小区的路灯，不亮？What 123')).toBe('小区路灯亮');
    expect(normalizeText('综上所述')).toBe('');
    // A stop word that spans punctuation is matched on the Chinese characters alone.
    expect(normalizeText('我，们的路')).toBe('路');
  });

  it('gives what the two patterns give, on any mix of stop words, Chinese, punctuation and emoji', () => {
    const pieces = fc.oneof(
      fc.constantFrom('我们', '什么时候', '为什么', '什么', '时候', '综上所述', '一方面', '的', '了', '不', '人民', '个人'),
      fc.constantFrom('路', '灯', '小', '区', '积', '水', '垃', '圾', '㐀', '鿿', '一'),
      fc.constantFrom('，', '。', ' ', '\n', 'a', '1', '😀', '\ud800', '〇'),
    );
    fc.assert(fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      expect(normalizeText(text)).toBe(byPattern(text));
    }), { numRuns: 2000 });
  });

  it('handles a message longer than its scratch buffer', () => {
    const long = '我们小区路灯坏了，'.repeat(2000);
    expect(normalizeText(long)).toBe(byPattern(long));
  });
});
