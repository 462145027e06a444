import type { Effects, NewReply } from '../core/ports.js';
import type { OutgoingReply } from '../core/replies.js';
import type { ReplyTarget } from '../core/types.js';
import { type AppDeps, JOB_SEND_REPLY } from './deps.js';

/** A reply row plus, for platforms that need delivery, the job that sends it. Keys make both idempotent. */
export function replyEffects(deps: AppDeps, r: { key: string; target: ReplyTarget; inboundId: string | null; recordId: string | null; payload: OutgoingReply }): Effects {
  const needsDelivery = r.target.platform !== 'http';
  const reply: NewReply = {
    id: deps.ids.next('rpl'), key: r.key, inboundMessageId: r.inboundId, recordId: r.recordId,
    target: r.target, payload: r.payload, state: needsDelivery ? 'pending' : 'sent',
  };
  return {
    replies: [reply],
    jobs: needsDelivery ? [{ id: deps.ids.next('job'), type: JOB_SEND_REPLY, payload: { replyKey: reply.key, chatKey: `${r.target.platform}:${r.target.chatId}` }, runAt: deps.clock.now(), dedupeKey: `reply:${reply.key}` }] : [],
  };
}
