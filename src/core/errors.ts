/**
 * Every error minyi raises on purpose carries a stable code; one place (http/error-map.ts) decides the HTTP
 * status and the chat wording. Codes are part of the API: clients may switch on them.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_signature'
  | 'stale_timestamp'
  | 'invalid_token'
  | 'invalid_transition'
  | 'config_invalid'
  | 'platform_api'
  | 'llm_failed'
  | 'rate_limited'
  | 'overloaded'
  | 'storage_full'
  | 'conflict'
  | 'internal';

export class BotError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BotError';
    this.code = code;
    this.details = options?.details ?? {};
  }
}

export class SignatureError extends BotError {
  constructor(message: string, code: 'invalid_signature' | 'stale_timestamp' | 'invalid_token' = 'invalid_signature') {
    super(code, message);
    this.name = 'SignatureError';
  }
}

export class PayloadError extends BotError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('bad_request', message, details ? { details } : undefined);
    this.name = 'PayloadError';
  }
}

export class PlatformApiError extends BotError {
  readonly platform: string;
  readonly status: number;
  readonly retryable: boolean;
  /** Milliseconds the platform asked us to wait (429 reset headers). */
  readonly retryAfterMs: number | undefined;

  constructor(platform: string, status: number, message: string, opts: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super('platform_api', message, { cause: opts.cause, details: { platform, status } });
    this.name = 'PlatformApiError';
    this.platform = platform;
    this.status = status;
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export class LlmError extends BotError {
  readonly retryable: boolean;
  constructor(message: string, opts: { retryable: boolean; cause?: unknown }) {
    super('llm_failed', message, { cause: opts.cause });
    this.name = 'LlmError';
    this.retryable = opts.retryable;
  }
}

export function isBotError(e: unknown): e is BotError {
  return e instanceof BotError;
}

/** Codes that say the system cannot act now, not that the request was wrong: thrown on, the work is retried. */
const UNAVAILABLE: ReadonlySet<ErrorCode> = new Set(['storage_full']);

/**
 * An error to answer in the chat as a refusal (no permission, no such record, a bad transition). Anything else
 * propagates: the job runs again, a webhook answers 5xx and the platform redelivers.
 */
export function isRefusal(e: unknown): e is BotError {
  return isBotError(e) && !UNAVAILABLE.has(e.code);
}

/**
 * A write refused for lack of disk space: minyi's own `storage_full`, or SQLite's SQLITE_FULL (ENOSPC, or
 * the file at its page limit) as the driver threw it, possibly wrapped as a cause by drizzle.
 */
export function isStorageFull(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === 'SQLITE_FULL' || (isBotError(e) && e.code === 'storage_full')) return true;
  }
  return false;
}
