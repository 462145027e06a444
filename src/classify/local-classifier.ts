/**
 * The embedded default classifier: linear models over character n-grams and (optionally) dictionary
 * words, trained by src/classify/train/train-classifier.ts, their calibrated probabilities averaged. Runs with no
 * network and no node: imports (Cloudflare Workers too).
 */
import { normalizeText, NORM_PRIOR_SQUARES, type NgramIndex } from './text-features.js';
import { wordUnits } from './word-segmenter.js';
import {
  decodeBlock,
  decodeWordGrams,
  IDF_BYTE_STEPS,
  InvalidModelError,
  parseModelFile,
  splitGrams,
  type DecodedBlock,
} from './local-model-file.js';

export { IDF_BYTE_STEPS, MODEL_FORMAT, type LocalModelFile } from './local-model-file.js';

export interface CategoryScore {
  label: string;
  probability: number;
}

export interface LocalPrediction {
  label: string;
  /** Calibrated probability of `label` (temperature-scaled softmax, averaged over the model's blocks). */
  confidence: number;
  /** The next three labels, most likely first. */
  alternatives: CategoryScore[];
}

export interface LocalClassifier {
  readonly labels: readonly string[];
  readonly meta: Record<string, unknown>;
  classify(text: string): LocalPrediction;
}

/**
 * Per-block scratch: counts by feature and the list of features touched, reused across calls (the
 * classifier is synchronous) so the hot path allocates no Map per message.
 */
interface Scratch {
  readonly counts: Int32Array;
  readonly touched: Int32Array;
}

/**
 * Adds `block.weight` × softmax(scores / T) to `out`. Same tf-idf and normalisation as tfidfVector in
 * training; a text with no known feature leaves only the bias (a prior).
 */
function addProbabilities(block: DecodedBlock, scratch: Scratch, units: string, out: Float64Array): void {
  const { counts, touched } = scratch;
  const { index, spec } = block;
  let distinct = 0;
  const length = units.length;
  for (let start = 0; start < length; start++) {
    const longest = Math.min(spec.maxN, length - start);
    for (let n = spec.minN; n <= longest; n++) {
      const feature = index.lookup(units, start, n);
      if (feature < 0) {
        if (block.prefixClosed) break;
        continue;
      }
      if (counts[feature] === 0) touched[distinct++] = feature;
      counts[feature]!++;
    }
  }
  const k = out.length;
  const scores = new Float64Array(k);
  let squares = 0;
  const { rows, idfBytes, stride } = block;
  for (let i = 0; i < distinct; i++) {
    const feature = touched[i]!;
    const at = feature * stride;
    const value = (1 + Math.log(counts[feature]!)) * (idfBytes[at]! / IDF_BYTE_STEPS);
    counts[feature] = 0;
    squares += value * value;
    for (let c = 0; c < k; c++) scores[c] = scores[c]! + value * rows[at + 1 + c]!;
  }
  const norm = block.weightScale / Math.sqrt(squares + NORM_PRIOR_SQUARES);
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    scores[c] = (scores[c]! * norm + block.bias[c]!) * block.inverseTemperature;
    if (scores[c]! > max) max = scores[c]!;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    scores[c] = Math.exp(scores[c]! - max);
    sum += scores[c]!;
  }
  for (let c = 0; c < k; c++) out[c] = out[c]! + (block.weight * scores[c]!) / sum;
}

const scratchFor = (block: DecodedBlock): Scratch => ({
  counts: new Int32Array(block.rows.length / block.stride),
  touched: new Int32Array(block.rows.length / block.stride),
});

/** Validates a model file (e.g. the parsed local-model.json) and builds the lookup tables. */
export function createLocalClassifier(model: unknown): LocalClassifier {
  const parsed = parseModelFile(model);
  if ('issue' in parsed) throw new InvalidModelError(parsed.issue);
  const file = parsed.file;
  const labels = file.labels;
  const k = labels.length;
  if (new Set(labels).size !== k) throw new InvalidModelError('labels are not unique');
  const chars = decodeBlock('chars', file.chars, splitGrams(file.chars.grams), k);
  let words: { block: DecodedBlock; dictionary: NgramIndex } | undefined;
  if (file.words) {
    const decoded = decodeWordGrams(file.words.dictionary, file.words.grams);
    words = { block: decodeBlock('words', file.words, decoded.keys, k), dictionary: decoded.dictionary };
  }
  const totalWeight = chars.weight + (words?.block.weight ?? 0);
  const charScratch = scratchFor(chars);
  const wordScratch = words && scratchFor(words.block);
  const meta = Object.freeze({ ...file.meta });

  function classify(text: string): LocalPrediction {
    const probabilities = new Float64Array(k);
    addProbabilities(chars, charScratch, normalizeText(text), probabilities);
    if (words) addProbabilities(words.block, wordScratch!, wordUnits(text, words.dictionary), probabilities);
    const ranked = labels
      .map((label, c) => ({ label, probability: probabilities[c]! / totalWeight }))
      .sort((a, b) => b.probability - a.probability);
    const best = ranked[0]!;
    return { label: best.label, confidence: best.probability, alternatives: ranked.slice(1, 4) };
  }

  return { labels, meta, classify };
}
