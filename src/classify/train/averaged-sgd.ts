/**
 * The SGD loop shared by the softmax and one-vs-rest trainers: a seeded shuffle per epoch, a 1/(1+epoch)
 * step decay, L2 by the weight-scaling trick (W = scale·V, so the shrink costs O(1) per step) and the
 * weights averaged over the second half of the epochs (less seed-dependent). Deterministic for a seed.
 */

export interface SgdOptions {
  readonly l2: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly onEpoch?: (epoch: number) => void;
}

/** One linear problem: its parameters (stored unscaled, V) and how one example moves them. */
export interface SgdProblem {
  readonly params: Float64Array;
  readonly bias: Float64Array;
  /** Computes example d's residuals from the current weights (scale · params + bias). */
  residual(d: number, scale: number): void;
  /** params -= factor · x_d ⊗ residual; bias -= biasStep · residual. */
  update(d: number, factor: number, biasStep: number): void;
}

/**
 * Runs averaged SGD over `n` examples. `sampleWeights` (optional) scales each example's step. `order`
 * (optional) is the visiting order to shuffle from; the one-vs-rest trainer passes one array through all
 * its classes, as it always did, so the committed model is reproduced exactly.
 */
export function averagedSgd(
  problem: SgdProblem,
  n: number,
  options: SgdOptions,
  sampleWeights?: Float64Array,
  order: Int32Array = Int32Array.from({ length: n }, (_, i) => i),
): { params: Float64Array; bias: Float64Array } {
  const { params: v, bias } = problem;
  const sum = new Float64Array(v.length);
  const biasSum = new Float64Array(bias.length);
  let random = options.seed >>> 0;
  const next = () => {
    random = (Math.imul(random, 1664525) + 1013904223) >>> 0;
    return random / 4294967296;
  };
  let scale = 1;
  let step = 0;
  let averaged = 0;
  const averageFrom = Math.floor(options.epochs / 2);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let o = 0; o < n; o++) {
      const d = order[o]!;
      const eta = options.learningRate / (1 + step / n);
      step++;
      problem.residual(d, scale);
      scale *= 1 - eta * options.l2;
      const w = sampleWeights ? sampleWeights[d]! : 1;
      problem.update(d, (eta * w) / scale, eta * w);
      if (scale < 1e-9) {
        for (let j = 0; j < v.length; j++) v[j] = v[j]! * scale;
        scale = 1;
      }
    }
    if (epoch >= averageFrom) {
      for (let j = 0; j < v.length; j++) sum[j] = sum[j]! + v[j]! * scale;
      for (let c = 0; c < bias.length; c++) biasSum[c] = biasSum[c]! + bias[c]!;
      averaged++;
    }
    options.onEpoch?.(epoch + 1);
  }
  for (let j = 0; j < sum.length; j++) sum[j] = sum[j]! / averaged;
  for (let c = 0; c < biasSum.length; c++) biasSum[c] = biasSum[c]! / averaged;
  return { params: sum, bias: biasSum };
}
