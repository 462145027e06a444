import type { CategoryRef, TownRef } from '../../prompts/classify.js';
import { LlmRouter } from '../classify/llm-router.js';
import type { PlaceMatch } from '../core/gazetteer.js';
import type { Classifier, Clock, Logger, Writer } from '../core/ports.js';
import { LlmClient } from '../llm/client.js';
import { LlmWriter } from '../llm/llm-writer.js';
import type { Config } from './config.js';

/** The deployment's code tables and gazetteer, which constrain and hint the LLM. */
export interface LlmWiringContext {
  categories: CategoryRef[];
  towns: TownRef[];
  resolvePlace: (text: string) => PlaceMatch;
  clock: Clock;
}

/** With LLM_BASE_URL and LLM_MODEL set, the LLM decides and the local classifier hints and falls back. */
export function wireClassifier(config: Config, log: Logger, local: Classifier, ctx?: LlmWiringContext): Classifier {
  if (!config.LLM_BASE_URL) return local;
  if (!config.LLM_MODEL || !ctx) {
    log.warn('llm.disabled', { reason: config.LLM_MODEL ? 'no taxonomy/district context' : 'LLM_MODEL is not set' });
    return local;
  }
  const llm = new LlmClient({
    baseURL: config.LLM_BASE_URL, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS,
    ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
  });
  log.info('llm.enabled', { model: config.LLM_MODEL, host: new URL(config.LLM_BASE_URL).host });
  const router = new LlmRouter({
    local, llm, log, ...ctx, batchMax: config.LLM_BATCH_MAX, concurrency: config.LLM_CONCURRENCY,
    ...(config.LLM_LOCAL_CONFIDENCE === undefined ? {} : { threshold: config.LLM_LOCAL_CONFIDENCE }),
  });
  return router;
}

// A 1500-character write-up is ~2000 tokens of JSON and takes a while; classification keeps its own limits.
const PROSE_MAX_TOKENS = 4000;
const PROSE_TIMEOUT_FACTOR = 3;
const PROSE_TIMEOUT_CAP_MS = 120_000;

/** With LLM_BASE_URL and LLM_MODEL set, the model drafts agenda / write-up / bulletin prose; else undefined (templates). */
export function wireWriter(config: Config, log: Logger, clock: Clock): Writer | undefined {
  if (!config.LLM_BASE_URL || !config.LLM_MODEL) return undefined;
  const llm = new LlmClient({
    baseURL: config.LLM_BASE_URL, model: config.LLM_MODEL, maxTokens: PROSE_MAX_TOKENS,
    timeoutMs: Math.min(config.LLM_TIMEOUT_MS * PROSE_TIMEOUT_FACTOR, PROSE_TIMEOUT_CAP_MS),
    ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
  });
  return new LlmWriter({ llm, log, clock });
}
