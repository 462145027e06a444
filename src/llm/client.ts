import OpenAI from 'openai';
import type { z } from 'zod';
import { toJsonSchema } from './json-schema.js';
import { isResponseFormatRejection, LlmCallError, toLlmError } from './llm-errors.js';
import { parseJsonText } from './parse-json.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** How the endpoint is asked for JSON, best first; an endpoint that rejects one mode is asked the next way. */
export type StructuredMode = 'json_schema' | 'json_object' | 'text';
const MODES: readonly StructuredMode[] = ['json_schema', 'json_object', 'text'];

export interface LlmClientOptions {
  baseURL: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  /** Retries of retryable failures (429, 5xx, timeouts, connection errors) per call. */
  maxRetries?: number;
  /** First backoff; doubles each retry, jittered; a 429's retry-after wins when larger. */
  backoffMs?: number;
  maxTokens?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Start from a known mode instead of probing (an office that knows its server). */
  mode?: StructuredMode;
}

export interface LlmRequest<T> {
  /** Schema name sent with json_schema (letters, digits, _ and -). */
  name: string;
  schema: z.ZodType<T>;
  /** What the model is shown (response_format or prompt) when it is stricter than what `schema` accepts. */
  shape?: z.ZodType;
  messages: ChatMessage[];
}

export interface LlmTokens {
  prompt: number;
  completion: number;
}

export interface LlmResult<T> {
  value: T;
  model: string;
  mode: StructuredMode;
  tokens: LlmTokens;
  /** HTTP requests made, including retries, downgrades and the repair. */
  requests: number;
}

const DEFAULT_MAX_TOKENS = 2000;
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One OpenAI-compatible endpoint. The SDK's own retries are off so that backoff, downgrades and repair are
 * counted here, and every answer is validated with zod before anyone sees it.
 */
export class LlmClient {
  readonly model: string;
  private readonly sdk: OpenAI;
  private readonly opts: Required<Pick<LlmClientOptions, 'maxRetries' | 'backoffMs' | 'maxTokens'>> & { sleep: (ms: number) => Promise<void> };
  private modeIndex: number;

  constructor(o: LlmClientOptions) {
    this.model = o.model;
    this.sdk = new OpenAI({ baseURL: o.baseURL, apiKey: o.apiKey ?? 'none', timeout: o.timeoutMs, maxRetries: 0 });
    this.opts = { maxRetries: o.maxRetries ?? 2, backoffMs: o.backoffMs ?? 500, maxTokens: o.maxTokens ?? DEFAULT_MAX_TOKENS, sleep: o.sleep ?? realSleep };
    this.modeIndex = MODES.indexOf(o.mode ?? 'json_schema');
  }

  get mode(): StructuredMode {
    return MODES[this.modeIndex]!;
  }

  /** Asks once, repairs once with the validation error shown to the model, else throws LlmCallError. */
  async complete<T>(req: LlmRequest<T>): Promise<LlmResult<T>> {
    const tokens: LlmTokens = { prompt: 0, completion: 0 };
    const counter = { requests: 0 };
    let messages = req.messages;
    for (let round = 0; round < 2; round++) {
      const text = await this.send(req, messages, tokens, counter);
      const checked = validate(req.schema, text);
      if (checked.ok) return { value: checked.value, model: this.model, mode: this.mode, tokens, requests: counter.requests };
      if (round === 1) throw new LlmCallError(`LLM answer invalid after repair: ${checked.error}`, 'invalid', { retryable: false });
      messages = [...req.messages, { role: 'assistant', content: text.slice(0, 4000) }, { role: 'user', content: repairPrompt(checked.error) }];
    }
    throw new LlmCallError('unreachable', 'invalid', { retryable: false });
  }

  private async send<T>(req: LlmRequest<T>, messages: ChatMessage[], tokens: LlmTokens, counter: { requests: number }): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        counter.requests++;
        return await this.request(req, messages, tokens);
      } catch (raw) {
        if (isResponseFormatRejection(raw) && this.modeIndex < MODES.length - 1) {
          this.modeIndex++; // remembered for every later call to this endpoint
          attempt--;
          continue;
        }
        const e = toLlmError(raw);
        if (!e.retryable || attempt >= this.opts.maxRetries) throw e;
        const backoff = this.opts.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        await this.opts.sleep(Math.max(backoff, e.retryAfterMs ?? 0));
      }
    }
  }

  private async request<T>(req: LlmRequest<T>, messages: ChatMessage[], tokens: LlmTokens): Promise<string> {
    const mode = this.mode;
    const schema = toJsonSchema(req.shape ?? req.schema);
    const withSchema = mode === 'json_schema' ? messages : appendSchema(messages, schema);
    const res = await this.sdk.chat.completions.create({
      model: this.model,
      messages: withSchema,
      temperature: 0,
      max_tokens: this.opts.maxTokens,
      ...(mode === 'json_schema' ? { response_format: { type: 'json_schema' as const, json_schema: { name: req.name, schema, strict: true } } } : {}),
      ...(mode === 'json_object' ? { response_format: { type: 'json_object' as const } } : {}),
    });
    tokens.prompt += res.usage?.prompt_tokens ?? 0;
    tokens.completion += res.usage?.completion_tokens ?? 0;
    const choice = res.choices?.[0];
    if (!choice) throw new LlmCallError('LLM answer has no choices', 'invalid', { retryable: false });
    if (choice.message?.refusal) throw new LlmCallError('LLM refused to answer', 'refused', { retryable: false });
    if (choice.finish_reason === 'length') throw new LlmCallError('LLM answer cut off (length)', 'truncated', { retryable: false });
    if (choice.finish_reason === 'content_filter') throw new LlmCallError('LLM answer blocked by content filter', 'refused', { retryable: false });
    return choice.message?.content ?? '';
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

function validate<T>(schema: z.ZodType<T>, text: string): Checked<T> {
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, error: json.error };
  const parsed = schema.safeParse(json.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, error: issues.join('; ') };
}

function repairPrompt(error: string): string {
  return `上面的回答没有通过校验：${error.slice(0, 800)}\n请只输出一个修正后的 JSON 对象，符合要求的结构，取值只能来自给定的代码表，不要输出其他文字。`;
}

/** Without json_schema the model sees the schema in the prompt (json_object also needs the word JSON). */
function appendSchema(messages: ChatMessage[], schema: Record<string, unknown>): ChatMessage[] {
  const note = `\n\n只输出一个 JSON 对象（不要 Markdown 代码块，不要其他文字），符合以下 JSON Schema：\n${JSON.stringify(schema)}`;
  const [first, ...rest] = messages;
  if (first?.role !== 'system') return [{ role: 'system', content: note.trim() }, ...messages];
  return [{ role: 'system', content: first.content + note }, ...rest];
}
