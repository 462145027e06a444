/**
 * Fits one block of the local classifier (character n-grams or word uni/bigrams): vocabulary, first fit,
 * prune to the features with the largest weights (bounds the model file), refit.
 */
import { countNgrams, tfidfVector, type NgramSpec, type SparseVector } from '../text-features.js';
import { logCountRatios, trainOneVsRest } from './one-vs-rest-trainer.js';
import { logits, trainSoftmax, type SoftmaxModel } from './softmax-trainer.js';
import { buildVocabulary, subsetVocabulary, type Vocabulary } from './vocabulary.js';

export interface BlockConfig {
  readonly ngram: NgramSpec;
  /** n-grams in fewer training texts are dropped before training. */
  readonly minDf: number;
  readonly keepFeatures: number;
  /** softmax: multinomial logistic regression; nbsvm: one-vs-rest logistic on NB log-count-ratio-scaled features. */
  readonly trainer: 'softmax' | 'nbsvm';
  readonly l2: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Share of the block in the averaged probabilities. */
  readonly weight: number;
}

export interface FittedBlock {
  readonly spec: NgramSpec;
  readonly vocabulary: Vocabulary;
  readonly model: SoftmaxModel;
  readonly weight: number;
  /** The block's logits for a text (raw or segmented). */
  logits(text: string): Float64Array;
}

export function fitBlock(
  texts: readonly string[],
  targets: Int32Array,
  classCount: number,
  config: BlockConfig,
  toUnits: (text: string) => string,
): FittedBlock & { fullFeatures: number } {
  const units = texts.map(toUnits);
  const vectorOf = (vocabulary: Vocabulary, u: string): SparseVector =>
    tfidfVector(countNgrams(u, config.ngram, vocabulary.index), vocabulary.idf);
  const train = (vocabulary: Vocabulary) => {
    const data = {
      vectors: units.map((u) => vectorOf(vocabulary, u)),
      labels: targets,
      featureCount: vocabulary.grams.length,
      classCount,
    };
    return config.trainer === 'softmax' ? trainSoftmax(data, config) : trainOneVsRest(data, logCountRatios(data), config);
  };
  const full = buildVocabulary(units, config.ngram, config.minDf);
  let vocabulary = full;
  let model = train(full);
  if (full.grams.length > config.keepFeatures) {
    const strength = Float64Array.from(full.grams, (_, f) => {
      let max = 0;
      for (let c = 0; c < classCount; c++) max = Math.max(max, Math.abs(model.weights[f * classCount + c]!));
      return max;
    });
    const keep = new Set(
      [...strength.keys()].sort((a, b) => strength[b]! - strength[a]!).slice(0, config.keepFeatures),
    );
    // Keep the vocabulary prefix-closed (every kept n-gram's shorter prefixes too, a few % more features):
    // the classifier then stops extending an n-gram as soon as a prefix is unknown (measured ~8% faster).
    for (const f of [...keep]) {
      const gram = full.grams[f]!;
      for (let n = config.ngram.minN; n < gram.length; n++) keep.add(full.index.lookup(gram, 0, n));
    }
    if (keep.has(-1)) throw new Error('vocabulary before pruning is not prefix-closed');
    vocabulary = subsetVocabulary(full, [...keep].sort((a, b) => a - b));
    model = train(vocabulary);
  }
  return {
    spec: config.ngram,
    vocabulary,
    model,
    weight: config.weight,
    fullFeatures: full.grams.length,
    logits: (text) => logits(model, vectorOf(vocabulary, toUnits(text))),
  };
}
