/**
 * The embedded default classifier: character n-gram tf-idf + multinomial logistic regression, trained by
 * scripts/train-classifier.ts. Runs with no network and no node: imports (Cloudflare Workers too).
 */
import { z } from 'zod';
import {
  countKnownNgrams,
  FEATURE_VERSION,
  MAX_NGRAM,
  NgramIndex,
  NORM_PRIOR_SQUARES,
  type NgramSpec,
} from './text-features.js';

export interface CategoryScore {
  label: string;
  probability: number;
}

export interface LocalPrediction {
  label: string;
  /** Calibrated probability of `label` (temperature-scaled softmax). */
  confidence: number;
  /** The next three labels, most likely first. */
  alternatives: CategoryScore[];
}

export interface LocalClassifier {
  readonly labels: readonly string[];
  readonly meta: Record<string, unknown>;
  classify(text: string): LocalPrediction;
}

export const MODEL_FORMAT = 'minyi-local-classifier/1';
/** idf values are stored as bytes in steps of 1/IDF_BYTE_STEPS. */
export const IDF_BYTE_STEPS = 16;
const GRAM_SEPARATOR = ' ';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const LocalModelFile = z.object({
  format: z.literal(MODEL_FORMAT),
  featureVersion: z.literal(FEATURE_VERSION),
  labels: z.array(z.string().min(1)).min(2),
  ngram: z
    .object({ minN: z.number().int().min(1), maxN: z.number().int().max(MAX_NGRAM) })
    .refine((n) => n.minN <= n.maxN, 'ngram.minN must not exceed ngram.maxN'),
  /** All n-grams joined by a space (feature index = position). */
  grams: z.string(),
  /** Base64 bytes, one per feature: idf × IDF_BYTE_STEPS. */
  idf: z.string().regex(BASE64),
  /** Base64 int8, row-major [feature][label]; real weight = byte × weightScale. */
  weights: z.string().regex(BASE64),
  weightScale: z.number().positive(),
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  meta: z.record(z.string(), z.unknown()),
});
export type LocalModelFile = z.infer<typeof LocalModelFile>;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Validates a model file (e.g. the parsed local-model.json) and builds the lookup tables. */
export function createLocalClassifier(model: unknown): LocalClassifier {
  const parsed = LocalModelFile.safeParse(model);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid local classifier model: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const file = parsed.data;
  const labels = file.labels;
  const k = labels.length;
  const grams = file.grams === '' ? [] : file.grams.split(GRAM_SEPARATOR);
  const idfBytes = decodeBase64(file.idf);
  const weightBytes = decodeBase64(file.weights);
  if (new Set(labels).size !== k) throw new Error('invalid local classifier model: labels are not unique');
  if (file.bias.length !== k) throw new Error(`invalid local classifier model: ${file.bias.length} biases for ${k} labels`);
  if (idfBytes.length !== grams.length || weightBytes.length !== grams.length * k) {
    throw new Error(
      `invalid local classifier model: ${grams.length} n-grams but ${idfBytes.length} idf and ${weightBytes.length} weight bytes`,
    );
  }
  const index = new NgramIndex(grams);
  const idf = Float64Array.from(idfBytes, (b) => b / IDF_BYTE_STEPS);
  const weights = Float64Array.from(new Int8Array(weightBytes.buffer, weightBytes.byteOffset, weightBytes.length), (q) => q * file.weightScale);
  const spec: NgramSpec = file.ngram;
  const inverseTemperature = 1 / file.temperature;
  const meta = Object.freeze({ ...file.meta });

  function classify(text: string): LocalPrediction {
    const scores = new Float64Array(k);
    let squares = 0;
    for (const [feature, count] of countKnownNgrams(text, spec, index)) {
      const value = (1 + Math.log(count)) * idf[feature]!;
      squares += value * value;
      const row = feature * k;
      for (let c = 0; c < k; c++) scores[c] = scores[c]! + value * weights[row + c]!;
    }
    // Same normalisation as tfidfVector in training; no known n-gram leaves only the bias (a prior).
    const norm = 1 / Math.sqrt(squares + NORM_PRIOR_SQUARES);
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      scores[c] = (scores[c]! * norm + file.bias[c]!) * inverseTemperature;
      if (scores[c]! > max) max = scores[c]!;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      scores[c] = Math.exp(scores[c]! - max);
      sum += scores[c]!;
    }
    const ranked = labels
      .map((label, c) => ({ label, probability: scores[c]! / sum }))
      .sort((a, b) => b.probability - a.probability);
    const best = ranked[0]!;
    return { label: best.label, confidence: best.probability, alternatives: ranked.slice(1, 4) };
  }

  return { labels, meta, classify };
}
