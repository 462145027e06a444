import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import { LlmError } from '../core/errors.js';

/**
 * Why a call failed, for the circuit breaker and the log: `transport` and `auth` say the endpoint is
 * unusable (every item would fail), the others concern one answer.
 */
export type LlmFailure = 'transport' | 'auth' | 'rejected' | 'refused' | 'truncated' | 'invalid';

export class LlmCallError extends LlmError {
  readonly failure: LlmFailure;
  readonly status: number | undefined;
  /** Milliseconds the server asked us to wait (429 retry-after). */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, failure: LlmFailure, opts: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown }) {
    super(message, { retryable: opts.retryable, cause: opts.cause });
    this.name = 'LlmCallError';
    this.failure = failure;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

const AUTH_STATUSES = new Set([401, 403, 404]);
const MAX_RETRY_AFTER_MS = 30_000;

function retryAfter(headers: Headers | undefined): number | undefined {
  const v = headers?.get('retry-after-ms') ?? null;
  if (v && Number.isFinite(Number(v))) return Math.min(Number(v), MAX_RETRY_AFTER_MS);
  const s = headers?.get('retry-after') ?? null;
  if (s && Number.isFinite(Number(s))) return Math.min(Number(s) * 1000, MAX_RETRY_AFTER_MS);
  return undefined;
}

/** Maps whatever the SDK threw onto LlmCallError: retryable for 429/5xx/connection trouble, final otherwise. */
export function toLlmError(e: unknown): LlmCallError {
  if (e instanceof LlmCallError) return e;
  // Timeout is a subclass of connection error; both mean "try again later".
  if (e instanceof APIConnectionTimeoutError) return new LlmCallError('LLM request timed out', 'transport', { retryable: true, cause: e });
  if (e instanceof APIConnectionError || e instanceof APIUserAbortError) return new LlmCallError('LLM endpoint unreachable', 'transport', { retryable: true, cause: e });
  if (e instanceof RateLimitError) {
    const ra = retryAfter(e.headers);
    return new LlmCallError('LLM rate limited (429)', 'transport', { retryable: true, status: 429, cause: e, ...(ra === undefined ? {} : { retryAfterMs: ra }) });
  }
  if (e instanceof LengthFinishReasonError) return new LlmCallError('LLM answer cut off (length)', 'truncated', { retryable: false, cause: e });
  if (e instanceof ContentFilterFinishReasonError) return new LlmCallError('LLM answer blocked by content filter', 'refused', { retryable: false, cause: e });
  if (e instanceof APIError) {
    const status = e.status ?? 0;
    if (status >= 500) return new LlmCallError(`LLM server error (${status})`, 'transport', { retryable: true, status, cause: e });
    const failure: LlmFailure = AUTH_STATUSES.has(status) ? 'auth' : 'rejected';
    return new LlmCallError(`LLM request rejected (${status})`, failure, { retryable: false, status, cause: e });
  }
  return new LlmCallError(`LLM call failed: ${e instanceof Error ? e.message : String(e)}`, 'transport', { retryable: false, cause: e });
}

const STRUCTURED_OUTPUT_RE = /response_format|json_schema|json_object|structured|guided/i;

/** A 400/422 that complains about response_format: the server lacks that kind of structured output. */
export function isResponseFormatRejection(e: unknown): boolean {
  if (!(e instanceof APIError) || (e.status !== 400 && e.status !== 422)) return false;
  return STRUCTURED_OUTPUT_RE.test(`${e.message} ${JSON.stringify(e.error ?? '')}`);
}
