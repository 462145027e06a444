import type { CategoryRef, TownRef } from '../../prompts/classify.js';
import { LlmError } from '../core/errors.js';
import type { PlaceMatch } from '../core/gazetteer.js';
import { containsUnmaskedPii, maskPersonalData } from '../core/masking.js';
import type { ClassifyInput, Classifier, Clock, Logger, SplitItem } from '../core/ports.js';
import type { Classification } from '../core/types.js';
import { CircuitBreaker } from '../llm/circuit-breaker.js';
import { LlmCallError } from '../llm/llm-errors.js';
import type { ClassifiedItem } from '../llm/schemas.js';
import { type BatchedAnswer, LlmBatcher, type LlmPort } from './llm-batcher.js';
import { checkedAppealType, checkedSummary, checkedUrgency } from './model-claims.js';
import { itemTexts, type MaskedSegments, maskedSegments } from './segments.js';

export type { LlmPort } from './llm-batcher.js';

export interface LlmRouterOptions {
  local: Classifier;
  llm: LlmPort;
  categories: CategoryRef[];
  towns: TownRef[];
  resolvePlace: (text: string) => PlaceMatch;
  clock: Clock;
  log: Logger;
  /** Local confidence at or above which the LLM is skipped. */
  threshold?: number;
  /** Messages at least this long are asked about splitting even when the local classifier is sure. */
  splitMinChars?: number;
  breaker?: CircuitBreaker;
  /** Messages that wait for the model together go in one call, up to this many (default 1: never batch). */
  batchMax?: number;
  /** Classification calls in flight at once (default: no limit). */
  concurrency?: number;
}

/**
 * Measured (`tsx test/bench/measure-threshold.ts`: the training script's held-out split, model refitted on
 * the train side): the lowest threshold at which the local model is right on ≥ 97 % of the items it keeps,
 * on both held-out text and raw messages — 0.96 keeps 61.6 % of held-out items at 97.9 % accuracy and
 * 53.0 % of raw messages at 97.3 % (0.94 reaches 97.4 % on held-out text but only 95.6 % on raw text).
 * Raw text is what runs here, hence both. Re-measure after retraining the model; an office measures its
 * model's own accuracy with `minyi classify --llm` before trusting it to do better than that.
 */
export const DEFAULT_LOCAL_THRESHOLD = 0.96;
const DEFAULT_SPLIT_MIN_CHARS = 80;
const CACHE_LIMIT = 256;

/**
 * The LLM decides, the local classifier hints and catches every failure: an item is never lost or stuck
 * because the model is slow, wrong, down or attacked. Only masked text goes out.
 */
export class LlmRouter implements Classifier {
  private readonly breaker: CircuitBreaker;
  private readonly threshold: number;
  private readonly splitMinChars: number;
  /** Classifications made while splitting, keyed by the item's text, so intake does not ask twice. */
  private readonly cache = new Map<string, Classification>();
  private readonly names: Map<string, string>;
  private readonly batcher: LlmBatcher;
  /** A failed batch call rejects all its items with one error: the breaker counts it once. */
  private readonly counted = new WeakSet<object>();

  constructor(private readonly o: LlmRouterOptions) {
    this.breaker = o.breaker ?? new CircuitBreaker(o.clock);
    this.threshold = o.threshold ?? DEFAULT_LOCAL_THRESHOLD;
    this.splitMinChars = o.splitMinChars ?? DEFAULT_SPLIT_MIN_CHARS;
    this.names = new Map(o.categories.map((c) => [c.code, c.name]));
    this.batcher = new LlmBatcher({
      llm: o.llm, categories: o.categories, towns: o.towns, log: o.log,
      ...(o.batchMax === undefined ? {} : { maxBatch: o.batchMax }),
      ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
    });
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    const cached = this.cache.get(input.text);
    if (cached) {
      this.cache.delete(input.text);
      return cached;
    }
    const local = await this.o.local.classify(input);
    if (local.confidence >= this.threshold) return local;
    const result = await this.ask(input, local);
    if (!result.ok) return result.fallback;
    return this.toClassification(result.items[0]!, local, result.answer, result.items.length, result.segments);
  }

  async split(input: ClassifyInput): Promise<SplitItem[]> {
    const segments = maskedSegments(input.text);
    if (segments.raw.length < 2) return [{ text: input.text }];
    const local = await this.o.local.classify(input);
    if (local.confidence >= this.threshold && input.text.length < this.splitMinChars) return [{ text: input.text }];
    const result = await this.ask(input, local, segments);
    if (!result.ok) {
      this.remember(input.text, result.fallback);
      return [{ text: input.text }];
    }
    const texts = result.items.length === 1 ? [input.text] : itemTexts(segments.raw, result.items.map((i) => i.segments));
    const items = texts.map((text, i) => ({ text, item: result.items[i]! })).filter((x) => x.text.length > 0);
    items.forEach(({ text, item }) => this.remember(text, this.toClassification(item, local, result.answer, items.length, result.segments)));
    if (items.length > 1) this.o.log.info('llm.split', { items: items.length });
    return items.length ? items.map(({ text }) => ({ text })) : [{ text: input.text }];
  }

  private async ask(input: ClassifyInput, local: Classification, cut: MaskedSegments = maskedSegments(input.text)): Promise<
    { ok: true; items: ClassifiedItem[]; answer: BatchedAnswer; segments: string[] } | { ok: false; fallback: Classification }
  > {
    // Masked as one text before cutting (see maskedSegments); a final check refuses to send anything unmasked.
    const segments = cut.masked.map((s) => s.trim());
    if (segments.some((s) => containsUnmaskedPii(s).length > 0)) return { ok: false, fallback: fallback(local, 'unmasked personal data') };
    if (!this.breaker.allow()) return { ok: false, fallback: fallback(local, 'circuit open') };
    const place = this.o.resolvePlace(input.text);
    try {
      const answer = await this.batcher.ask({
        segments,
        candidates: [{ code: local.categoryCode, name: local.categoryName, probability: local.confidence }, ...local.alternatives],
        gazetteer: { townCode: place.townCode, place: place.place, evidence: place.evidence },
      });
      this.breaker.success();
      return { ok: true, items: answer.res.value.items, answer, segments };
    } catch (e) {
      if (!(e instanceof LlmError)) {
        this.breaker.neutral();
        throw e;
      }
      const endpointDown = e instanceof LlmCallError ? e.failure === 'transport' || e.failure === 'auth' : e.retryable;
      if (endpointDown && !this.counted.has(e)) this.breaker.failure();
      else this.breaker.neutral();
      this.counted.add(e);
      this.o.log.warn('llm.fallback', { reason: e.message, failure: e instanceof LlmCallError ? e.failure : null, breaker: this.breaker.state });
      return { ok: false, fallback: fallback(local, e.message) };
    }
  }

  /** `segments`: the masked segments the model saw; the item's own words are checked against its claims. */
  private toClassification(item: ClassifiedItem, local: Classification, { res, prompt }: BatchedAnswer, share: number, segments: readonly string[]): Classification {
    const words = item.segments.map((n) => segments[n - 1] ?? '').join('');
    const alternatives = [{ code: local.categoryCode, name: local.categoryName, probability: local.confidence }, ...local.alternatives]
      .filter((a, i, all) => a.code !== item.category && all.findIndex((b) => b.code === a.code) === i);
    return {
      categoryCode: item.category,
      categoryName: this.names.get(item.category) ?? item.category,
      appealType: checkedAppealType(item.appealType, words),
      urgency: checkedUrgency(item.urgency, words),
      // The model saw masked text only; masking again guards against a summary that rebuilt a number.
      summary: maskPersonalData(checkedSummary(item.summary.trim(), words)).text,
      confidence: item.confidence,
      alternatives,
      source: 'llm',
      rationale: `LLM：${maskPersonalData(item.rationale).text}`,
      model: res.model,
      promptId: prompt.id,
      promptVersion: prompt.version,
      // The message's tokens (its share of a batched call, see llm-batcher.ts) are shared evenly by its items.
      tokens: { prompt: Math.round(res.tokens.prompt / share), completion: Math.round(res.tokens.completion / share) },
      townCode: item.town,
      place: item.place ? maskPersonalData(item.place).text : null,
    };
  }

  private remember(text: string, c: Classification): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(text, c);
  }
}

function fallback(local: Classification, reason: string): Classification {
  return { ...local, source: 'local_fallback', rationale: `${local.rationale}（LLM 未采用：${reason}）` };
}
