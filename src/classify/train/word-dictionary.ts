/** The segmentation dictionary of the word block: the publisher's jieba tokens, seen in ≥ 2 training texts. */
import { NgramIndex } from '../text-features.js';
import { MAX_DICTIONARY_WORDS, MAX_WORD } from '../word-segmenter.js';

const NON_CJK = /[^\u3400-\u4dbf\u4e00-\u9fff]/g;

export interface WordDictionary {
  readonly words: string[];
  readonly index: NgramIndex;
}

/**
 * Tokens are reduced to their Chinese characters (the training text keeps e.g. "A1"; the features drop
 * it). Most frequent first, ties by code point, so the file is stable across runs.
 */
export function buildWordDictionary(segmentedTexts: readonly string[], minCount = 2): WordDictionary {
  const counts = new Map<string, number>();
  for (const text of segmentedTexts) {
    for (const token of text.split(' ')) {
      const word = token.replace(NON_CJK, '');
      if (word !== '' && word.length <= MAX_WORD) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const words = [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_DICTIONARY_WORDS)
    .map(([word]) => word);
  return { words, index: new NgramIndex(words) };
}

/** A word-block feature (word-id units) as the model file stores it: word or word|word. */
export function unitsToWords(units: string, dictionary: WordDictionary, joiner: string): string {
  return Array.from(units, (unit) => dictionary.words[unit.charCodeAt(0) - 1]!).join(joiner);
}
