import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, isBotError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';

/** The one place that decides who sees what for each error code. */
const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  overloaded: 503,
  storage_full: 503,
  config_invalid: 500,
  platform_api: 502,
  llm_failed: 502,
  internal: 500,
};

export function statusFor(code: ErrorCode): ContentfulStatusCode {
  return HTTP_STATUS[code];
}

export function errorResponse(c: Context, error: unknown, log: Logger): Response {
  if (isBotError(error)) {
    const status = HTTP_STATUS[error.code];
    if (status >= 500) log.error('http.error', { code: error.code, path: c.req.path, error: error.message });
    // The body was refused unread, so the socket still holds the rest of it: tell the client not to reuse it
    // (a keep-alive client would otherwise send its next request into a connection the server drops).
    if (error.code === 'payload_too_large') c.header('connection', 'close');
    const retryAfter = error.details.retryAfterSeconds;
    if (typeof retryAfter === 'number') c.header('retry-after', String(retryAfter));
    // RFC 9110 makes Allow mandatory on a 405: it is how a client learns what it should have sent.
    const allow = error.details.allow;
    if (typeof allow === 'string') c.header('allow', allow);
    return c.json({ error: { code: error.code, message: error.message } }, status);
  }
  log.error('http.unhandled', { path: c.req.path, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
}
