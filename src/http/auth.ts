import type { MiddlewareHandler } from 'hono';
import { BotError } from '../core/errors.js';

const encoder = new TextEncoder();

/** Constant-time comparison so the token cannot be guessed byte by byte from response timings. */
export function timingSafeEqualText(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const BEARER_RE = /^Bearer\s+(\S+)$/i;

export function bearerAuth(token: string): MiddlewareHandler {
  return async (c, next) => {
    const m = BEARER_RE.exec(c.req.header('authorization') ?? '');
    if (!m || !timingSafeEqualText(m[1]!, token)) {
      throw new BotError('unauthorized', 'missing or wrong API token (Authorization: Bearer <MINYI_API_TOKEN>)');
    }
    await next();
  };
}
