import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmError } from '../src/core/errors.js';
import { LlmClient, type LlmClientOptions } from '../src/llm/client.js';
import { LlmCallError } from '../src/llm/llm-errors.js';
import { type ChatBody, completion, errorReply, type FakeLlm, startFakeLlm } from './fakes/fake-llm-server.js';

const schema = z.object({ answer: z.enum(['yes', 'no']), reason: z.string().max(20) });
const req = { name: 'verdict', schema, messages: [{ role: 'system' as const, content: 'Decide.' }, { role: 'user' as const, content: 'Is it?' }] };
const good = (b: ChatBody) => completion(JSON.stringify({ answer: 'yes', reason: 'because' }), b);

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeLlm();
});
afterEach(async () => {
  await fake.close();
});

function client(extra: Partial<LlmClientOptions> = {}): LlmClient {
  return new LlmClient({ baseURL: fake.baseURL, apiKey: 'k', model: 'fake-model', timeoutMs: 2000, sleep: async () => {}, ...extra });
}

async function failure(p: Promise<unknown>): Promise<LlmCallError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(LlmError);
  return e as LlmCallError;
}

describe('LLM client against an OpenAI-compatible fake', () => {
  it('asks with a strict json_schema built from the zod schema and returns the validated answer with usage', async () => {
    fake.behave(good);
    const res = await client().complete(req);
    expect(res.value).toEqual({ answer: 'yes', reason: 'because' });
    expect(res.mode).toBe('json_schema');
    expect(res.tokens.prompt).toBeGreaterThan(0);
    expect(res.tokens.completion).toBeGreaterThan(0);
    const sent = fake.requests[0]!;
    expect(sent.model).toBe('fake-model');
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.name).toBe('verdict');
    expect(sent.response_format?.json_schema?.strict).toBe(true);
    expect(JSON.stringify(sent.response_format?.json_schema?.schema)).toContain('"enum":["yes","no"]');
  });

  it('repairs once, showing the model its validation error, and counts both calls', async () => {
    fake.behave((b, n) => (n === 0 ? completion('{"answer":"maybe","reason":"x"}', b) : good(b)));
    const res = await client().complete(req);
    expect(res.value.answer).toBe('yes');
    expect(res.requests).toBe(2);
    const repair = fake.requests[1]!.messages;
    expect(repair[repair.length - 2]!.role).toBe('assistant');
    expect(repair[repair.length - 1]!.content).toContain('answer');
    expect(res.tokens.prompt).toBeGreaterThan(0);
  });

  it('gives up after one failed repair with a final (non-retryable) error', async () => {
    fake.behave((b) => completion('not json at all', b));
    const e = await failure(client().complete(req));
    expect(e.retryable).toBe(false);
    expect(e.failure).toBe('invalid');
    expect(fake.requests).toHaveLength(2);
  });

  it('downgrades to json_object, then to JSON in the text, when the server rejects response_format, and remembers it', async () => {
    fake.behave((b) => {
      if (b.response_format?.type === 'json_schema') return errorReply(400, "response_format 'json_schema' is not supported by this model");
      if (b.response_format?.type === 'json_object') return errorReply(400, 'Unknown parameter: response_format.type json_object');
      return completion(`好的，结果如下：\n\`\`\`json\n${JSON.stringify({ answer: 'no', reason: 'plain' })}\n\`\`\``, b);
    });
    const c = client();
    const first = await c.complete(req);
    expect(first.value.answer).toBe('no');
    expect(first.mode).toBe('text');
    expect(fake.requests.map((r) => r.response_format?.type ?? 'none')).toEqual(['json_schema', 'json_object', 'none']);
    // The schema travels in the prompt when the server cannot enforce it.
    expect(fake.requests[2]!.messages[0]!.content).toContain('"enum":["yes","no"]');
    await c.complete(req);
    expect(fake.requests).toHaveLength(4);
    expect(fake.requests[3]!.response_format).toBeUndefined();
  });

  it('retries a 429 and then succeeds', async () => {
    fake.behave((b, n) => (n === 0 ? errorReply(429, 'slow down', { 'retry-after': '0' }) : good(b)));
    const res = await client().complete(req);
    expect(res.value.answer).toBe('yes');
    expect(fake.requests).toHaveLength(2);
  });

  it('retries 500s a bounded number of times, then fails retryably', async () => {
    fake.behave(() => errorReply(500, 'boom'));
    const e = await failure(client({ maxRetries: 2 }).complete(req));
    expect(e.retryable).toBe(true);
    expect(e.failure).toBe('transport');
    expect(fake.requests).toHaveLength(3);
  });

  it('times out a server that hangs', async () => {
    fake.behave(() => 'hang');
    const e = await failure(client({ timeoutMs: 200, maxRetries: 1 }).complete(req));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('timed out');
    expect(fake.requests).toHaveLength(2);
  });

  it('treats a refusal, a cut-off answer and a rejected key as final', async () => {
    fake.behave((b) => completion(null, b, { refusal: 'I cannot help with that.' }));
    expect((await failure(client().complete(req))).failure).toBe('refused');
    fake.behave((b) => completion('{"answer":"ye', b, { finish_reason: 'length' }));
    expect((await failure(client().complete(req))).failure).toBe('truncated');
    fake.behave(() => errorReply(401, 'bad key'));
    const auth = await failure(client().complete(req));
    expect(auth.failure).toBe('auth');
    expect(auth.retryable).toBe(false);
    expect(fake.requests).toHaveLength(3);
  });
});
