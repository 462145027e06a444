import { LlmRouter } from '../../classify/llm-router.js';
import { localClassifier } from '../../classify/local-router.js';
import { loadDefaultLocalClassifier } from '../../classify/load-local-model.js';
import { districtFromSeed } from '../../core/district.js';
import { BotError } from '../../core/errors.js';
import { buildResolver } from '../../core/gazetteer.js';
import { maskPersonalData } from '../../core/masking.js';
import type { Classifier, Logger } from '../../core/ports.js';
import { buildTaxonomy } from '../../core/taxonomy.js';
import { LlmClient } from '../../llm/client.js';
import { loadDistrictSeed } from '../../store/district-seed.js';
import { loadTaxonomySeed } from '../../store/taxonomy-seed.js';
import { classifyInput } from './classify-input.js';
import { jsonLines, out } from './io.js';
import type { Config } from '../config.js';
import { systemClock } from '../ids.js';

export interface ClassifyLlmOptions {
  input?: NodeJS.ReadableStream;
  write?: (line: string) => void;
  log?: Logger;
  /** Local confidence above which the LLM is skipped; 1 sends every item (to measure the model alone). */
  threshold?: number;
  /** Replaces the local model (tests). */
  local?: Classifier;
}

/**
 * `minyi classify --llm`: the offline command's output plus source, tokens, model and prompt version, so
 * an office can measure a model on its own labelled messages before trusting it. Totals go to stderr.
 */
export async function classifyLlmCommand(config: Config, opts: ClassifyLlmOptions = {}): Promise<number> {
  if (!config.LLM_BASE_URL || !config.LLM_MODEL) throw new BotError('config_invalid', 'classify --llm needs LLM_BASE_URL and LLM_MODEL');
  const write = opts.write ?? out;
  const taxonomy = buildTaxonomy(loadTaxonomySeed());
  const district = districtFromSeed(loadDistrictSeed(config.DISTRICT_CODE));
  const resolve = buildResolver(district);
  const llm = new LlmClient({ baseURL: config.LLM_BASE_URL, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS, ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}) });
  const threshold = opts.threshold ?? config.LLM_LOCAL_CONFIDENCE;
  const router = new LlmRouter({
    local: opts.local ?? localClassifier(loadDefaultLocalClassifier(), taxonomy), llm,
    categories: taxonomy.categories, towns: district.towns, resolvePlace: resolve, clock: systemClock,
    log: opts.log ?? { info() {}, warn() {}, error() {} },
    ...(threshold === undefined ? {} : { threshold }),
  });
  const totals = { items: 0, llm: 0, fallback: 0, prompt: 0, completion: 0 };
  let failures = 0;
  for await (const { line, value, error } of jsonLines(opts.input ?? process.stdin)) {
    const item = classifyInput(line, value, error);
    if ('error' in item) {
      failures++;
      write(JSON.stringify({ line, error: item.error }));
      continue;
    }
    const { text } = item;
    const c = await router.classify({ text, masked: maskPersonalData(text).text });
    const place = resolve(text);
    const town = place.townCode ?? c.townCode ?? null;
    totals.items++;
    if (c.source === 'llm') totals.llm++;
    if (c.source === 'local_fallback') totals.fallback++;
    totals.prompt += c.tokens?.prompt ?? 0;
    totals.completion += c.tokens?.completion ?? 0;
    write(JSON.stringify({
      id: item.id, category: c.categoryCode, categoryName: c.categoryName, town,
      townName: district.towns.find((t) => t.code === town)?.name ?? null, place: place.place ?? c.place ?? null,
      confidence: Number(c.confidence.toFixed(4)), appealType: c.appealType, urgency: c.urgency, summary: c.summary,
      alternatives: c.alternatives.map((a) => ({ category: a.code, name: a.name, probability: Number(a.probability.toFixed(4)) })),
      evidence: place.evidence, source: c.source, tokens: c.tokens ?? { prompt: 0, completion: 0 },
      model: c.model ?? null, promptId: c.promptId ?? null, promptVersion: c.promptVersion ?? null,
    }));
  }
  process.stderr.write(`${JSON.stringify({ totals, perItem: totals.items ? { prompt: Math.round(totals.prompt / totals.items), completion: Math.round(totals.completion / totals.items) } : null })}\n`);
  return failures ? 1 : 0;
}
