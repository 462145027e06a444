import type { Handler } from 'hono';
import { acceptMessage } from '../app/accept-message.js';
import { pressButton, toWorkflowButton } from '../app/button-actions.js';
import type { AppDeps } from '../app/deps.js';
import { applyChoice, type Choice } from '../app/record-actions.js';
import { actorName } from '../core/actor-name.js';
import { isRefusal } from '../core/errors.js';
import type { WebhookVerifier } from '../core/ports.js';
import type { BodyReader } from './request-body.js';

function toChoice(v: Record<string, string>): Choice | null {
  if (v.action === 'set_town' && v.record && v.town) return { action: 'set_town', record: v.record, town: v.town };
  if (v.action === 'set_category' && v.record && v.category) return { action: 'set_category', record: v.record, category: v.category };
  return null;
}

/**
 * raw body → platform verifier → persist + enqueue → 200. Verification failures throw (401/400 through
 * the error map) and write nothing; nothing slow happens before the answer.
 */
export function webhookRoute(deps: AppDeps, verifier: WebhookVerifier, readBody: BodyReader): Handler {
  return async (c) => {
    const rawBody = await readBody(c);
    const result = await verifier.handle({ headers: c.req.raw.headers, rawBody, now: deps.clock.now() });
    switch (result.kind) {
      case 'respond':
        return c.json(result.body as object, result.status as 200);
      case 'ignored':
        deps.log.info('webhook.ignored', { platform: verifier.platform, reason: result.reason });
        return c.json((result.body ?? {}) as object);
      case 'message':
        await acceptMessage(deps, { platform: verifier.platform, key: result.key, chatId: result.chatId, senderId: result.senderId, raw: result.raw });
        return c.json((result.body ?? {}) as object);
      case 'action': {
        const choice = toChoice(result.choice);
        const button = choice ? null : toWorkflowButton(result.choice);
        if (!choice && !button) return c.json(result.respond({ record: null, error: '这个按钮已失效' }) as object);
        const person = await deps.store.findPerson(verifier.platform, result.actorId);
        const actor = { id: result.actorId, name: actorName(person, result.actorName ?? undefined), person };
        try {
          if (button) {
            const done = await pressButton(deps, verifier.platform, actor, button, result.target);
            return c.json(result.respond({ record: done.record, error: null, message: done.message }) as object);
          }
          const record = await applyChoice(deps, actor, choice!, null);
          return c.json(result.respond({ record, error: null }) as object);
        } catch (error) {
          if (!isRefusal(error)) throw error;
          return c.json(result.respond({ record: null, error: error.message }) as object);
        }
      }
    }
  };
}
