/**
 * NBSVM-style one-vs-rest logistic regression (Wang & Manning 2012, the logistic variant): for class c
 * each feature is scaled by its naive-Bayes log-count ratio r[f][c] before a binary logistic model is
 * fitted. Because the scaling is per feature and class, r·w folds into one weight matrix and the
 * classifier at run time is the same linear model as the softmax one.
 */
import type { SoftmaxModel, SgdOptions, TrainingSet } from './softmax-trainer.js';

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
  const n = data.vectors.length;
  const f = data.featureCount;
  const weights = new Float64Array(f * k);
  const bias = new Float64Array(k);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const averageFrom = Math.floor(options.epochs / 2);
  for (let c = 0; c < k; c++) {
    const v = new Float64Array(f);
    const sum = new Float64Array(f);
    let b = 0;
    let bSum = 0;
    let averaged = 0;
    let scale = 1;
    let step = 0;
    let random = options.seed >>> 0;
    const next = () => {
      random = (Math.imul(random, 1664525) + 1013904223) >>> 0;
      return random / 4294967296;
    };
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
        const { indices, values } = data.vectors[d]!;
        let z = 0;
        for (let i = 0; i < indices.length; i++) z += values[i]! * ratios[indices[i]! * k + c]! * v[indices[i]!]!;
        z = z * scale + b;
        const y = data.labels[d] === c ? 1 : 0;
        const g = 1 / (1 + Math.exp(-z)) - y;
        scale *= 1 - eta * options.l2;
        const factor = (eta * g) / scale;
        for (let i = 0; i < indices.length; i++) {
          const index = indices[i]!;
          v[index] = v[index]! - factor * values[i]! * ratios[index * k + c]!;
        }
        b -= eta * g;
        if (scale < 1e-9) {
          for (let j = 0; j < f; j++) v[j] = v[j]! * scale;
          scale = 1;
        }
      }
      if (epoch >= averageFrom) {
        for (let j = 0; j < f; j++) sum[j] = sum[j]! + v[j]! * scale;
        bSum += b;
        averaged++;
      }
    }
    for (let j = 0; j < f; j++) weights[j * k + c] = (sum[j]! / averaged) * ratios[j * k + c]!;
    bias[c] = bSum / averaged;
  }
  return { weights, bias, classCount: k };
}
