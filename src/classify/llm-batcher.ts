import { type BatchEntry, classifyBatchPrompt, entryText } from '../../prompts/classify-batch.js';
import { type CategoryRef, classifyPrompt, type TownRef } from '../../prompts/classify.js';
import { LlmError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import type { LlmRequest, LlmResult, LlmTokens } from '../llm/client.js';
import { LlmCallError } from '../llm/llm-errors.js';
import { type ClassifyOutput, classifyBatchSchemas, classifyOutputSchema } from '../llm/schemas.js';
import { apportion } from './apportion-tokens.js';

/** What the batcher needs from the LLM client. */
export interface LlmPort {
  readonly model: string;
  complete<T>(req: LlmRequest<T>): Promise<LlmResult<T>>;
}

export type BatchQuestion = Omit<BatchEntry, 'id'>;

export interface BatchedAnswer {
  res: LlmResult<ClassifyOutput>;
  prompt: { id: string; version: string };
}

export interface LlmBatcherOptions {
  llm: LlmPort;
  categories: CategoryRef[];
  towns: TownRef[];
  log: Logger;
  /** Most messages in one call (1: never batch). */
  maxBatch?: number;
  /** Most calls in flight at once. */
  concurrency?: number;
}

interface Pending {
  question: BatchQuestion;
  resolve: (a: BatchedAnswer) => void;
  reject: (e: unknown) => void;
}

const ZERO: LlmTokens = { prompt: 0, completion: 0 };

/**
 * Puts messages that wait for the model at the same time into one call. A message that finds nothing in
 * flight goes at once, alone (no added latency when the queue is shallow); while a call is out, arrivals
 * wait and go together when a call returns, or as soon as a full batch waits and a call slot is free.
 * Answers are matched by id; an entry missing, duplicated or invalid in the batch answer is asked again
 * alone, so nothing is lost or given another message's result.
 */
export class LlmBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly codes: { categories: string[]; towns: string[] };

  constructor(private readonly o: LlmBatcherOptions) {
    this.maxBatch = Math.max(1, o.maxBatch ?? 1);
    this.concurrency = Math.max(1, o.concurrency ?? Number.POSITIVE_INFINITY);
    this.codes = { categories: o.categories.map((c) => c.code), towns: o.towns.map((t) => t.code) };
  }

  /** Resolves with the model's answer for this message, or rejects with the call's LlmError. */
  ask(question: BatchQuestion): Promise<BatchedAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ question, resolve, reject });
      this.pump(false);
    });
  }

  private pump(callReturned: boolean): void {
    while (this.queue.length > 0 && this.inFlight < this.concurrency) {
      if (!(this.inFlight === 0 || callReturned || this.queue.length >= this.maxBatch)) return;
      callReturned = false;
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch)
        .catch((e: unknown) => batch.forEach((p) => p.reject(e)))
        .finally(() => {
          this.inFlight--;
          this.pump(true);
        });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]!, ZERO);
    const entries = batch.map((p, i) => ({ id: `m${i + 1}`, ...p.question }));
    const { shape, envelope } = classifyBatchSchemas(this.codes, entries.map((e) => e.id), Math.max(...entries.map((e) => e.segments.length)));
    const messages = classifyBatchPrompt.build({ categories: this.o.categories, towns: this.o.towns, entries });
    let res: LlmResult<{ results: { id: string; items: unknown[] }[] }>;
    try {
      res = await this.o.llm.complete({ name: 'classification_batch', schema: envelope, shape, messages });
    } catch (e) {
      // An endpoint that is down fails every entry alike; a bad batch answer is worth asking about one by one.
      const endpointDown = e instanceof LlmCallError ? e.failure === 'transport' || e.failure === 'auth' : !(e instanceof LlmError) || e.retryable;
      if (endpointDown) throw e;
      this.o.log.warn('llm.batch_failed', { items: batch.length, reason: e instanceof Error ? e.message : String(e) });
      for (const p of batch) await this.alone(p, ZERO);
      return;
    }
    const answers = new Map<string, unknown[] | null>();
    let unknown = 0;
    for (const r of res.value.results) {
      if (!entries.some((e) => e.id === r.id)) unknown++;
      else answers.set(r.id, answers.has(r.id) ? null : r.items); // named twice: trust neither
    }
    // Tokens: the shared part of the prompt (rules, code tables, examples) is split evenly, each entry's own
    // text is its own; completion tokens follow the length of each entry's answer.
    const promptChars = entries.map((e) => entryText(e).length);
    const totalChars = messages.reduce((sum, m) => sum + m.content.length, 0);
    const shared = Math.max(0, totalChars - promptChars.reduce((a, b) => a + b, 0)) / entries.length;
    const prompt = apportion(res.tokens.prompt, promptChars.map((c) => c + shared));
    const completion = apportion(res.tokens.completion, entries.map((e) => JSON.stringify(answers.get(e.id) ?? '').length));
    const retry: [Pending, LlmTokens][] = [];
    batch.forEach((p, i) => {
      const tokens = { prompt: prompt[i]!, completion: completion[i]! };
      const parsed = classifyOutputSchema(this.codes, p.question.segments.length).safeParse({ items: answers.get(entries[i]!.id) ?? [] });
      if (!parsed.success) return retry.push([p, tokens]);
      p.resolve({ res: { ...res, value: parsed.data, tokens }, prompt: { id: classifyBatchPrompt.id, version: classifyBatchPrompt.version } });
    });
    this.o.log.info('llm.batch', { items: batch.length, answered: batch.length - retry.length, unknownIds: unknown });
    for (const [p, spent] of retry) await this.alone(p, spent);
  }

  /** One message in its own call (the single prompt); tokens already spent on it in a batch are added. */
  private async alone(p: Pending, spent: LlmTokens): Promise<void> {
    try {
      const q = p.question;
      const res = await this.o.llm.complete({
        name: 'classification',
        schema: classifyOutputSchema(this.codes, q.segments.length),
        messages: classifyPrompt.build({ categories: this.o.categories, towns: this.o.towns, ...q }),
      });
      const tokens = { prompt: res.tokens.prompt + spent.prompt, completion: res.tokens.completion + spent.completion };
      p.resolve({ res: { ...res, tokens }, prompt: { id: classifyPrompt.id, version: classifyPrompt.version } });
    } catch (e) {
      p.reject(e);
    }
  }
}
