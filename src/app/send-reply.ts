import { BotError } from '../core/errors.js';
import type { AppDeps } from './deps.js';

/** The job that delivers one stored reply; a reply already sent is never sent again. */
export async function sendReply(deps: AppDeps, replyKey: string): Promise<void> {
  const reply = await deps.store.getReplyByKey(replyKey);
  if (!reply) throw new BotError('not_found', `reply ${replyKey} not found`);
  if (reply.state === 'sent') return;
  const messenger = deps.messengers[reply.target.platform];
  if (!messenger) throw new BotError('config_invalid', `no messenger for ${reply.target.platform}`);
  const sent = await messenger.send(reply.target, reply.payload, reply.key);
  await deps.store.markReplySent(reply.id, sent.messageId ?? null, deps.clock.now());
  deps.log.info('reply.sent', { key: reply.key, platform: reply.target.platform, kind: reply.kind });
}
