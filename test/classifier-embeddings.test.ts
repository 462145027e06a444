import { describe, expect, it } from 'vitest';
import { NORM_PRIOR_SQUARES } from '../src/classify/text-features.js';
import { documentEmbedding, embeddingScratch } from '../src/classify/train/document-embedding.js';
import { randomizedSvd, symmetricEigen, type SparseMatrix } from '../src/classify/train/randomized-svd.js';
import { learnWordEmbeddings } from '../src/classify/train/word-embeddings.js';

/** CSR from a dense row-major matrix (zeros dropped). */
function sparse(dense: number[][]): SparseMatrix {
  const offsets = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    offsets.push(indices.length);
  }
  return {
    rows: dense.length,
    columns: dense[0]!.length,
    offsets: Int32Array.from(offsets),
    indices: Int32Array.from(indices),
    values: Float64Array.from(values),
  };
}

describe('symmetricEigen', () => {
  it('diagonalises a symmetric matrix: A v = λ v', () => {
    const m = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(m, 3);
    for (let e = 0; e < 3; e++) {
      for (let r = 0; r < 3; r++) {
        let av = 0;
        for (let c = 0; c < 3; c++) av += m[r * 3 + c]! * vectors[c * 3 + e]!;
        expect(av).toBeCloseTo(values[e]! * vectors[r * 3 + e]!, 9);
      }
    }
    expect([...values].reduce((a, b) => a + b, 0)).toBeCloseTo(12, 9);
  });
});

describe('randomizedSvd', () => {
  // Rank 2 by construction: singular values 5 and 2 (orthogonal row and column patterns).
  const a = sparse([
    [5, 0, 0, 0],
    [0, 0, 2, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ]);

  it('finds the largest singular values and unit singular vectors, largest first', () => {
    const { u, s } = randomizedSvd(a, 2, { seed: 1, oversample: 2 });
    expect(s[0]).toBeCloseTo(5, 9);
    expect(s[1]).toBeCloseTo(2, 9);
    expect(Math.abs(u[0 * 2 + 0]!)).toBeCloseTo(1, 9);
    expect(Math.abs(u[1 * 2 + 1]!)).toBeCloseTo(1, 9);
  });

  it('is deterministic for a seed', () => {
    expect(randomizedSvd(a, 2, { seed: 3 }).u).toEqual(randomizedSvd(a, 2, { seed: 3 }).u);
  });
});

describe('documentEmbedding', () => {
  // Word 0 → (1, 0), word 1 → (0, 1); word 2 has no vector (beyond the table).
  const table = { dimension: 2, vectors: Int8Array.from([100, 0, 0, 100]), idf: Float64Array.from([1, 3]) };
  const scratch = embeddingScratch(table);
  const units = (...ids: number[]) => String.fromCharCode(...ids.map((id) => id + 1));
  const embed = (u: string) => {
    const out = new Float64Array(2);
    documentEmbedding(u, table, scratch, out);
    return out;
  };

  it('weights words by (1 + log tf) · idf and ignores words without a vector', () => {
    const v = embed(units(0, 1, 2, 2, 2));
    expect(v[1]! / v[0]!).toBeCloseTo(3, 9);
    expect(embed(units(0, 0, 1))[1]! / embed(units(0, 0, 1))[0]!).toBeCloseTo(3 / (1 + Math.log(2)), 9);
  });

  it('shrinks the unit vector by the tf-idf norm prior: a one-word text gets a short one; no known word, zeros', () => {
    const tfidfShare = (squares: number) => Math.sqrt(squares / (squares + NORM_PRIOR_SQUARES));
    const w = (1 + Math.log(200)) ** 2;
    expect(Math.hypot(...embed(units(...Array.from({ length: 400 }, (_, i) => i % 2))))).toBeCloseTo(tfidfShare(w + 9 * w), 9);
    expect(Math.hypot(...embed(units(0)))).toBeCloseTo(tfidfShare(1), 9);
    expect(Math.hypot(...embed(units(0)))).toBeLessThan(0.2);
    expect([...embed(units(2, 2))]).toEqual([0, 0]);
    expect([...embed('')]).toEqual([0, 0]);
  });

  it('leaves its scratch clean: the same text twice gives the same vector', () => {
    expect(embed(units(0, 1, 1))).toEqual(embed(units(0, 1, 1)));
  });
});

describe('learnWordEmbeddings', () => {
  // Two topics that never share a text: words of one topic should end up closer to each other.
  const texts = Array.from({ length: 60 }, (_, i) => {
    const topic = i % 2 === 0 ? [0, 1, 2] : [3, 4, 5];
    return String.fromCharCode(...Array.from({ length: 12 }, (_, j) => topic[(i + j * 7) % 3]! + 1));
  });
  const config = { words: 6, dimension: 2, window: 2, contextPower: 0.75, eigenPower: 0.5, seed: 5 };

  it('places co-occurring words together, deterministically', () => {
    const e = learnWordEmbeddings(texts, 6, config);
    const cos = (a: number, b: number) => {
      let dot = 0;
      for (let d = 0; d < e.dimension; d++) dot += e.vectors[a * e.dimension + d]! * e.vectors[b * e.dimension + d]!;
      return dot / 127 / 127;
    };
    expect(cos(0, 1)).toBeGreaterThan(cos(0, 4) + 0.5);
    expect(cos(3, 5)).toBeGreaterThan(cos(2, 5) + 0.5);
    expect(learnWordEmbeddings(texts, 6, config).vectors).toEqual(e.vectors);
    expect(e.idf).toHaveLength(6);
  });
});
