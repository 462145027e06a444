/**
 * NBSVM-style one-vs-rest logistic regression (Wang & Manning 2012, the logistic variant): for class c
 * each feature is scaled by its naive-Bayes log-count ratio r[f][c] before a binary logistic model is
 * fitted. Because the scaling is per feature and class, r·w folds into one weight matrix and the
 * classifier at run time is the same linear model as the softmax one.
 */
import { averagedSgd, type SgdOptions } from './averaged-sgd.js';
import type { SoftmaxModel, TrainingSet } from './softmax-trainer.js';

/** r[f][c] = log((p_c/|p_c|₁) / (q_c/|q_c|₁)) over binarised features, smoothed by `alpha`. */
export function logCountRatios(data: TrainingSet, alpha = 1): Float64Array {
  const k = data.classCount;
  const f = data.featureCount;
  const perClass = new Float64Array(f * k);
  const total = new Float64Array(f);
  data.vectors.forEach((vector, d) => {
    const c = data.labels[d]!;
    for (const index of vector.indices) {
      perClass[index * k + c]! += 1;
      total[index]! += 1;
    }
  });
  const pNorm = new Float64Array(k);
  const qNorm = new Float64Array(k);
  for (let j = 0; j < f; j++) {
    for (let c = 0; c < k; c++) {
      pNorm[c]! += perClass[j * k + c]! + alpha;
      qNorm[c]! += total[j]! - perClass[j * k + c]! + alpha;
    }
  }
  const r = new Float64Array(f * k);
  for (let j = 0; j < f; j++) {
    for (let c = 0; c < k; c++) {
      const p = (perClass[j * k + c]! + alpha) / pNorm[c]!;
      const q = (total[j]! - perClass[j * k + c]! + alpha) / qNorm[c]!;
      r[j * k + c] = Math.log(p / q);
    }
  }
  return r;
}

/** Averaged SGD per class on x ⊙ r_c; returns the folded weights (r·w) in the softmax model's layout. */
export function trainOneVsRest(data: TrainingSet, ratios: Float64Array, options: SgdOptions): SoftmaxModel {
  const k = data.classCount;
  const f = data.featureCount;
  const weights = new Float64Array(f * k);
  const bias = new Float64Array(k);
  const order = Int32Array.from({ length: data.vectors.length }, (_, i) => i);
  for (let c = 0; c < k; c++) {
    const v = new Float64Array(f);
    const b = new Float64Array(1);
    let g = 0;
    const result = averagedSgd(
      {
        params: v,
        bias: b,
        residual(d, scale) {
          const { indices, values } = data.vectors[d]!;
          let z = 0;
          for (let i = 0; i < indices.length; i++) z += values[i]! * ratios[indices[i]! * k + c]! * v[indices[i]!]!;
          z = z * scale + b[0]!;
          g = 1 / (1 + Math.exp(-z)) - (data.labels[d] === c ? 1 : 0);
        },
        update(d, factor, biasStep) {
          const { indices, values } = data.vectors[d]!;
          const step = factor * g;
          for (let i = 0; i < indices.length; i++) {
            const index = indices[i]!;
            v[index] = v[index]! - step * values[i]! * ratios[index * k + c]!;
          }
          b[0] = b[0]! - biasStep * g;
        },
      },
      data.vectors.length,
      options,
      data.sampleWeights,
      order,
    );
    for (let j = 0; j < f; j++) weights[j * k + c] = result.params[j]! * ratios[j * k + c]!;
    bias[c] = result.bias[0]!;
  }
  return { weights, bias, classCount: k };
}
