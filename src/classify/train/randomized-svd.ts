/**
 * Truncated SVD of a sparse matrix by randomised range finding (Halko, Martinsson & Tropp 2011): a few
 * products with the sparse matrix and dense algebra on n × (rank + oversampling) blocks only. Written by
 * hand because the npm linear-algebra packages are dense-only (a 20k × 20k PPMI matrix does not fit as
 * dense doubles in a sensible heap) or wrap native BLAS. Deterministic for a seed.
 */
import { seededRandom } from './dataset.js';

/** Compressed sparse rows. */
export interface SparseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** A · X, X dense row-major (a.columns × width). */
function multiply(a: SparseMatrix, x: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.rows * width);
  for (let r = 0; r < a.rows; r++) {
    const target = r * width;
    for (let p = a.offsets[r]!; p < a.offsets[r + 1]!; p++) {
      const source = a.indices[p]! * width;
      const v = a.values[p]!;
      for (let j = 0; j < width; j++) out[target + j] = out[target + j]! + v * x[source + j]!;
    }
  }
  return out;
}

/** Aᵀ · X, X dense row-major (a.rows × width). */
function multiplyTransposed(a: SparseMatrix, x: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.columns * width);
  for (let r = 0; r < a.rows; r++) {
    const source = r * width;
    for (let p = a.offsets[r]!; p < a.offsets[r + 1]!; p++) {
      const target = a.indices[p]! * width;
      const v = a.values[p]!;
      for (let j = 0; j < width; j++) out[target + j] = out[target + j]! + v * x[source + j]!;
    }
  }
  return out;
}

/**
 * Orthonormalises the columns of row-major `y` (n × width) in place by modified Gram-Schmidt, run twice
 * (one pass loses orthogonality when the power iterations make columns nearly parallel). A column that
 * vanishes is left at zero: it then contributes a zero singular value, not noise.
 */
function orthonormalize(y: Float64Array, n: number, width: number): void {
  // Column-major copy: the inner loops then run over contiguous memory (~5× faster at n = 20k).
  const columns = Array.from({ length: width }, (_, j) => Float64Array.from({ length: n }, (_, r) => y[r * width + j]!));
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < width; j++) {
      const cj = columns[j]!;
      for (let i = 0; i < j; i++) {
        const ci = columns[i]!;
        let dot = 0;
        for (let r = 0; r < n; r++) dot += ci[r]! * cj[r]!;
        for (let r = 0; r < n; r++) cj[r] = cj[r]! - dot * ci[r]!;
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += cj[r]! * cj[r]!;
      norm = Math.sqrt(norm);
      for (let r = 0; r < n; r++) cj[r] = norm > 1e-12 ? cj[r]! / norm : 0;
    }
  }
  for (let j = 0; j < width; j++) for (let r = 0; r < n; r++) y[r * width + j] = columns[j]![r]!;
}

/** Eigen-decomposition of a small symmetric matrix (row-major, size × size) by cyclic Jacobi rotations. */
export function symmetricEigen(m: Float64Array, size: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) off += a[p * size + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * size + q]! - a[p * size + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p]!;
          const akq = a[k * size + q]!;
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k]!;
          const aqk = a[q * size + k]!;
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p]!;
          const vkq = v[k * size + q]!;
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: size }, (_, i) => a[i * size + i]!), vectors: v };
}

/**
 * The top `rank` left singular vectors (row-major a.rows × rank) and singular values of `a`, largest first.
 */
export function randomizedSvd(
  a: SparseMatrix,
  rank: number,
  o: { oversample?: number; powerIterations?: number; seed: number },
): { u: Float64Array; s: Float64Array } {
  const width = Math.min(rank + (o.oversample ?? 10), a.rows, a.columns);
  const random = seededRandom(o.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const omega = Float64Array.from({ length: a.columns * width }, gaussian);
  let q = multiply(a, omega, width);
  orthonormalize(q, a.rows, width);
  for (let i = 0; i < (o.powerIterations ?? 3); i++) {
    const z = multiplyTransposed(a, q, width);
    orthonormalize(z, a.columns, width);
    q = multiply(a, z, width);
    orthonormalize(q, a.rows, width);
  }
  // B = Qᵀ A; B Bᵀ = (Aᵀ Q)ᵀ (Aᵀ Q) is width × width, whose eigenvectors rotate Q into U.
  const bt = multiplyTransposed(a, q, width);
  const gram = new Float64Array(width * width);
  for (let r = 0; r < a.columns; r++) {
    const row = r * width;
    for (let i = 0; i < width; i++) {
      const x = bt[row + i]!;
      if (x === 0) continue;
      for (let j = i; j < width; j++) gram[i * width + j] = gram[i * width + j]! + x * bt[row + j]!;
    }
  }
  for (let i = 0; i < width; i++) for (let j = 0; j < i; j++) gram[i * width + j] = gram[j * width + i]!;
  const { values, vectors } = symmetricEigen(gram, width);
  const order = [...values.keys()].sort((x, y) => values[y]! - values[x]!).slice(0, rank);
  const u = new Float64Array(a.rows * rank);
  for (let r = 0; r < a.rows; r++) {
    for (let i = 0; i < width; i++) {
      const x = q[r * width + i]!;
      if (x === 0) continue;
      for (let k = 0; k < order.length; k++) u[r * rank + k] = u[r * rank + k]! + x * vectors[i * width + order[k]!]!;
    }
  }
  return { u, s: Float64Array.from(order, (i) => Math.sqrt(Math.max(values[i]!, 0))) };
}
