/**
 * The JSON format of the local classifier model (src/classify/model/local-model.json) and its decoding
 * into lookup tables. Pure: Workers import the JSON and build the classifier from it too.
 *
 * Format 2 holds one or two linear "blocks" whose calibrated probabilities are averaged: character
 * n-grams (always) and, optionally, word uni/bigrams over a dictionary-based segmentation.
 */
import { z } from 'zod';
import { FEATURE_VERSION, MAX_NGRAM, NgramIndex, type NgramSpec } from './text-features.js';
import { MAX_DICTIONARY_WORDS, MAX_WORD } from './word-segmenter.js';

export const MODEL_FORMAT = 'minyi-local-classifier/2';
/** idf values are stored as bytes in steps of 1/IDF_BYTE_STEPS. */
export const IDF_BYTE_STEPS = 16;
export const GRAM_SEPARATOR = ' ';
/** Joins the two words of a word bigram in a word block's `grams`. */
export const BIGRAM_JOINER = '|';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const Block = z.object({
  ngram: z
    .object({ minN: z.number().int().min(1), maxN: z.number().int().max(MAX_NGRAM) })
    .refine((n) => n.minN <= n.maxN, 'ngram.minN must not exceed ngram.maxN'),
  /** All features joined by a space (feature index = position). */
  grams: z.string(),
  /** Base64 bytes, one per feature: idf × IDF_BYTE_STEPS. */
  idf: z.string().regex(BASE64),
  /** Base64 int8, row-major [feature][label]; real weight = byte × weightScale. */
  weights: z.string().regex(BASE64),
  weightScale: z.number().positive(),
  bias: z.array(z.number()),
  /** Softmax temperature fitted on held-out rows. */
  temperature: z.number().positive(),
  /** Share of this block in the averaged probabilities. */
  weight: z.number().positive(),
});

export const LocalModelFile = z.object({
  format: z.literal(MODEL_FORMAT),
  featureVersion: z.literal(FEATURE_VERSION),
  labels: z.array(z.string().min(1)).min(2),
  chars: Block,
  /** Word block: `dictionary` is the segmentation vocabulary (space-separated); grams are word or word|word. */
  words: Block.extend({ dictionary: z.string() }).optional(),
  meta: z.record(z.string(), z.unknown()),
});
export type LocalModelFile = z.infer<typeof LocalModelFile>;

/**
 * Format 1 (character block only, fields at the top level) is still read, e.g. small stub models in
 * tests; it is converted to format 2 with the character block as the only block.
 */
const FORMAT_1 = 'minyi-local-classifier/1';
const LocalModelFileV1 = Block.omit({ weight: true }).extend({
  format: z.literal(FORMAT_1),
  featureVersion: z.literal(FEATURE_VERSION),
  labels: z.array(z.string().min(1)).min(2),
  meta: z.record(z.string(), z.unknown()),
});

/** Validates a model file of either format; returns it in format 2 or the first issue found. */
export function parseModelFile(model: unknown): { file: LocalModelFile } | { issue: string } {
  const isV1 = typeof model === 'object' && model !== null && (model as { format?: unknown }).format === FORMAT_1;
  const parsed = isV1 ? LocalModelFileV1.safeParse(model) : LocalModelFile.safeParse(model);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { issue: `${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
  }
  if (parsed.data.format === MODEL_FORMAT) return { file: parsed.data };
  const { format: _, featureVersion, labels, meta, ...chars } = parsed.data;
  return { file: { format: MODEL_FORMAT, featureVersion, labels, chars: { ...chars, weight: 1 }, meta } };
}
export type ModelBlock = z.infer<typeof Block>;

export class InvalidModelError extends Error {
  constructor(detail: string) {
    super(`invalid local classifier model: ${detail}`);
  }
}

export interface DecodedBlock {
  readonly spec: NgramSpec;
  readonly index: NgramIndex;
  /**
   * A row per feature, `stride` (labels + 1) bytes: its idf byte (read through `idfBytes`; idf = byte /
   * IDF_BYTE_STEPS), then its weight for each label, the file's int8 values as they are (8× less memory to
   * pull through the cache than float64: the classifier sums them and multiplies by weightScale once per
   * label). Side by side because a message's features land on random rows: one cache miss each, not two.
   */
  readonly rows: Int8Array;
  readonly idfBytes: Uint8Array;
  readonly stride: number;
  readonly weightScale: number;
  readonly bias: readonly number[];
  readonly inverseTemperature: number;
  readonly weight: number;
  /** Every n-gram's shorter prefixes are features too, so a scan may stop at the first unknown prefix. */
  readonly prefixClosed: boolean;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const splitList = (joined: string) => (joined === '' ? [] : joined.split(GRAM_SEPARATOR));

function newIndex(name: string, keys: readonly string[]): NgramIndex {
  try {
    return new NgramIndex(keys);
  } catch (error) {
    throw new InvalidModelError(`${name}: ${(error as Error).message}`);
  }
}

/** Checks sizes and builds the tables; `keys` are the features as unit strings (see countNgrams). */
export function decodeBlock(name: string, block: ModelBlock, keys: readonly string[], k: number): DecodedBlock {
  const idfBytes = decodeBase64(block.idf);
  const weightBytes = decodeBase64(block.weights);
  if (block.bias.length !== k) throw new InvalidModelError(`${name}.bias: ${block.bias.length} biases for ${k} labels`);
  if (idfBytes.length !== keys.length || weightBytes.length !== keys.length * k) {
    throw new InvalidModelError(
      `${name}: ${keys.length} features but ${idfBytes.length} idf and ${weightBytes.length} weight bytes`,
    );
  }
  const index = newIndex(`${name}.grams`, keys);
  const prefixClosed = keys.every((key) => key.length <= block.ngram.minN || index.lookup(key, 0, key.length - 1) >= 0);
  const stride = k + 1;
  const rows = new Int8Array(keys.length * stride);
  const rowBytes = new Uint8Array(rows.buffer);
  for (let f = 0; f < keys.length; f++) {
    rowBytes[f * stride] = idfBytes[f]!;
    rowBytes.set(weightBytes.subarray(f * k, f * k + k), f * stride + 1);
  }
  return {
    spec: block.ngram,
    index,
    prefixClosed,
    rows,
    idfBytes: rowBytes,
    stride,
    weightScale: block.weightScale,
    bias: block.bias,
    inverseTemperature: 1 / block.temperature,
    weight: block.weight,
  };
}

/** The word block's dictionary index and its grams rewritten as word-id units (id + 1 per word). */
export function decodeWordGrams(dictionary: string, grams: string): { dictionary: NgramIndex; keys: string[] } {
  const words = splitList(dictionary);
  if (words.length > MAX_DICTIONARY_WORDS) throw new InvalidModelError(`words.dictionary: ${words.length} words`);
  if (words.some((w) => w.length > MAX_WORD)) throw new InvalidModelError(`words.dictionary: a word longer than ${MAX_WORD}`);
  const ids = new Map(words.map((w, i) => [w, i]));
  const keys = splitList(grams).map((gram) =>
    String.fromCharCode(
      ...gram.split(BIGRAM_JOINER).map((word) => {
        const id = ids.get(word);
        if (id === undefined) throw new InvalidModelError(`words.grams: "${word}" is not in the dictionary`);
        return id + 1;
      }),
    ),
  );
  return { dictionary: newIndex('words.dictionary', words), keys };
}

export { splitList as splitGrams };
