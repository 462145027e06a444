/**
 * Model selection for the local classifier on a validation split carved from the TRAINING part of the
 * honest split (the held-out rows and their raw twins are never read here). Each variant is fitted on
 * the rest of the training part and scored on the validation rows; the chosen settings go into
 * train-classifier.ts, which then scores the held-out split once.
 *
 *   tsx src/classify/train/tune.ts [--val-seed=1] [--class-power=0] base cw sgd pseudo …
 */
import { resolve } from 'node:path';
import { countNgrams, normalizeText, tfidfVector, type NgramSpec, type SparseVector } from '../text-features.js';
import { wordUnits } from '../word-segmenter.js';
import { fitTemperature } from './calibration.js';
import { dedupe, findRawTwins, readRows, splitByGroup } from './dataset.js';
import { honestSplit } from './honest-split.js';
import { evaluate } from './evaluate.js';
import { logCountRatios, trainOneVsRest } from './one-vs-rest-trainer.js';
import { logits, softmax, trainSoftmax, type SoftmaxModel } from './softmax-trainer.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';
import { buildWordDictionary } from './word-dictionary.js';

const OPTION_RE = /^--([a-z-]+)=(.*)$/;
const options = new Map(process.argv.slice(2).flatMap((a) => {
  const m = OPTION_RE.exec(a);
  return m ? [[m[1]!, m[2]!] as const] : [];
}));
const variants = process.argv.slice(2).filter((a) => !OPTION_RE.test(a));

const DATA = resolve(import.meta.dirname, '../../../../shared/data/tipdm2020c');
const SEED = 20240601;
const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${s}`);

// --- the trainer's honest split; then a validation split of its training part ------------------------
const { rows } = dedupe(readRows(`${DATA}/train.jsonl`));
const { labels, groups, heldOut, rawTexts } = honestSplit(rows, { heldOutShare: 0.15, seed: SEED, rawPath: `${DATA}/messages-unlabeled.jsonl` });
const part = rows.filter((_, i) => !heldOut[i]);
const partGroups = groups.filter((_, i) => !heldOut[i]);
const isVal = splitByGroup(part.map((r) => r.label), partGroups, 0.2, SEED + Number(options.get('val-seed') ?? 1));
const fitRows = part.filter((_, i) => !isVal[i]);
const valRows = part.filter((_, i) => isVal[i]);
// Raw messages usable for pseudo-labelling: none that resembles a validation or held-out row (overlap ≥ 0.3).
const excluded = new Set(findRawTwins([...rows.filter((_, i) => heldOut[i]), ...valRows].map((r) => r.text), rawTexts, 0.3).map(([raw]) => raw));
const pool = rawTexts.filter((_, i) => !excluded.has(i));
log(`training part ${part.length}: fit ${fitRows.length}, validation ${valRows.length}; raw pool ${pool.length} of ${rawTexts.length}`);

const fitY = Int32Array.from(fitRows, (r) => labels.indexOf(r.label));
const valY = valRows.map((r) => labels.indexOf(r.label));
const k = labels.length;
const dictionary = buildWordDictionary(fitRows.map((r) => r.text));
type Block = 'chars' | 'words';
const toUnits: Record<Block, (t: string) => string> = { chars: normalizeText, words: (t) => wordUnits(t, dictionary.index) };
const SPEC: Record<Block, NgramSpec> = { chars: { minN: 1, maxN: 4 }, words: { minN: 1, maxN: 2 } };

interface Prepared { vocabulary: Vocabulary; fit: SparseVector[]; val: SparseVector[]; pool: SparseVector[] }
const prepared = new Map<Block, Prepared>();
function prepare(block: Block): Prepared {
  if (!prepared.has(block)) {
    const units = fitRows.map((r) => toUnits[block](r.text));
    const vocabulary = buildVocabulary(units, SPEC[block], 2);
    const vec = (u: string) => tfidfVector(countNgrams(u, SPEC[block], vocabulary.index), vocabulary.idf);
    prepared.set(block, { vocabulary, fit: units.map(vec), val: valRows.map((r) => vec(toUnits[block](r.text))), pool: pool.map((t) => vec(toUnits[block](t))) });
  }
  return prepared.get(block)!;
}

interface Options { l2: number; epochs: number; learningRate: number; classPower: number; pseudo?: { labels: Int32Array; weight: number; keep: boolean[] } }
const BASE: Record<Block, Options> = {
  chars: { l2: 3e-6, epochs: 30, learningRate: 16, classPower: 0 },
  words: { l2: 3e-6, epochs: 30, learningRate: 4, classPower: 0 },
};
const counts = labels.map((_, c) => fitY.filter((y) => y === c).length);
function train(block: Block, o: Options): SoftmaxModel {
  const p = prepare(block);
  const keep = o.pseudo ? p.pool.flatMap((v, i) => (o.pseudo!.keep[i] ? [i] : [])) : [];
  const vectors = [...p.fit, ...keep.map((i) => p.pool[i]!)];
  const y = Int32Array.from([...fitY, ...keep.map((i) => o.pseudo!.labels[i]!)]);
  const classWeight = counts.map((n) => (fitRows.length / (k * n)) ** o.classPower);
  const sampleWeights = Float64Array.from(y, (c, i) => classWeight[c]! * (i >= fitY.length ? o.pseudo!.weight : 1));
  const data = { vectors, labels: y, featureCount: p.vocabulary.grams.length, classCount: k, sampleWeights };
  const sgd = { ...o, seed: SEED };
  return block === 'chars' ? trainSoftmax(data, sgd) : trainOneVsRest(data, logCountRatios(data), sgd);
}

/** Validation probabilities (temperature fitted on validation: only the ensemble weights use it). */
interface Scores { val: Float64Array[]; pool: Float64Array[] }
function scores(block: Block, model: SoftmaxModel): Scores {
  const p = prepare(block);
  const l = p.val.map((v) => logits(model, v));
  const t = fitTemperature(l.map((x, j) => ({ logits: x, truth: valY[j]! })));
  return { val: l.map((x) => softmax(Float64Array.from(x), t)), pool: p.pool.map((v) => softmax(logits(model, v), t)) };
}
const mix = (a: Float64Array[], b: Float64Array[], w: number) => a.map((p, j) => p.map((x, c) => w * x + (1 - w) * b[j]![c]!));
function report(name: string, probs: Float64Array[]): number {
  const e = evaluate(probs.map((p, j) => ({ truth: valY[j]!, predicted: p.indexOf(Math.max(...p)), confidence: 0 })), k);
  log(`| ${name} | ${e.macroF1.toFixed(4)} | ${e.accuracy.toFixed(4)} | ${e.perClassF1.map((f) => f.toFixed(3)).join(' ')}`);
  return e.macroF1;
}
function ensembleTable(name: string, a: Scores, b: Scores): void {
  report(`${name} chars alone`, a.val);
  report(`${name} words alone`, b.val);
  for (const w of [0.3, 0.4, 0.5, 0.6, 0.7]) report(`${name} ensemble w_chars=${w}`, mix(a.val, b.val, w));
  // Log-linear pooling (product of calibrated probabilities) instead of their average.
  for (const w of [0.4, 0.5]) report(`${name} log-linear w_chars=${w}`, a.val.map((p, j) => p.map((x, c) => w * Math.log(x) + (1 - w) * Math.log(b.val[j]![c]!))));
}

const cache = new Map<string, Scores>();
const run = (block: Block, o: Options, tag = '') => {
  const key = `${block}${JSON.stringify({ ...o, pseudo: undefined })}${tag}`;
  if (!cache.has(key)) cache.set(key, scores(block, train(block, o)));
  return cache.get(key)!;
};

const VARIANTS: Record<string, () => void> = {
  base: () => ensembleTable('base', run('chars', BASE.chars), run('words', BASE.words)),
  cw: () => {
    for (const classPower of [0.5, 1]) ensembleTable(`class^${classPower}`, run('chars', { ...BASE.chars, classPower }), run('words', { ...BASE.words, classPower }));
  },
  l2: () => {
    for (const l2 of [1e-6, 1e-5]) ensembleTable(`l2=${l2}`, run('chars', { ...BASE.chars, l2 }), run('words', { ...BASE.words, l2 }));
  },
  l2only: () => ensembleTable('l2=1e-6', run('chars', { ...BASE.chars, l2: 1e-6 }), run('words', { ...BASE.words, l2: 1e-6 })),
  l2w: () => {
    for (const l2 of [1e-6, 3e-7]) ensembleTable(`l2=${l2}`, run('chars', { ...BASE.chars, l2 }), run('words', { ...BASE.words, l2 }));
  },
  epochs: () => ensembleTable('epochs=50', run('chars', { ...BASE.chars, epochs: 50 }), run('words', { ...BASE.words, epochs: 50 })),
  lr: () => {
    ensembleTable('lr chars 32 words 8', run('chars', { ...BASE.chars, learningRate: 32 }), run('words', { ...BASE.words, learningRate: 8 }));
    ensembleTable('lr chars 8 words 2', run('chars', { ...BASE.chars, learningRate: 8 }), run('words', { ...BASE.words, learningRate: 2 }));
  },
  pseudo: () => {
    const cp = Number(options.get('class-power') ?? 0);
    const a = run('chars', { ...BASE.chars, classPower: cp });
    const b = run('words', { ...BASE.words, classPower: cp });
    const probs = mix(a.pool, b.pool, 0.5);
    const pl = Int32Array.from(probs, (p) => p.indexOf(Math.max(...p)));
    for (const threshold of [0.7, 0.9]) {
      const keep = probs.map((p) => Math.max(...p) >= threshold);
      for (const weight of [0.5, 1]) {
        const pseudo = { labels: pl, weight, keep };
        const tag = `pseudo${threshold}/${weight}`;
        log(`${tag}: ${keep.filter(Boolean).length} pseudo-labelled raw messages`);
        ensembleTable(tag, run('chars', { ...BASE.chars, classPower: cp, pseudo }, tag), run('words', { ...BASE.words, classPower: cp, pseudo }, tag));
      }
    }
  },
};
for (const name of variants) { log(`-- ${name}`); VARIANTS[name]!(); }
