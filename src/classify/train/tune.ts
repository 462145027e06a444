/**
 * Model selection for the local classifier on a validation split carved from the TRAINING part of the
 * honest split (the held-out rows and their raw twins are never read here). Each variant is fitted on
 * the rest of the training part and scored on the validation rows; the chosen settings go into
 * train-classifier.ts, which then scores the held-out split once.
 *
 *   tsx src/classify/train/tune.ts [--val-seed=1] [--class-power=0] base cw sgd pseudo …
 *   tsx src/classify/train/tune.ts --val-seed=1 [--dense-dim=100 --dense-words=20000 --dense-window=5] dense densecat
 *   tsx src/classify/train/tune.ts --val-seed=1 [--bags=4] bag
 *   tsx src/classify/train/tune.ts --val-seed=1 [--aug-mode=span|drop --aug-share=0.3 --aug-weight=0.5,1] aug
 *   tsx src/classify/train/tune.ts --val-seed=1 [--keep=180000:80000,320000:100000] keep    (pruned as the trainer does)
 *   tsx src/classify/train/tune.ts --val-seed=1 offsets        (per-class offsets, cross-fitted on validation halves)
 *   tsx src/classify/train/tune.ts --val-seed=1 --word-max=3 base   (word uni/bi/trigrams)
 *   tsx src/classify/train/tune.ts --val-seed=1 --agree=1 --pseudo-threshold=0.9 --pseudo-weight=0.5,1 pseudo
 *   tsx src/classify/train/tune.ts --val-seed=1 [--reply-weight=0.3,0.5,1] [--reply-filter=all,agree] replies
 *   tsx src/classify/train/tune.ts --val-seed=1 [--reply-weight=0.5,1] [--reply-filter=all,agree] replycv   (raw-text check: 2-fold over the reply-labelled messages)
 *   tsx src/classify/train/tune.ts --val-seed=1 [--reply-weight=0.5,1] textcv    (raw messages labelled by the department their own text names)
 */
import { resolve } from 'node:path';
import { countNgrams, normalizeText, tfidfVector, type NgramSpec, type SparseVector } from '../text-features.js';
import { wordUnits } from '../word-segmenter.js';
import { fitTemperature } from './calibration.js';
import { documentEmbedding, embeddingScratch } from './document-embedding.js';
import { dedupe, findRawTwins, nearDuplicateGroups, readRows, seededRandom, splitByGroup } from './dataset.js';
import { honestSplit } from './honest-split.js';
import { withSpanCut, withTokenDrop } from './augment.js';
import { departmentCategory, readReplyLabelled } from './reply-labels.js';
import { evaluate } from './evaluate.js';
import { fitBlock } from './fit-block.js';
import { logCountRatios, trainOneVsRest } from './one-vs-rest-trainer.js';
import { logits, softmax, trainSoftmax, type SoftmaxModel } from './softmax-trainer.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';
import { buildWordDictionary } from './word-dictionary.js';
import { learnWordEmbeddings, type EmbeddingConfig } from './word-embeddings.js';

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
// Replied raw messages labelled by the department that answered (reply-labels.ts), as indices into the pool:
// the pool already excludes every raw message resembling a validation or held-out row.
const replyLabel = new Map(readReplyLabelled(`${DATA}/messages-unlabeled.jsonl`).map((r) => [r.text, labels.indexOf(r.label)]));
const poolReplyLabels = Int32Array.from(pool, (t) => replyLabel.get(t) ?? -1);
log(`training part ${part.length}: fit ${fitRows.length}, validation ${valRows.length}; raw pool ${pool.length} of ${rawTexts.length}`);

const fitY = Int32Array.from(fitRows, (r) => labels.indexOf(r.label));
const valY = valRows.map((r) => labels.indexOf(r.label));
const k = labels.length;
const dictionary = buildWordDictionary(fitRows.map((r) => r.text));
type Block = 'chars' | 'words';
const toUnits: Record<Block, (t: string) => string> = { chars: normalizeText, words: (t) => wordUnits(t, dictionary.index) };
const SPEC: Record<Block, NgramSpec> = { chars: { minN: 1, maxN: 4 }, words: { minN: 1, maxN: Number(options.get('word-max') ?? 2) } };

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

interface Options { l2: number; epochs: number; learningRate: number; classPower: number; pseudo?: { labels: Int32Array; weight: number; keep: boolean[] }; bag?: { rows: boolean[]; seed: number }; extra?: { texts: string[]; weight: number } }
const BASE: Record<Block, Options> = {
  chars: { l2: 3e-6, epochs: 30, learningRate: 16, classPower: 0 },
  words: { l2: 3e-6, epochs: 30, learningRate: 4, classPower: 0 },
};
const counts = labels.map((_, c) => fitY.filter((y) => y === c).length);
function train(block: Block, o: Options): SoftmaxModel {
  const p = prepare(block);
  const keep = o.pseudo ? p.pool.flatMap((_, i) => (o.pseudo!.keep[i] ? [i] : [])) : [];
  const own = p.fit.flatMap((_, i) => (!o.bag || o.bag.rows[i] ? [i] : []));
  // Extra rows (augmented copies of the fit rows, one per fit row, same label) are vectorised with the fit vocabulary.
  const extra = o.extra ? o.extra.texts.map((t) => tfidfVector(countNgrams(toUnits[block](t), SPEC[block], p.vocabulary.index), p.vocabulary.idf)) : [];
  const vectors = [...own.map((i) => p.fit[i]!), ...keep.map((i) => p.pool[i]!), ...extra];
  const y = Int32Array.from([...own.map((i) => fitY[i]!), ...keep.map((i) => o.pseudo!.labels[i]!), ...extra.map((_, i) => fitY[i]!)]);
  const classWeight = counts.map((n) => (fitRows.length / (k * n)) ** o.classPower);
  const ownAndPseudo = own.length + keep.length;
  const sampleWeights = Float64Array.from(y, (c, i) => classWeight[c]! * (i >= ownAndPseudo ? o.extra!.weight : i >= own.length ? o.pseudo!.weight : 1));
  const data = { vectors, labels: y, featureCount: p.vocabulary.grams.length, classCount: k, sampleWeights };
  const sgd = { ...o, seed: o.bag?.seed ?? SEED };
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
  const key = `${block}${JSON.stringify({ ...o, pseudo: undefined, bag: undefined, extra: undefined })}${tag}`;
  if (!cache.has(key)) cache.set(key, scores(block, train(block, o)));
  return cache.get(key)!;
};

// --- dense block: word vectors learned without labels from the fit rows and the raw pool ---------------
// The pool already excludes raw messages resembling a validation or held-out row (overlap ≥ 0.3), so the
// unsupervised vectors never read the text being scored.
const EMBEDDING: EmbeddingConfig = {
  words: Number(options.get('dense-words') ?? 20_000),
  dimension: Number(options.get('dense-dim') ?? 100),
  window: Number(options.get('dense-window') ?? 5),
  contextPower: 0.75,
  eigenPower: Number(options.get('dense-eigen') ?? 0.5),
  seed: SEED,
};
function denseVectors(config: EmbeddingConfig): { fit: SparseVector[]; val: SparseVector[] } {
  const fitUnits = fitRows.map((r) => toUnits.words(r.text));
  const corpus = [...fitUnits, ...pool.map((t) => toUnits.words(t))];
  const e = learnWordEmbeddings(corpus, dictionary.words.length, config);
  log(`embeddings: ${corpus.length} texts, ${e.idf.length} words × ${e.dimension}`);
  const table = { dimension: e.dimension, vectors: e.vectors, idf: e.idf };
  const scratch = embeddingScratch(table);
  const indices = Int32Array.from({ length: e.dimension }, (_, i) => i);
  const vec = (units: string): SparseVector => {
    const values = new Float64Array(e.dimension);
    documentEmbedding(units, table, scratch, values);
    return { indices, values };
  };
  return { fit: fitUnits.map(vec), val: valRows.map((r) => vec(toUnits.words(r.text))) };
}
function denseScores(vectors: { fit: SparseVector[]; val: SparseVector[] }, o: { l2: number; epochs: number; learningRate: number }): Float64Array[] {
  const model = trainSoftmax({ vectors: vectors.fit, labels: fitY, featureCount: vectors.fit[0]!.indices.length, classCount: k }, { ...o, seed: SEED });
  const l = vectors.val.map((v) => logits(model, v));
  const t = fitTemperature(l.map((x, j) => ({ logits: x, truth: valY[j]! })));
  return l.map((x) => softmax(Float64Array.from(x), t));
}
function denseTable(name: string, dense: Float64Array[]): void {
  const a = run('chars', BASE.chars);
  const b = run('words', BASE.words);
  report(`${name} dense alone`, dense);
  for (const wd of [0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4]) {
    report(`${name} chars/words 0.5/0.5 + dense ${wd}`, mix(mix(a.val, b.val, 0.5), dense, 1 - wd));
  }
}

/** Validation probabilities of a block fitted, pruned and refitted as the trainer does (fit-block.ts). */
function prunedScores(block: Block, keepFeatures: number): Scores {
  const config = { ngram: SPEC[block], minDf: 2, keepFeatures, trainer: block === 'chars' ? 'softmax' as const : 'nbsvm' as const, ...BASE[block], seed: SEED, weight: 0.5 };
  const fitted = fitBlock(fitRows.map((r) => r.text), fitY, k, config, toUnits[block]);
  log(`${block}: kept ${fitted.vocabulary.grams.length} of ${fitted.fullFeatures}`);
  const l = valRows.map((r) => fitted.logits(r.text));
  const t = fitTemperature(l.map((x, j) => ({ logits: x, truth: valY[j]! })));
  return { val: l.map((x) => softmax(Float64Array.from(x), t)), pool: [] };
}

/**
 * Per-class log-offsets added to the ensemble's log-probabilities, chosen by coordinate ascent on macro-F1
 * over one half of the validation rows and scored on the other half (and the other way round), so the
 * figure is not earned on the rows that chose the offsets.
 */
function offsetTable(name: string, probs: Float64Array[]): void {
  const steps = [-1, -0.5, -0.25, 0, 0.25, 0.5, 1];
  const predict = (p: Float64Array, o: number[]) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (Math.log(p[c]!) + o[c]! > Math.log(p[best]!) + o[best]!) best = c;
    return best;
  };
  const f1 = (rows: number[], o: number[]) => evaluate(rows.map((j) => ({ truth: valY[j]!, predicted: predict(probs[j]!, o), confidence: 0 })), k).macroF1;
  const halves = [0, 1].map((h) => probs.flatMap((_, j) => (j % 2 === h ? [j] : [])));
  const crossFitted: Float64Array[] = [];
  for (const h of [0, 1]) {
    const offsets = new Array<number>(k).fill(0);
    for (let round = 0; round < 3; round++) {
      for (let c = 0; c < k; c++) {
        let best = { step: offsets[c]!, f: f1(halves[h]!, offsets) };
        for (const step of steps) {
          const f = f1(halves[h]!, offsets.map((o, i) => (i === c ? step : o)));
          if (f > best.f + 1e-9) best = { step, f };
        }
        offsets[c] = best.step;
      }
    }
    log(`offsets fitted on half ${h}: ${offsets.join(' ')}`);
    for (const j of halves[1 - h]!) crossFitted[j] = Float64Array.from(probs[j]!, (p, c) => Math.exp(Math.log(p) + offsets[c]!));
  }
  report(`${name} without offsets`, probs);
  report(`${name} with cross-fitted class offsets`, crossFitted);
}

const top = (p: Float64Array) => p.indexOf(Math.max(...p));
/** Scores predictions for the reply-labelled pool messages `reply` (pool indices) against their departments' labels. */
function rawReport(name: string, reply: readonly number[], predicted: readonly number[]): void {
  const e = evaluate(reply.map((i, j) => ({ truth: poolReplyLabels[i]!, predicted: predicted[j]!, confidence: 0 })), k);
  log(`| ${name} on ${reply.length} reply-labelled raw messages | ${e.macroF1.toFixed(4)} | ${e.accuracy.toFixed(4)} | ${e.perClassF1.map((f) => f.toFixed(3)).join(' ')}`);
}

const VARIANTS: Record<string, () => void> = {
  offsets: () => offsetTable('ensemble 0.5/0.5', mix(run('chars', BASE.chars).val, run('words', BASE.words).val, 0.5)),
  // Pruned blocks at the committed sizes and at larger ones (the 10 MB budget); --keep=chars:words,…
  keep: () => {
    for (const pair of (options.get('keep') ?? '180000:80000,320000:100000').split(',')) {
      const [c, w] = pair.split(':').map(Number);
      ensembleTable(`keep ${c}/${w}`, prunedScores('chars', c!), prunedScores('words', w!));
    }
  },
  aug: () => {
    const mode = options.get('aug-mode') ?? 'span';
    for (const share of (options.get('aug-share') ?? '0.3').split(',').map(Number)) {
      for (const weight of (options.get('aug-weight') ?? '0.5,1').split(',').map(Number)) {
        const texts = fitRows.map((r) => r.text);
        const extra = { texts: mode === 'drop' ? withTokenDrop(texts, share, SEED + 7) : withSpanCut(texts, share, SEED + 7), weight };
        const tag = `aug ${mode} ${share} w${weight}`;
        ensembleTable(tag, run('chars', { ...BASE.chars, extra }, tag), run('words', { ...BASE.words, extra }, tag));
      }
    }
  },
  dense: () => {
    const vectors = denseVectors(EMBEDDING);
    for (const learningRate of [1, 4, 16]) denseTable(`dense lr=${learningRate}`, denseScores(vectors, { l2: 1e-6, epochs: 30, learningRate }));
  },
  // The dense vector appended to the character block's features (scaled), instead of a block of its own.
  densecat: () => {
    const vectors = denseVectors(EMBEDDING);
    const chars = prepare('chars');
    const offset = chars.vocabulary.grams.length;
    const b = run('words', BASE.words);
    for (const scale of (options.get('dense-scale') ?? '0.5,1').split(',').map(Number)) {
      const join = (sparse: SparseVector, dense: SparseVector): SparseVector => ({
        indices: Int32Array.from([...sparse.indices, ...Array.from(dense.indices, (i) => i + offset)]),
        values: Float64Array.from([...sparse.values, ...Array.from(dense.values, (v) => v * scale)]),
      });
      const model = trainSoftmax(
        { vectors: chars.fit.map((v, i) => join(v, vectors.fit[i]!)), labels: fitY, featureCount: offset + EMBEDDING.dimension, classCount: k },
        { ...BASE.chars, seed: SEED },
      );
      const l = chars.val.map((v, j) => logits(model, join(v, vectors.val[j]!)));
      const t = fitTemperature(l.map((x, j) => ({ logits: x, truth: valY[j]! })));
      ensembleTable(`chars+dense×${scale}`, { val: l.map((x) => softmax(Float64Array.from(x), t)), pool: [] }, b);
    }
  },
  // Bagging: each bag fits both blocks on a seeded 80% subsample of the fit rows (its own SGD order);
  // the bags' calibrated probabilities are averaged per block, then the blocks 0.5/0.5.
  bag: () => {
    const bags = Number(options.get('bags') ?? 4);
    const chars: Float64Array[][] = [];
    const words: Float64Array[][] = [];
    for (let b = 0; b < bags; b++) {
      const random = seededRandom(SEED + 1000 + b);
      const bag = { rows: fitRows.map(() => random() < 0.8), seed: SEED + b };
      chars.push(run('chars', { ...BASE.chars, bag }, `bag${b}`).val);
      words.push(run('words', { ...BASE.words, bag }, `bag${b}`).val);
      const mean = (runs: Float64Array[][]) => runs[0]!.map((_, j) => runs[0]![j]!.map((__, c) => runs.reduce((sum, r) => sum + r[j]![c]!, 0) / runs.length));
      ensembleTable(`${b + 1} bags`, { val: mean(chars), pool: [] }, { val: mean(words), pool: [] });
    }
  },
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
  // Distant supervision: replied raw messages labelled by the department named in the reply. --reply-filter=agree
  // keeps only those on which the ensemble fitted without them agrees (it filters label noise, but also the
  // messages the model would learn most from).
  replies: () => {
    const a = run('chars', BASE.chars);
    const b = run('words', BASE.words);
    const probs = mix(a.pool, b.pool, 0.5);
    for (const filter of (options.get('reply-filter') ?? 'all').split(',')) {
      const keep = Array.from(poolReplyLabels, (c, i) => c >= 0 && (filter !== 'agree' || probs[i]!.indexOf(Math.max(...probs[i]!)) === c));
      const perClass = labels.map((l, c) => `${l} ${keep.filter((kept, i) => kept && poolReplyLabels[i] === c).length}`).join(', ');
      log(`replies ${filter}: ${keep.filter(Boolean).length} of ${replyLabel.size} labelled replied messages usable (${perClass})`);
      for (const weight of (options.get('reply-weight') ?? '0.3,0.5,1').split(',').map(Number)) {
        const pseudo = { labels: poolReplyLabels, weight, keep };
        const tag = `replies ${filter} w${weight}`;
        ensembleTable(tag, run('chars', { ...BASE.chars, pseudo }, tag), run('words', { ...BASE.words, pseudo }, tag));
      }
    }
  },
  // The validation rows are segmented text, and the honest split holds out every row with a raw twin, so the
  // training part has no labelled raw text to validate on. The reply-labelled messages are raw: split them in
  // two by near-duplicate group, add one half, score the other (against the department's label, ~94% right),
  // and the other way round; the base ensemble is scored on the same messages.
  replycv: () => {
    const reply = Array.from(poolReplyLabels.keys()).filter((i) => poolReplyLabels[i]! >= 0);
    const fold = splitByGroup(reply.map((i) => labels[poolReplyLabels[i]!]!), nearDuplicateGroups(reply.map((i) => pool[i]!)), 0.5, SEED + 11);
    const base = mix(run('chars', BASE.chars).pool, run('words', BASE.words).pool, 0.5);
    rawReport('base', reply, reply.map((i) => top(base[i]!)));
    for (const filter of (options.get('reply-filter') ?? 'all').split(',')) {
      for (const weight of (options.get('reply-weight') ?? '0.5,1').split(',').map(Number)) {
        const predicted: number[] = [];
        for (const f of [false, true]) {
          const keep = new Array<boolean>(pool.length).fill(false);
          reply.forEach((i, j) => { keep[i] = fold[j] !== f && (filter !== 'agree' || top(base[i]!) === poolReplyLabels[i]); });
          const pseudo = { labels: poolReplyLabels, weight, keep };
          const tag = `replycv ${filter} ${weight} ${f}`;
          const a = run('chars', { ...BASE.chars, pseudo }, tag);
          const b = run('words', { ...BASE.words, pseudo }, tag);
          report(`replies ${filter} half ${Number(f)} w${weight} (validation, segmented)`, mix(a.val, b.val, 0.5));
          const probs = mix(a.pool, b.pool, 0.5);
          reply.forEach((i, j) => { if (fold[j] === f) predicted[j] = top(probs[i]!); });
        }
        rawReport(`replies ${filter} w${weight}, other half`, reply, predicted);
      }
    }
  },
  // Raw messages whose own text names departments of one category (请环保局…; 0.919 precise on the labelled
  // rows' text), none reply-labelled or resembling one (overlap ≥ 0.3): added, scored on all reply-labelled ones.
  textcv: () => {
    const reply = Array.from(poolReplyLabels.keys()).filter((i) => poolReplyLabels[i]! >= 0);
    const own = Int32Array.from(pool, (t, i) => (poolReplyLabels[i]! >= 0 ? -1 : labels.indexOf(departmentCategory(t) ?? '')));
    const candidates = Array.from(own.keys()).filter((i) => own[i]! >= 0);
    const near = new Set(findRawTwins(reply.map((i) => pool[i]!), candidates.map((i) => pool[i]!), 0.3).map(([c]) => candidates[c]!));
    const keep = Array.from(own, (c, i) => c >= 0 && !near.has(i));
    log(`textcv: ${keep.filter(Boolean).length} raw messages labelled by their own text (${near.size} resembling a reply-labelled one left out)`);
    const base = mix(run('chars', BASE.chars).pool, run('words', BASE.words).pool, 0.5);
    rawReport('base', reply, reply.map((i) => top(base[i]!)));
    for (const weight of (options.get('reply-weight') ?? '0.5,1').split(',').map(Number)) {
      const pseudo = { labels: own, weight, keep };
      const a = run('chars', { ...BASE.chars, pseudo }, `textcv ${weight}`);
      const b = run('words', { ...BASE.words, pseudo }, `textcv ${weight}`);
      report(`own-text labels w${weight} (validation, segmented)`, mix(a.val, b.val, 0.5));
      const probs = mix(a.pool, b.pool, 0.5);
      rawReport(`own-text labels w${weight}`, reply, reply.map((i) => top(probs[i]!)));
    }
  },
  pseudo: () => {
    const cp = Number(options.get('class-power') ?? 0);
    const a = run('chars', { ...BASE.chars, classPower: cp });
    const b = run('words', { ...BASE.words, classPower: cp });
    const probs = mix(a.pool, b.pool, 0.5);
    const pl = Int32Array.from(probs, top);
    // --agree: keep a raw message only if each block on its own names the same label, each with at least
    // the threshold (the two blocks see different features, so their agreement filters confident errors).
    const agree = options.get('agree') === '1';
    for (const threshold of (options.get('pseudo-threshold') ?? '0.7,0.9').split(',').map(Number)) {
      const keep = probs.map((p, i) => (agree
        ? top(a.pool[i]!) === top(b.pool[i]!) && Math.max(...a.pool[i]!) >= threshold && Math.max(...b.pool[i]!) >= threshold
        : Math.max(...p) >= threshold));
      for (const weight of (options.get('pseudo-weight') ?? '0.5,1').split(',').map(Number)) {
        const pseudo = { labels: pl, weight, keep };
        const tag = `pseudo${agree ? ' agree' : ''}${threshold}/${weight}`;
        log(`${tag}: ${keep.filter(Boolean).length} pseudo-labelled raw messages`);
        ensembleTable(tag, run('chars', { ...BASE.chars, classPower: cp, pseudo }, tag), run('words', { ...BASE.words, classPower: cp, pseudo }, tag));
      }
    }
  },
};
for (const name of variants) { log(`-- ${name}`); VARIANTS[name]!(); }
