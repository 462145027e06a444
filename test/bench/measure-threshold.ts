/**
 * Measures the LLM routing threshold (LLM_LOCAL_CONFIDENCE): for each threshold, the share of items the
 * local classifier is sure enough of to skip the LLM, and how often it is right on exactly those items.
 *
 *   tsx test/bench/measure-threshold.ts [--data train.jsonl] [--raw messages-unlabeled.jsonl] [--model local-model.json]
 *
 * Honest numbers need a model that has not seen the held-out rows, and the shipped model was retrained on
 * all rows; so this rebuilds the training script's held-out split (dedupe, near-duplicate groups, 85/15 by
 * group with its seed, raw twins held out) and refits on the train side with the hyperparameters recorded
 * in the shipped model's `meta`, calibrating as the training script does (temperatures cross-fitted).
 * Reads ../shared/data only when run by hand; nothing here is copied into the repo. ~2 min on 2 busy cores.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLocalClassifier, type LocalClassifier } from '../../src/classify/local-classifier.js';
import { normalizeText } from '../../src/classify/text-features.js';
import { fitTemperature } from '../../src/classify/train/calibration.js';
import { dedupe, readRows } from '../../src/classify/train/dataset.js';
import { honestSplit } from '../../src/classify/train/honest-split.js';
import { type BlockConfig, fitBlock, type FittedBlock } from '../../src/classify/train/fit-block.js';
import { toModelFile } from '../../src/classify/train/model-file.js';
import { buildWordDictionary } from '../../src/classify/train/word-dictionary.js';
import { wordUnits } from '../../src/classify/word-segmenter.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(repo, '../shared/data/tipdm2020c/train.jsonl') },
    raw: { type: 'string', default: resolve(repo, '../shared/data/tipdm2020c/messages-unlabeled.jsonl') },
    model: { type: 'string', default: resolve(repo, 'src/classify/model/local-model.json') },
  },
});

const Hyper = z.object({
  seed: z.number(),
  heldOutShare: z.number(),
  chars: z.custom<BlockConfig>((v) => typeof v === 'object' && v !== null),
  words: z.custom<BlockConfig>((v) => typeof v === 'object' && v !== null),
  dictionaryMinCount: z.number(),
  charsOnly: z.boolean().optional(),
});
const hyper = Hyper.parse((JSON.parse(readFileSync(args.model, 'utf8')) as { meta: { hyperparameters: unknown } }).meta.hyperparameters);
const THRESHOLDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99];
const TARGET_ACCURACY = 0.97;
const WHITESPACE = /\s+/g;
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);

// --- the training script's held-out split -------------------------------------------------------------
const { rows } = dedupe(readRows(args.data));
const { labels, twins, trainRows, testRows } = honestSplit(rows, { heldOutShare: hyper.heldOutShare, seed: hyper.seed, rawPath: args.raw });
log(`train ${trainRows.length}, held out ${testRows.length} (incl. ${twins.length} raw twins); fitting…`);

// --- fit on the train side, calibrate like the training script --------------------------------------------
const targets = Int32Array.from(trainRows, (r) => labels.indexOf(r.label));
const chars = fitBlock(trainRows.map((r) => r.text), targets, labels.length, hyper.chars, normalizeText);
let words: (FittedBlock & { dictionary: ReturnType<typeof buildWordDictionary> }) | undefined;
if (!hyper.charsOnly) {
  const dictionary = buildWordDictionary(trainRows.map((r) => r.text), hyper.dictionaryMinCount);
  words = { ...fitBlock(trainRows.map((r) => r.text), targets, labels.length, hyper.words, (t) => wordUnits(t, dictionary.index)), dictionary };
}
log('fitted');
const logitsOf = testRows.map(({ row, index }) => ({ index, truth: labels.indexOf(row.label), chars: chars.logits(row.text), words: words?.logits(row.text) }));
const temps = (items: typeof logitsOf) => ({
  chars: fitTemperature(items.map((h) => ({ logits: h.chars, truth: h.truth }))),
  words: words ? fitTemperature(items.map((h) => ({ logits: h.words!, truth: h.truth }))) : 1,
});
const classifierOf = (t: { chars: number; words: number }): LocalClassifier => createLocalClassifier(toModelFile({
  labels,
  chars: { ...chars, temperature: t.chars },
  ...(words && { words: { ...words, temperature: t.words } }),
  meta: {},
}));
const byFold = [0, 1].map((fold) => classifierOf(temps(logitsOf.filter((_, i) => i % 2 !== fold))));
const twinRows = new Set(twins.map((t) => t.row));
const twinClassifier = classifierOf(temps(logitsOf.filter((h) => !twinRows.has(h.index))));

interface Scored { confidence: number; correct: boolean }
const score = (c: LocalClassifier, text: string, truth: string): Scored => {
  const p = c.classify(text);
  return { confidence: p.confidence, correct: p.label === truth };
};
const sets: [string, Scored[]][] = [
  ['held-out (segmented text, spaces removed)', testRows.map(({ row }, i) => score(byFold[i % 2]!, row.text.replace(WHITESPACE, ''), row.label))],
  ['raw twins (raw text of held-out complaints)', twins.map((t) => score(twinClassifier, t.text, rows[t.row]!.label))],
];

for (const [title, items] of sets) {
  if (!items.length) continue;
  const overall = items.filter((s) => s.correct).length / items.length;
  console.log(`\n${title}: n=${items.length}, local accuracy on all ${(overall * 100).toFixed(1)}%`);
  console.log('threshold | skip LLM | local accuracy on skipped | n skipped | wrong skipped');
  let pick: number | null = null;
  for (const t of THRESHOLDS) {
    const skipped = items.filter((s) => s.confidence >= t);
    const right = skipped.filter((s) => s.correct).length;
    const acc = skipped.length ? right / skipped.length : 1;
    if (pick === null && acc >= TARGET_ACCURACY) pick = t;
    console.log(`${t.toFixed(2).padStart(9)} | ${((skipped.length / items.length) * 100).toFixed(1).padStart(7)}% | ${(acc * 100).toFixed(1).padStart(24)}% | ${String(skipped.length).padStart(9)} | ${skipped.length - right}`);
  }
  console.log(`lowest threshold with local accuracy on skipped items ≥ ${TARGET_ACCURACY * 100}%: ${pick ?? 'none'}`);
}
