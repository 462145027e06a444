/** Builds the n-gram vocabulary and idf table from training texts. */
import { IDF_BYTE_STEPS } from '../local-classifier.js';
import { forEachNgram, NgramIndex, type NgramSpec } from '../text-features.js';

export interface Vocabulary {
  readonly grams: string[];
  readonly index: NgramIndex;
  /** Quantised as the model file stores it, so the committed model reproduces training features exactly. */
  readonly idf: Float64Array;
}

/**
 * Keeps n-grams seen in at least `minDf` texts; a rarer n-gram cannot generalise and costs model bytes.
 * `units` are the texts already turned into feature units (normalised characters or word-id units).
 */
export function buildVocabulary(units: readonly string[], spec: NgramSpec, minDf: number): Vocabulary {
  const df = new Map<string, number>();
  for (const text of units) {
    const seen = new Set<string>();
    forEachNgram(text, spec, (gram) => seen.add(gram));
    for (const gram of seen) df.set(gram, (df.get(gram) ?? 0) + 1);
  }
  const kept = [...df].filter(([, count]) => count >= minDf);
  // Sorted so the model file is stable across runs (Map order follows the data order otherwise).
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const n = units.length;
  const grams = kept.map(([gram]) => gram);
  const idf = Float64Array.from(kept, ([, count]) => quantizeIdf(Math.log((1 + n) / (1 + count)) + 1));
  return { grams, index: new NgramIndex(grams), idf };
}

export function quantizeIdf(value: number): number {
  return Math.round(value * IDF_BYTE_STEPS) / IDF_BYTE_STEPS;
}

/** Restricts a vocabulary to the given feature indices (in that order). */
export function subsetVocabulary(vocabulary: Vocabulary, keep: readonly number[]): Vocabulary {
  const grams = keep.map((i) => vocabulary.grams[i]!);
  return {
    grams,
    index: new NgramIndex(grams),
    idf: Float64Array.from(keep, (i) => vocabulary.idf[i]!),
  };
}
