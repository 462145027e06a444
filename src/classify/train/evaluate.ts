/** Held-out metrics for the classifier trainer: macro-F1, per-class F1 and a reliability table. */

export interface Scored {
  readonly truth: number;
  readonly predicted: number;
  readonly confidence: number;
}

export interface Evaluation {
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClassF1: number[];
}

export function evaluate(items: readonly Scored[], classCount: number): Evaluation {
  const tp = new Array<number>(classCount).fill(0);
  const fp = new Array<number>(classCount).fill(0);
  const fn = new Array<number>(classCount).fill(0);
  let correct = 0;
  for (const item of items) {
    if (item.truth === item.predicted) {
      correct++;
      tp[item.truth]!++;
    } else {
      fp[item.predicted]!++;
      fn[item.truth]!++;
    }
  }
  const perClassF1 = tp.map((t, c) => (t === 0 ? 0 : (2 * t) / (2 * t + fp[c]! + fn[c]!)));
  const macroF1 = perClassF1.reduce((a, b) => a + b, 0) / classCount;
  return { accuracy: items.length ? correct / items.length : 0, macroF1, perClassF1 };
}

export interface ReliabilityBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

/** Confidence bins vs accuracy, plus the expected calibration error (count-weighted |conf − acc|). */
export function reliability(
  items: readonly Scored[],
  edges: readonly number[] = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001],
): { bins: ReliabilityBin[]; ece: number } {
  const bins: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const from = edges[b]!;
    const to = edges[b + 1]!;
    const inBin = items.filter((i) => i.confidence >= from && i.confidence < to);
    if (inBin.length === 0) continue;
    const meanConfidence = inBin.reduce((s, i) => s + i.confidence, 0) / inBin.length;
    const accuracy = inBin.filter((i) => i.truth === i.predicted).length / inBin.length;
    ece += (inBin.length / items.length) * Math.abs(meanConfidence - accuracy);
    bins.push({ from, to: Math.min(to, 1), count: inBin.length, meanConfidence, accuracy });
  }
  return { bins, ece };
}

export function formatReport(title: string, labels: readonly string[], items: readonly Scored[]): string {
  const e = evaluate(items, labels.length);
  const r = reliability(items);
  const lines = [
    `${title}: n=${items.length} accuracy=${e.accuracy.toFixed(4)} macro-F1=${e.macroF1.toFixed(4)}`,
    `  per-class F1: ${labels.map((l, c) => `${l} ${e.perClassF1[c]!.toFixed(3)}`).join(', ')}`,
    `  reliability (ECE ${r.ece.toFixed(4)}): confidence bin | n | mean confidence | accuracy`,
    ...r.bins.map(
      (b) =>
        `    [${b.from.toFixed(2)}, ${b.to.toFixed(2)}) | ${b.count} | ${b.meanConfidence.toFixed(3)} | ${b.accuracy.toFixed(3)}`,
    ),
  ];
  return lines.join('\n');
}
