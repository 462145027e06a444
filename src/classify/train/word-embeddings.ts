/**
 * Word vectors learned without labels, for the dense block of the local classifier: positive PMI of
 * word co-occurrence within a window, factorised by truncated SVD (Levy, Goldberg & Dagan 2015 found
 * this as good as word2vec on similarity tasks at this corpus size). Unlabelled raw messages can join the
 * corpus, which the supervised blocks cannot use.
 */
import { IDF_BYTE_STEPS } from '../local-model-file.js';
import { randomizedSvd, type SparseMatrix } from './randomized-svd.js';

export interface EmbeddingConfig {
  /** The first (most frequent) dictionary words get vectors; rarer ones are ignored. */
  readonly words: number;
  readonly dimension: number;
  /** Context words on each side, weighted 1/distance. */
  readonly window: number;
  /** Context distribution smoothing (0.75 in the literature): rare contexts get less inflated PMI. */
  readonly contextPower: number;
  /** Singular values enter the vectors as s^p; 0.5 splits them evenly between words and contexts. */
  readonly eigenPower: number;
  readonly seed: number;
}

export interface WordEmbeddings {
  readonly dimension: number;
  /** int8, row-major [word id][dimension], each row of length ≈ 127 (rows are normalised). */
  readonly vectors: Int8Array;
  /** Quantised like the model file stores it (bytes of 1/IDF_BYTE_STEPS). */
  readonly idf: Float64Array;
}

/** Co-occurrence weights of word ids < `words` (texts as word-id units, id + 1 per code), symmetric. */
function cooccurrences(texts: readonly string[], words: number, window: number): SparseMatrix {
  if (words * words * 8 > 2 ** 32) throw new Error(`${words} words do not fit a 32-bit pair key`);
  const sequences = texts.map((t) => Int32Array.from(t, (u) => u.charCodeAt(0) - 1).filter((id) => id < words));
  let pairs = 0;
  for (const s of sequences) for (let d = 1; d <= window; d++) pairs += 2 * Math.max(0, s.length - d);
  // Key = (row · words + column) · 8 + distance: one numeric sort groups the pairs without a hash map.
  const keys = new Uint32Array(pairs);
  let p = 0;
  for (const s of sequences) {
    for (let d = 1; d <= window; d++) {
      for (let i = 0; i + d < s.length; i++) {
        const a = s[i]!;
        const b = s[i + d]!;
        keys[p++] = (a * words + b) * 8 + d;
        keys[p++] = (b * words + a) * 8 + d;
      }
    }
  }
  keys.sort();
  const offsets = new Int32Array(words + 1);
  const indices: number[] = [];
  const values: number[] = [];
  let last = -1;
  for (const key of keys) {
    const pair = Math.floor(key / 8);
    const weight = 1 / (key % 8);
    if (pair === last) {
      values[values.length - 1]! += weight;
      continue;
    }
    last = pair;
    const row = Math.floor(pair / words);
    offsets[row + 1]!++;
    indices.push(pair % words);
    values.push(weight);
  }
  for (let r = 0; r < words; r++) offsets[r + 1]! += offsets[r]!;
  return { rows: words, columns: words, offsets, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

/** Replaces the weights by max(0, log(w_ij / (w_i· · P_α(j)))) in place. */
function positivePmi(m: SparseMatrix, contextPower: number): void {
  const rowSums = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) for (let p = m.offsets[r]!; p < m.offsets[r + 1]!; p++) rowSums[r]! += m.values[p]!;
  let smoothedTotal = 0;
  for (const s of rowSums) smoothedTotal += s ** contextPower;
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.offsets[r]!; p < m.offsets[r + 1]!; p++) {
      const context = rowSums[m.indices[p]!]! ** contextPower / smoothedTotal;
      m.values[p] = Math.max(0, Math.log(m.values[p]! / (rowSums[r]! * context)));
    }
  }
}

/** `texts` are word-id units over the dictionary (wordUnits); any text, labelled or not. */
export function learnWordEmbeddings(texts: readonly string[], dictionarySize: number, config: EmbeddingConfig): WordEmbeddings {
  const words = Math.min(config.words, dictionarySize);
  const matrix = cooccurrences(texts, words, config.window);
  positivePmi(matrix, config.contextPower);
  const { u, s } = randomizedSvd(matrix, config.dimension, { seed: config.seed });
  const dimension = s.length;
  const vectors = new Int8Array(words * dimension);
  for (let w = 0; w < words; w++) {
    const row = Float64Array.from({ length: dimension }, (_, d) => u[w * dimension + d]! * s[d]! ** config.eigenPower);
    const length = Math.hypot(...row);
    if (length > 0) for (let d = 0; d < dimension; d++) vectors[w * dimension + d] = Math.round((127 * row[d]!) / length);
  }
  const df = new Float64Array(words);
  for (const t of texts) {
    const seen = new Set<number>();
    for (let i = 0; i < t.length; i++) {
      const id = t.charCodeAt(i) - 1;
      if (id < words) seen.add(id);
    }
    for (const id of seen) df[id]!++;
  }
  const idf = df.map((n) => Math.round((Math.log((1 + texts.length) / (1 + n)) + 1) * IDF_BYTE_STEPS) / IDF_BYTE_STEPS);
  return { dimension, vectors, idf };
}
