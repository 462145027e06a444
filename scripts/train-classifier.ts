/**
 * Trains the local classifier (npm run train) and writes src/classify/model/local-model.json.
 *
 *   tsx scripts/train-classifier.ts [--data train.jsonl] [--raw messages-unlabeled.jsonl] [--out model.json]
 *
 * 1. dedupe identical texts, group near-duplicates, split 85/15 by group (stratified, fixed seed);
 * 2. raw messages that are the same complaint as a labelled row ("raw twins") go to the held-out side,
 *    so the report includes the only raw-text score we can compute;
 * 3. train, prune to the most useful n-grams, retrain; fit the softmax temperature on held-out rows;
 * 4. report macro-F1, per-class F1 and reliability, then retrain on all rows and write the model.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLocalClassifier, type LocalClassifier } from '../src/classify/local-classifier.js';
import { countKnownNgrams, tfidfVector } from '../src/classify/text-features.js';
import { fitTemperature, type LabelledLogits } from './classifier/calibration.js';
import { dedupe, findRawTwins, nearDuplicateGroups, readRows, splitByGroup, type Row } from './classifier/dataset.js';
import { evaluate, formatReport, reliability, type Scored } from './classifier/evaluate.js';
import { toModelFile } from './classifier/model-file.js';
import { logits, trainSoftmax, type SoftmaxModel } from './classifier/softmax-trainer.js';
import { buildVocabulary, subsetVocabulary, type Vocabulary } from './classifier/vocabulary.js';

const HYPERPARAMETERS = {
  ngram: { minN: 1, maxN: 3 },
  /** n-grams in fewer training texts are dropped before training. */
  minDf: 2,
  /** After a first fit, keep the n-grams with the largest weights and refit (bounds the model file). */
  keepFeatures: 150_000,
  l2: 3e-6,
  epochs: 30,
  learningRate: 16,
  seed: 20240601,
  heldOutShare: 0.15,
} as const;

const WHITESPACE = /\s+/g;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(repo, '../shared/data/tipdm2020c/train.jsonl') },
    raw: { type: 'string', default: resolve(repo, '../shared/data/tipdm2020c/messages-unlabeled.jsonl') },
    out: { type: 'string', default: resolve(repo, 'src/classify/model/local-model.json') },
  },
});
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);

const RawMessage = z.object({ title: z.string().default(''), body: z.string().default('') });
function readRawTexts(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const m = RawMessage.parse(JSON.parse(line));
      return `${m.title}\n${m.body}`;
    });
}

function fit(rows: readonly Row[], labels: readonly string[]): { vocabulary: Vocabulary; model: SoftmaxModel } {
  const spec = HYPERPARAMETERS.ngram;
  const texts = rows.map((r) => r.text);
  const targets = Int32Array.from(rows, (r) => labels.indexOf(r.label));
  const train = (vocabulary: Vocabulary) =>
    trainSoftmax(
      {
        vectors: texts.map((t) => tfidfVector(countKnownNgrams(t, spec, vocabulary.index), vocabulary.idf)),
        labels: targets,
        featureCount: vocabulary.grams.length,
        classCount: labels.length,
      },
      HYPERPARAMETERS,
    );
  const full = buildVocabulary(texts, spec, HYPERPARAMETERS.minDf);
  const first = train(full);
  const k = labels.length;
  const strength = Float64Array.from(full.grams, (_, f) => {
    let max = 0;
    for (let c = 0; c < k; c++) max = Math.max(max, Math.abs(first.weights[f * k + c]!));
    return max;
  });
  const keep = [...strength.keys()]
    .sort((a, b) => strength[b]! - strength[a]!)
    .slice(0, HYPERPARAMETERS.keepFeatures)
    .sort((a, b) => a - b);
  const vocabulary = subsetVocabulary(full, keep);
  log(`  ${rows.length} rows, ${full.grams.length} n-grams with df ≥ ${HYPERPARAMETERS.minDf}, kept ${keep.length}`);
  return { vocabulary, model: train(vocabulary) };
}

function score(classifier: LocalClassifier, text: string, truth: string): Scored {
  const p = classifier.classify(text);
  return {
    truth: classifier.labels.indexOf(truth),
    predicted: classifier.labels.indexOf(p.label),
    confidence: p.confidence,
  };
}

// --- data ---------------------------------------------------------------------------------------------
const dataBytes = readFileSync(args.data);
const allRows = readRows(args.data);
const { rows, conflicts } = dedupe(allRows);
const labels = [...new Set(rows.map((r) => r.label))].sort();
log(`${allRows.length} rows → ${rows.length} unique texts (${conflicts} with conflicting labels), ${labels.length} labels`);
const groups = nearDuplicateGroups(rows.map((r) => r.text));
const heldOut = splitByGroup(rows.map((r) => r.label), groups, HYPERPARAMETERS.heldOutShare, HYPERPARAMETERS.seed);
let twins: { text: string; row: number }[] = [];
if (existsSync(args.raw)) {
  const rawTexts = readRawTexts(args.raw);
  twins = findRawTwins(rows.map((r) => r.text), rawTexts).map(([raw, row]) => ({ text: rawTexts[raw]!, row }));
  const twinGroups = new Set(twins.map((t) => groups[t.row]));
  rows.forEach((_, i) => {
    if (twinGroups.has(groups[i]!)) heldOut[i] = true;
  });
}
const trainRows = rows.filter((_, i) => !heldOut[i]);
const testRows = rows.flatMap((row, i) => (heldOut[i] ? [{ row, index: i }] : []));
log(`${new Set(groups).size} near-duplicate groups; train ${trainRows.length}, held out ${testRows.length} (incl. ${twins.length} rows with a raw twin)`);

// --- held-out evaluation ------------------------------------------------------------------------------
const split = fit(trainRows, labels);
const logitsOf = (text: string) =>
  logits(split.model, tfidfVector(countKnownNgrams(text, HYPERPARAMETERS.ngram, split.vocabulary.index), split.vocabulary.idf));
const heldOutLogits: (LabelledLogits & { index: number })[] = testRows.map(({ row, index }) => ({
  logits: logitsOf(row.text),
  truth: labels.indexOf(row.label),
  index,
}));
const temperature = fitTemperature(heldOutLogits);
// Reliability is cross-fitted: each half of the held-out rows is scored with T fitted on the other half.
const withTemperature = (t: number) =>
  createLocalClassifier({ ...toModelFile({ labels, spec: HYPERPARAMETERS.ngram, ...split, temperature: t, meta: {} }) });
const byFold = [0, 1].map((fold) => withTemperature(fitTemperature(heldOutLogits.filter((_, i) => i % 2 !== fold))));
const twinRows = new Set(twins.map((t) => t.row));
const twinClassifier = withTemperature(fitTemperature(heldOutLogits.filter((h) => !twinRows.has(h.index))));

const segmented = testRows.map(({ row }, i) => score(byFold[i % 2]!, row.text, row.label));
const joined = testRows.map(({ row }, i) => score(byFold[i % 2]!, row.text.replace(WHITESPACE, ''), row.label));
const rawTwins = twins.map((t) => score(twinClassifier, t.text, rows[t.row]!.label));
const segmentedTwins = twins.map((t) => score(twinClassifier, rows[t.row]!.text, rows[t.row]!.label));
const floatAgreement =
  heldOutLogits.filter((h, i) => h.logits.indexOf(Math.max(...h.logits)) === segmented[i]!.predicted).length /
  heldOutLogits.length;
console.log(formatReport('held-out, segmented text', labels, segmented));
console.log(formatReport('held-out, spaces removed', labels, joined));
if (rawTwins.length) {
  console.log(formatReport('raw twins (raw text of held-out complaints)', labels, rawTwins));
  const gap = evaluate(segmentedTwins, labels.length);
  log(`the same ${twins.length} complaints as segmented training text: macro-F1 ${gap.macroF1.toFixed(4)}, accuracy ${gap.accuracy.toFixed(4)}`);
}
log(`temperature ${temperature.toFixed(3)}; int8 model agrees with float64 on ${(floatAgreement * 100).toFixed(2)}% of held-out rows`);

// --- final model on all rows --------------------------------------------------------------------------
const final = fit(rows, labels);
const summary = (items: Scored[]) => {
  const e = evaluate(items, labels.length);
  return { n: items.length, macroF1: +e.macroF1.toFixed(4), accuracy: +e.accuracy.toFixed(4), ece: +reliability(items).ece.toFixed(4) };
};
const file = toModelFile({
  labels,
  spec: HYPERPARAMETERS.ngram,
  ...final,
  temperature,
  meta: {
    source: basename(args.data),
    sha256: createHash('sha256').update(dataBytes).digest('hex'),
    rows: allRows.length,
    uniqueRows: rows.length,
    trainedOn: rows.length,
    features: final.vocabulary.grams.length,
    date: new Date().toISOString().slice(0, 10),
    hyperparameters: HYPERPARAMETERS,
    heldOut: {
      note: 'model trained on the other 85% (split by near-duplicate group); final model retrained on all rows',
      segmented: summary(segmented),
      spacesRemoved: summary(joined),
      rawTwins: summary(rawTwins),
      rawTwinsSegmented: summary(segmentedTwins),
    },
  },
});
createLocalClassifier(file); // never write a file the classifier would reject
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(file)}\n`);
log(`wrote ${args.out} (${(Buffer.byteLength(JSON.stringify(file)) / 1e6).toFixed(2)} MB)`);
