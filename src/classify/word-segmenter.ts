/**
 * Forward maximum matching against the training vocabulary, so raw text yields the same words as the
 * publisher's jieba-segmented training text. Pure (no node: imports): it runs on Workers too.
 *
 * Written by hand: the maintained JS segmenters either ship a multi-megabyte dictionary (nodejieba is a
 * native addon; jieba-wasm ~5 MB wasm + dict) or are unmaintained, and we only need to recover words the
 * model already knows — a word it never saw carries no weight, so a small, training-derived dictionary
 * and greedy longest match lose nothing that matters to the classifier.
 */
import type { NgramIndex } from './text-features.js';

/** Words longer than this are not matched (99.3% of the training tokens are ≤ 4 characters). */
export const MAX_WORD = 4;

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff]+/g;

/**
 * Visits the vocabulary id of each word found by longest match within runs of Chinese characters.
 * Characters that start no known word are skipped, which drops the stop words the publisher removed
 * (的, 了, 我们 …): they are not in the vocabulary.
 */
export function forEachWord(text: string, words: NgramIndex, visit: (id: number) => void): void {
  for (const match of text.matchAll(CJK_RUN)) {
    const run = match[0];
    const length = run.length;
    let start = 0;
    while (start < length) {
      let n = Math.min(MAX_WORD, length - start);
      let id = -1;
      for (; n >= 1; n--) {
        id = words.lookup(run, start, n);
        if (id >= 0) break;
      }
      if (id >= 0) {
        visit(id);
        start += n;
      } else {
        start++;
      }
    }
  }
}
