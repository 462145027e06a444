import { maskPersonalData, containsUnmaskedPii } from '../core/masking.js';
import type { Clock, Logger, Writer, WriterTask, WrittenText } from '../core/ports.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { LlmClient } from './client.js';
import { LlmCallError } from './llm-errors.js';
import { agendaSpec, bulletinSpec, type ProseSpec, writeupSpec } from './prose-specs.js';

export interface LlmWriterOptions {
  llm: LlmClient;
  log: Logger;
  clock: Clock;
  breaker?: CircuitBreaker;
}

/** Masks every string in the data once more: what leaves for the model must never carry a phone or id number. */
function maskDeep(v: unknown): unknown {
  if (typeof v === 'string') return maskPersonalData(v).text;
  if (Array.isArray(v)) return v.map(maskDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x)]));
  return v;
}

/**
 * The model rewrites an output's prose from the same structured data the template used. Any failure — bad
 * data, an open breaker, an error, an answer that fails its checks, a refusal — gives the template text.
 */
export class LlmWriter implements Writer {
  private readonly breaker: CircuitBreaker;

  constructor(private readonly o: LlmWriterOptions) {
    this.breaker = o.breaker ?? new CircuitBreaker(o.clock);
  }

  write(task: WriterTask, data: unknown, fallback: string): Promise<WrittenText> {
    if (task === 'agenda') return this.run(task, agendaSpec, data, fallback);
    if (task === 'writeup') return this.run(task, writeupSpec, data, fallback);
    return this.run(task, bulletinSpec, data, fallback);
  }

  private async run<I, O>(task: WriterTask, spec: ProseSpec<I, O>, data: unknown, fallback: string): Promise<WrittenText> {
    const template = (reason: string): WrittenText => {
      this.o.log.warn('llm.prose_fallback', { task, reason, breaker: this.breaker.state });
      return { text: fallback, source: 'template' };
    };
    const parsed = spec.input.safeParse(maskDeep(data));
    if (!parsed.success) return template(`bad input: ${parsed.error.issues[0]?.message ?? ''}`);
    if (!this.breaker.allow()) return template('circuit open');
    try {
      const res = await this.o.llm.complete({ name: `${task}_prose`, schema: spec.output(parsed.data), messages: spec.prompt.build(parsed.data) });
      this.breaker.success();
      const text = spec.text(res.value);
      if (text === null) return template('model declined');
      if (containsUnmaskedPii(text).length) return template('personal data in the answer');
      this.o.log.info('llm.prose', { task, model: res.model, prompt: `${spec.prompt.id}@${spec.prompt.version}`, tokens: res.tokens, chars: text.length });
      return { text, source: 'llm', model: res.model, promptId: spec.prompt.id, promptVersion: spec.prompt.version, tokens: res.tokens };
    } catch (raw) {
      const e = raw instanceof Error ? raw : new Error(String(raw));
      const endpointDown = e instanceof LlmCallError && (e.failure === 'transport' || e.failure === 'auth');
      if (endpointDown) this.breaker.failure();
      else this.breaker.neutral();
      return template(e.message);
    }
  }
}
