/**
 * Compares classifier variants on the trainer's honest split (near-duplicate groups on one side), the
 * raw twins, and a random split (for comparison with published numbers only). Exploratory: not part of
 * `npm run train`; the committed model's numbers come from src/classify/train/train-classifier.ts (which also
 * prunes). Map-based features: slow but simple.   tsx src/classify/train/experiments.ts base nb ens …
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NgramIndex, normalizeText, tfidfVector, type SparseVector } from '../text-features.js';
import { forEachWord, MAX_WORD } from '../word-segmenter.js';
import { fitTemperature } from './calibration.js';
import { dedupe, findRawTwins, nearDuplicateGroups, readRows, splitByGroup, splitRandom } from './dataset.js';
import { evaluate } from './evaluate.js';
import { logCountRatios, trainOneVsRest } from './one-vs-rest-trainer.js';
import { logits, softmax, trainSoftmax, type SoftmaxModel } from './softmax-trainer.js';

const DATA = resolve(import.meta.dirname, '../../../../shared/data/tipdm2020c');
const SEED = 20240601;
const NON_CJK_TOKEN = /[^\u3400-\u4dbf\u4e00-\u9fff]/g;
const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${s}`);

// --- data and splits (same as src/classify/train/train-classifier.ts) ---------------------------------------------
const { rows } = dedupe(readRows(`${DATA}/train.jsonl`));
const labels = [...new Set(rows.map((r) => r.label))].sort();
const target = rows.map((r) => labels.indexOf(r.label));
const groups = nearDuplicateGroups(rows.map((r) => r.text));
const honest = splitByGroup(rows.map((r) => r.label), groups, 0.15, SEED);
const rawTexts = readFileSync(`${DATA}/messages-unlabeled.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => {
  const m = JSON.parse(l) as { title?: string; body?: string };
  return `${m.title ?? ''}\n${m.body ?? ''}`;
});
const twins = findRawTwins(rows.map((r) => r.text), rawTexts).map(([raw, row]) => ({ text: rawTexts[raw]!, row }));
const twinGroups = new Set(twins.map((t) => groups[t.row]));
rows.forEach((_, i) => { if (twinGroups.has(groups[i]!)) honest[i] = true; });
// Random split: stratified 15% of the unique texts, ignoring groups (reposts leak across, as in the literature).
const random = splitRandom(rows.map((r) => r.label), 0.15, SEED);
log(`${rows.length} rows; honest held-out ${honest.filter(Boolean).length}, random held-out ${random.filter(Boolean).length}, twins ${twins.length}`);

// --- features -----------------------------------------------------------------------------------------
interface FeatureSpec { char?: { minN: number; maxN: number; titleChars?: number }; words?: 'given' | 'fmm'; bigrams?: boolean }
type Counts = Map<string, number>;
const add = (m: Counts, key: string, times = 1) => m.set(key, (m.get(key) ?? 0) + times);

function wordIndex(trainTexts: string[]): NgramIndex {
  const counts = new Map<string, number>();
  for (const t of trainTexts) for (const tok of t.split(' ')) { const w = tok.replace(NON_CJK_TOKEN, ''); if (w && w.length <= MAX_WORD) counts.set(w, (counts.get(w) ?? 0) + 1); }
  return new NgramIndex([...counts].filter(([, n]) => n >= 2).map(([w]) => w));
}

function extract(text: string, segmented: boolean, spec: FeatureSpec, words: NgramIndex, names: string[]): Counts {
  const m: Counts = new Map();
  if (spec.char) {
    const s = normalizeText(text);
    // Approximate title weighting: the title boundary of segmented text is unknown, so the n-grams
    // starting in the first `titleChars` characters count twice, on both sides.
    const title = spec.char.titleChars ?? 0;
    for (let start = 0; start < s.length; start++) {
      const last = Math.min(s.length, start + spec.char.maxN);
      for (let end = start + spec.char.minN; end <= last; end++) add(m, s.slice(start, end), start < title ? 2 : 1);
    }
  }
  if (spec.words) {
    const ids: number[] = [];
    if (segmented && spec.words === 'given') {
      for (const tok of text.split(' ')) { const w = tok.replace(NON_CJK_TOKEN, ''); if (!w) continue; const id = w.length <= MAX_WORD ? words.lookup(w, 0, w.length) : -1; if (id >= 0) ids.push(id); }
    } else {
      forEachWord(segmented ? text.replace(/\s+/g, '') : text, words, (id) => ids.push(id));
    }
    ids.forEach((id, j) => { add(m, `W${names[id]}`); if (spec.bigrams && j > 0) add(m, `B${names[ids[j - 1]!]}|${names[id]}`); });
  }
  return m;
}

interface Vectors { train: SparseVector[]; trainY: Int32Array; test: SparseVector[]; testY: number[]; twins: SparseVector[]; featureCount: number }

function vectorize(flags: boolean[], spec: FeatureSpec, minDf = 2): Vectors {
  const trainIdx = rows.flatMap((_, i) => (flags[i] ? [] : [i]));
  const testIdx = rows.flatMap((_, i) => (flags[i] ? [i] : []));
  const idx = wordIndex(trainIdx.map((i) => rows[i]!.text));
  const names: string[] = [];
  { const counts = new Map<string, number>(); for (const i of trainIdx) for (const tok of rows[i]!.text.split(' ')) { const w = tok.replace(NON_CJK_TOKEN, ''); if (w && w.length <= MAX_WORD) counts.set(w, (counts.get(w) ?? 0) + 1); }
    for (const [w, n] of counts) if (n >= 2) names.push(w); }
  const trainCounts = trainIdx.map((i) => extract(rows[i]!.text, true, spec, idx, names));
  const df = new Map<string, number>();
  for (const m of trainCounts) for (const k of m.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const vocab = new Map<string, number>();
  const idf: number[] = [];
  for (const [k, n] of df) if (n >= minDf) { vocab.set(k, idf.length); idf.push(Math.log((1 + trainIdx.length) / (1 + n)) + 1); }
  const toVector = (m: Counts) => { const c = new Map<number, number>(); for (const [k, n] of m) { const f = vocab.get(k); if (f !== undefined) c.set(f, n); } return tfidfVector(c, idf); };
  return {
    train: trainCounts.map(toVector), trainY: Int32Array.from(trainIdx, (i) => target[i]!),
    test: testIdx.map((i) => toVector(extract(rows[i]!.text, true, spec, idx, names))), testY: testIdx.map((i) => target[i]!),
    twins: flags === honest ? twins.map((t) => toVector(extract(t.text, false, spec, idx, names))) : [],
    featureCount: idf.length,
  };
}

// --- models -------------------------------------------------------------------------------------------
type Model = 'lr' | 'nbsvm';
const SGD = { l2: 3e-6, epochs: 30, learningRate: 16, seed: SEED };
function train(v: Vectors, model: Model, opts: Partial<typeof SGD> = {}): SoftmaxModel {
  const data = { vectors: v.train, labels: v.trainY, featureCount: v.featureCount, classCount: labels.length };
  return model === 'lr' ? trainSoftmax(data, { ...SGD, ...opts }) : trainOneVsRest(data, logCountRatios(data), { ...SGD, ...opts });
}

interface Scores { test: Float64Array[]; twins: Float64Array[] }
/** Calibrated probabilities (temperature fitted on the non-twin held-out rows). */
function probabilities(v: Vectors, m: SoftmaxModel): Scores {
  const test = v.test.map((x) => logits(m, x));
  const twinRow = new Set(twins.map((t) => t.row));
  const testIdx = rows.flatMap((_, i) => (v.twins.length && honest[i]) || (!v.twins.length && random[i]) ? [i] : []);
  const t = fitTemperature(test.flatMap((l, j) => (twinRow.has(testIdx[j]!) ? [] : [{ logits: l, truth: v.testY[j]! }])));
  return { test: test.map((l) => softmax(Float64Array.from(l), t)), twins: v.twins.map((x) => softmax(logits(m, x), t)) };
}

const priors = labels.map((_, c) => target.filter((y) => y === c).length / target.length);
function report(name: string, v: Vectors, s: Scores, priorPower = 0): void {
  const pick = (p: Float64Array) => { let best = 0; for (let c = 0; c < p.length; c++) if (p[c]! / priors[c]! ** priorPower > p[best]! / priors[best]! ** priorPower) best = c; return best; };
  const e = evaluate(s.test.map((p, j) => ({ truth: v.testY[j]!, predicted: pick(p), confidence: 0 })), labels.length);
  const tw = s.twins.length ? evaluate(s.twins.map((p, j) => ({ truth: target[twins[j]!.row]!, predicted: pick(p), confidence: 0 })), labels.length) : undefined;
  log(`| ${name}${priorPower ? ` prior^-${priorPower}` : ''} | ${v.featureCount} | ${e.macroF1.toFixed(4)} | ${e.accuracy.toFixed(4)} | ${tw ? tw.macroF1.toFixed(4) : '—'} | ${e.perClassF1.map((f) => f.toFixed(3)).join(' ')}`);
}
const average = (a: Scores, b: Scores, w = 0.5): Scores => ({
  test: a.test.map((p, j) => p.map((x, c) => w * x + (1 - w) * b.test[j]![c]!)),
  twins: a.twins.map((p, j) => p.map((x, c) => w * x + (1 - w) * b.twins[j]![c]!)),
});

const cache = new Map<string, Vectors>();
const vec = (flags: boolean[], spec: FeatureSpec, minDf = 2) => {
  const key = `${flags === honest ? 'h' : 'r'}${JSON.stringify(spec)}${minDf}`;
  if (!cache.has(key)) cache.set(key, vectorize(flags, spec, minDf));
  return cache.get(key)!;
};
const CHAR3 = { char: { minN: 1, maxN: 3 } };
const VARIANTS: Record<string, () => void> = {
  base: () => { const v = vec(honest, CHAR3); const s = probabilities(v, train(v, 'lr')); report('char1-3 LR (unpruned)', v, s); report('char1-3 LR', v, s, 0.5); report('char1-3 LR', v, s, 1); },
  nb: () => { const v = vec(honest, CHAR3); for (const lr of [4, 16]) report(`char1-3 NBSVM lr${lr}`, v, probabilities(v, train(v, 'nbsvm', { learningRate: lr }))); },
  char4: () => { const v = vec(honest, { char: { minN: 1, maxN: 4 } }); report('char1-4 LR', v, probabilities(v, train(v, 'lr'))); },
  title: () => { const v = vec(honest, { char: { minN: 1, maxN: 3, titleChars: 15 } }); report('char1-3 title×2 LR', v, probabilities(v, train(v, 'lr'))); },
  words: () => {
    for (const words of ['given', 'fmm'] as const) { const v = vec(honest, { words, bigrams: true }); report(`word1-2 (${words}) LR`, v, probabilities(v, train(v, 'lr'))); report(`word1-2 (${words}) NBSVM`, v, probabilities(v, train(v, 'nbsvm', { learningRate: 4 }))); }
  },
  combo: () => { const v = vec(honest, { ...CHAR3, words: 'fmm', bigrams: true }); report('char1-3+word1-2 LR', v, probabilities(v, train(v, 'lr'))); report('char1-3+word1-2 NBSVM', v, probabilities(v, train(v, 'nbsvm'))); },
  combo4: () => { const v = vec(honest, { char: { minN: 1, maxN: 4 }, words: 'fmm', bigrams: true }); report('char1-4+word1-2 LR', v, probabilities(v, train(v, 'lr'))); report('char1-4+word1-2 NBSVM', v, probabilities(v, train(v, 'nbsvm'))); },
  ens4: () => {
    const c = vec(honest, { char: { minN: 1, maxN: 4 } }); const w = vec(honest, { words: 'fmm', bigrams: true });
    const a = probabilities(c, train(c, 'lr')); const b = probabilities(w, train(w, 'nbsvm', { learningRate: 4 }));
    for (const pp of [0, 0.5]) report('ens char1-4-LR + word-NBSVM', c, average(a, b), pp);
    const n = probabilities(c, train(c, 'nbsvm'));
    report('char1-4 NBSVM', c, n);
    for (const pp of [0, 0.5]) report('ens char1-4-NBSVM + word-NBSVM', c, average(n, b), pp);
    report('ens3 char1-4 LR+NBSVM + word-NBSVM', c, average(average(a, n), b, 2 / 3));
  },
  ens: () => {
    const c = vec(honest, CHAR3); const w = vec(honest, { words: 'fmm', bigrams: true });
    const a = probabilities(c, train(c, 'lr')); const b = probabilities(w, train(w, 'nbsvm', { learningRate: 4 }));
    for (const pp of [0, 0.5]) report('ens char-LR + word-NBSVM', c, average(a, b), pp);
  },
  random: () => { const v = vec(random, CHAR3); report('RANDOM split char1-3 LR', v, probabilities(v, train(v, 'lr'))); },
};
for (const name of process.argv.slice(2)) { log(`-- ${name}`); VARIANTS[name]!(); }
