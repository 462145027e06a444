/**
 * Forward maximum matching against the training vocabulary, so raw text yields the same words as the
 * publisher's jieba-segmented training text. Pure (no node: imports): it runs on Workers too.
 *
 * Written by hand: the JS segmenters we know of ship a full jieba dictionary of several MB, need a
 * native addon (nodejieba) or wasm, or are unmaintained; and we only need to recover words the model
 * already knows — a word it never saw carries no weight, so a small, training-derived dictionary and
 * greedy longest match lose nothing that matters to the classifier.
 */
import type { NgramIndex } from './text-features.js';

/** Words longer than this are not matched (99.3% of the training tokens are ≤ 4 characters). */
export const MAX_WORD = 4;

const isCjk = (code: number) => (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf);

/**
 * Visits the vocabulary id of each word found by longest match within runs of Chinese characters.
 * Characters that start no known word are skipped, which drops the stop words the publisher removed
 * (的, 了, 我们 …): they are not in the vocabulary. A manual scan, not a regex: this is the hot path.
 */
export function forEachWord(text: string, words: NgramIndex, visit: (id: number) => void): void {
  const length = text.length;
  let start = 0;
  let runEnd = 0;
  while (start < length) {
    if (start >= runEnd) {
      if (!isCjk(text.charCodeAt(start))) {
        start++;
        continue;
      }
      runEnd = start + 1;
      while (runEnd < length && isCjk(text.charCodeAt(runEnd))) runEnd++;
    }
    let n = Math.min(MAX_WORD, runEnd - start);
    let id = -1;
    for (; n >= 1; n--) {
      id = words.lookup(text, start, n);
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

/** Word ids are stored as one UTF-16 code each (id + 1, so never 0) below the surrogate range. */
export const MAX_DICTIONARY_WORDS = 0xd7ff - 1;
const WHITESPACE = /\s/;
const WHITESPACE_ALL = /\s+/g;

/**
 * The words of `text` as a string of units (one code per dictionary word, id + 1), so word uni/bigrams
 * are looked up like character n-grams. Whitespace is removed first: segmented training text and raw
 * text then go through the same longest match.
 */
export function wordUnits(text: string, dictionary: NgramIndex): string {
  const codes: number[] = [];
  forEachWord(WHITESPACE.test(text) ? text.replace(WHITESPACE_ALL, '') : text, dictionary, (id) => codes.push(id + 1));
  let out = '';
  // Chunked: String.fromCharCode with a spread hits the argument limit on very long messages.
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}
