import type { Hono, NotFoundHandler } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import { BotError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { errorResponse } from './error-map.js';

/**
 * The methods each path answers, from the app's own route table: a route added later is covered without a
 * list to keep in step. Middleware (`use`, method ALL) answers no request by itself, so it is left out.
 * Every endpoint is filed under ALL so that one lookup returns every method of every pattern that matches
 * the path, even where two patterns overlap.
 */
function methodsByPath(app: Hono): (path: string) => string[] {
  const router = new TrieRouter<string>();
  for (const r of app.routes) if (r.method !== 'ALL') router.add('ALL', r.path, r.method);
  return (path) => {
    const methods = new Set(router.match('GET', path)[0].map(([method]) => method));
    // Hono answers HEAD with the GET route (body dropped), so it is allowed wherever GET is.
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

/**
 * Hono answers 404 when no route matches the method; a path that exists under other methods gets 405 with
 * `Allow` instead, so a client can tell a typo in the path from a wrong verb. Call after every route is added.
 *
 * It runs as the not-found handler, i.e. after every middleware that matched, so under /api the Bearer check
 * comes first and a caller without the token gets 401 whatever the method. The Allow list is public (the README
 * has it), but answering 405 before the token would let a tokenless scan tell existing /api paths (405) from
 * absent ones (401), where today every /api path looks alike to it; keeping the order costs a client nothing.
 */
export function notFoundOrWrongMethod(app: Hono, log: Logger): NotFoundHandler {
  const allowed = methodsByPath(app);
  return (c) => {
    const allow = allowed(c.req.path);
    const error = allow.length === 0
      ? new BotError('not_found', `no route ${c.req.method} ${c.req.path}`)
      : new BotError('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; it accepts ${allow.join(', ')}`, { details: { allow: allow.join(', ') } });
    return errorResponse(c, error, log);
  };
}
