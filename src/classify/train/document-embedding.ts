/**
 * A dense "semantic" document vector: an idf-weighted mean of word vectors learned without labels
 * (word-embeddings.ts). Tried as a third block of the local classifier and not adopted (model README,
 * "Selection"); kept pure (no node: imports, scratch arrays instead of Maps) so that, should a later
 * variant win, the runtime can share it unchanged, as it shares text-features.ts.
 */
import { NORM_PRIOR_SQUARES } from '../text-features.js';

export interface EmbeddingTable {
  /** Vector length. */
  readonly dimension: number;
  /**
   * Row-major [word id][dimension] for the first `idf.length` dictionary words. Their common scale does
   * not matter (the document vector is normalised), so the model file's int8 values are used as they are.
   */
  readonly vectors: ArrayLike<number>;
  /** One idf per embedded word. */
  readonly idf: ArrayLike<number>;
}

/** Reused across calls (the classifier is synchronous): the hot path allocates no Map per message. */
export interface EmbeddingScratch {
  readonly counts: Int32Array;
  readonly touched: Int32Array;
}

export const embeddingScratch = (table: EmbeddingTable): EmbeddingScratch => ({
  counts: new Int32Array(table.idf.length),
  touched: new Int32Array(table.idf.length),
});

/**
 * Writes the document vector of `units` (word ids + 1, one UTF-16 code each, see word-segmenter.ts) into
 * `out`: Σ (1 + log tf) · idf · v_w, scaled to unit length and then shrunk by the same norm prior as the
 * tf-idf blocks, so a two-word greeting gets a short vector (a weak vote) rather than a full-length one.
 * Words beyond the table carry nothing.
 */
export function documentEmbedding(units: string, table: EmbeddingTable, scratch: EmbeddingScratch, out: Float64Array): void {
  const { counts, touched } = scratch;
  const { dimension, vectors, idf } = table;
  const known = idf.length;
  let distinct = 0;
  for (let i = 0; i < units.length; i++) {
    const id = units.charCodeAt(i) - 1;
    if (id >= known) continue;
    if (counts[id] === 0) touched[distinct++] = id;
    counts[id]!++;
  }
  out.fill(0);
  let squares = 0;
  for (let i = 0; i < distinct; i++) {
    const id = touched[i]!;
    const weight = (1 + Math.log(counts[id]!)) * idf[id]!;
    counts[id] = 0;
    squares += weight * weight;
    const row = id * dimension;
    for (let d = 0; d < dimension; d++) out[d] = out[d]! + weight * vectors[row + d]!;
  }
  let length = 0;
  for (let d = 0; d < dimension; d++) length += out[d]! * out[d]!;
  if (length === 0) return;
  const factor = Math.sqrt(squares / (squares + NORM_PRIOR_SQUARES) / length);
  for (let d = 0; d < dimension; d++) out[d] = out[d]! * factor;
}
