import type { CategoryRef, TownRef } from '../../prompts/classify.js';
import { classifyPrompt } from '../../prompts/classify.js';
import { LlmError } from '../core/errors.js';
import type { PlaceMatch } from '../core/gazetteer.js';
import { containsUnmaskedPii, maskPersonalData } from '../core/masking.js';
import type { ClassifyInput, Classifier, Clock, Logger, SplitItem } from '../core/ports.js';
import type { Classification } from '../core/types.js';
import { CircuitBreaker } from '../llm/circuit-breaker.js';
import type { LlmRequest, LlmResult } from '../llm/client.js';
import { LlmCallError } from '../llm/llm-errors.js';
import { type ClassifiedItem, type ClassifyOutput, classifyOutputSchema } from '../llm/schemas.js';
import { itemTexts, segmentText } from './segments.js';

/** What the router needs from the LLM client (an interface so tests and batching can stand in). */
export interface LlmPort {
  readonly model: string;
  complete<T>(req: LlmRequest<T>): Promise<LlmResult<T>>;
}

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
}

/**
 * Argued, not yet measured on this deployment's labels: a TF-IDF-style local model is usually right well
 * above 90 % of the time when its top probability is ≥ 0.9, which is about what a general LLM reaches on
 * the same classes, so above it an LLM call buys little. Offices measure with `minyi classify --llm`.
 */
export const DEFAULT_LOCAL_THRESHOLD = 0.9;
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

  constructor(private readonly o: LlmRouterOptions) {
    this.breaker = o.breaker ?? new CircuitBreaker(o.clock);
    this.threshold = o.threshold ?? DEFAULT_LOCAL_THRESHOLD;
    this.splitMinChars = o.splitMinChars ?? DEFAULT_SPLIT_MIN_CHARS;
    this.names = new Map(o.categories.map((c) => [c.code, c.name]));
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
    return this.toClassification(result.items[0]!, local, result.res, result.items.length);
  }

  async split(input: ClassifyInput): Promise<SplitItem[]> {
    const segments = segmentText(input.text);
    if (segments.length < 2) return [{ text: input.text }];
    const local = await this.o.local.classify(input);
    if (local.confidence >= this.threshold && input.text.length < this.splitMinChars) return [{ text: input.text }];
    const result = await this.ask(input, local, segments);
    if (!result.ok) {
      this.remember(input.text, result.fallback);
      return [{ text: input.text }];
    }
    const texts = result.items.length === 1 ? [input.text] : itemTexts(segments, result.items.map((i) => i.segments));
    const items = texts.map((text, i) => ({ text, item: result.items[i]! })).filter((x) => x.text.length > 0);
    items.forEach(({ text, item }) => this.remember(text, this.toClassification(item, local, result.res, items.length)));
    if (items.length > 1) this.o.log.info('llm.split', { items: items.length });
    return items.length ? items.map(({ text }) => ({ text })) : [{ text: input.text }];
  }

  private async ask(input: ClassifyInput, local: Classification, rawSegments = segmentText(input.text)): Promise<
    { ok: true; items: ClassifiedItem[]; res: LlmResult<ClassifyOutput> } | { ok: false; fallback: Classification }
  > {
    // Masked per segment so numbering matches the raw text; a final check refuses to send anything unmasked.
    const segments = rawSegments.map((s) => maskPersonalData(s).text.trim());
    if (segments.some((s) => containsUnmaskedPii(s).length > 0)) return { ok: false, fallback: fallback(local, 'unmasked personal data') };
    if (!this.breaker.allow()) return { ok: false, fallback: fallback(local, 'circuit open') };
    const place = this.o.resolvePlace(input.text);
    try {
      const res = await this.o.llm.complete({
        name: 'classification',
        schema: classifyOutputSchema({ categories: this.o.categories.map((c) => c.code), towns: this.o.towns.map((t) => t.code) }, segments.length),
        messages: classifyPrompt.build({
          categories: this.o.categories, towns: this.o.towns, segments,
          candidates: [{ code: local.categoryCode, name: local.categoryName, probability: local.confidence }, ...local.alternatives],
          gazetteer: { townCode: place.townCode, place: place.place, evidence: place.evidence },
        }),
      });
      this.breaker.success();
      return { ok: true, items: res.value.items, res };
    } catch (e) {
      if (!(e instanceof LlmError)) {
        this.breaker.neutral();
        throw e;
      }
      const endpointDown = e instanceof LlmCallError ? e.failure === 'transport' || e.failure === 'auth' : e.retryable;
      if (endpointDown) this.breaker.failure();
      else this.breaker.neutral();
      this.o.log.warn('llm.fallback', { reason: e.message, failure: e instanceof LlmCallError ? e.failure : null, breaker: this.breaker.state });
      return { ok: false, fallback: fallback(local, e.message) };
    }
  }

  private toClassification(item: ClassifiedItem, local: Classification, res: LlmResult<ClassifyOutput>, share: number): Classification {
    const alternatives = [{ code: local.categoryCode, name: local.categoryName, probability: local.confidence }, ...local.alternatives]
      .filter((a, i, all) => a.code !== item.category && all.findIndex((b) => b.code === a.code) === i);
    return {
      categoryCode: item.category,
      categoryName: this.names.get(item.category) ?? item.category,
      appealType: item.appealType,
      urgency: item.urgency,
      // The model saw masked text only; masking again guards against a summary that rebuilt a number.
      summary: maskPersonalData(item.summary.trim()).text,
      confidence: item.confidence,
      alternatives,
      source: 'llm',
      rationale: `LLM：${maskPersonalData(item.rationale).text}`,
      model: res.model,
      promptId: classifyPrompt.id,
      promptVersion: classifyPrompt.version,
      // One call's tokens are shared evenly by the items it produced.
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
