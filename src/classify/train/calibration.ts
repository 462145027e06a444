/** Temperature scaling: one scalar T so softmax(logits / T) matches held-out accuracy. */
import { softmax } from './softmax-trainer.js';

export interface LabelledLogits {
  readonly logits: Float64Array;
  readonly truth: number;
}

function negativeLogLikelihood(items: readonly LabelledLogits[], temperature: number): number {
  let total = 0;
  for (const item of items) {
    const p = softmax(Float64Array.from(item.logits), temperature);
    total -= Math.log(Math.max(p[item.truth]!, 1e-12));
  }
  return total / items.length;
}

/** Minimises held-out NLL over T in [0.05, 20] (log-spaced scan, then a finer scan around the best). */
export function fitTemperature(items: readonly LabelledLogits[]): number {
  let best = 1;
  let bestLoss = Infinity;
  const scan = (from: number, to: number, steps: number) => {
    for (let i = 0; i <= steps; i++) {
      const t = Math.exp(Math.log(from) + ((Math.log(to) - Math.log(from)) * i) / steps);
      const loss = negativeLogLikelihood(items, t);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = t;
      }
    }
  };
  scan(0.05, 20, 60);
  scan(best / 1.15, best * 1.15, 30);
  return best;
}
