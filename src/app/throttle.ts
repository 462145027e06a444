import { decideThrottle, DEFAULT_THROTTLE_LIMITS, pruneTimes, THROTTLE_NOTICE, type ThrottleLimits } from '../core/throttle.js';
import type { InboundMessage } from '../core/types.js';
import { type AppDeps, JOB_PROCESS_MESSAGE } from './deps.js';
import { replyEffects } from './reply-effects.js';

/**
 * Rate-limit state kept in the process, not the database. Why: it only says "how many did this worker just
 * process for this sender / chat"; losing it in a restart lets one more window through promptly and loses
 * nothing, while keeping it in SQLite would cost a write per message and an index on sender_id. The message
 * itself is already persisted; a deferred one is a queued job with a later run time, so it survives crashes.
 * (On Workers each isolate has its own state, so the limit there is per isolate: a known weakness.)
 */
export interface Throttle {
  limits: ThrottleLimits;
  /** Returns true when the message was deferred (its job re-scheduled); the caller stops there. */
  gate(deps: AppDeps, inboundId: string, msg: InboundMessage): Promise<boolean>;
}

const MAX_KEYS = 100_000;

export function createThrottle(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS): Throttle {
  const bySender = new Map<string, number[]>();
  const byChat = new Map<string, number[]>();
  const episodes = new Map<string, number>();
  /** Slots promised to deferred messages, by inbound id: the message holds its slot when its job runs. */
  const promised = new Map<string, number>();

  const push = (m: Map<string, number[]>, key: string, t: number, now: number) => {
    if (m.size > MAX_KEYS) m.clear(); // a bound on memory; forgetting only lets a window through early
    m.set(key, [...pruneTimes(m.get(key) ?? [], now, limits.windowMs), t]);
  };

  return {
    limits,
    async gate(deps, inboundId, msg) {
      const now = deps.clock.now();
      const sender = `${msg.platform}:${msg.senderId}`;
      const chat = `${msg.platform}:${msg.chatId}`;
      if (promised.has(inboundId) && promised.get(inboundId)! <= now) {
        promised.delete(inboundId);
        return false;
      }
      const decision = decideThrottle(
        { sender: bySender.get(sender) ?? [], chat: byChat.get(chat) ?? [], episodeUntil: episodes.get(sender) ?? null },
        now, limits,
      );
      if (decision.kind === 'allow') {
        push(bySender, sender, now, now);
        push(byChat, chat, now, now);
        return false;
      }
      push(bySender, sender, decision.until, now);
      push(byChat, chat, decision.until, now);
      promised.set(inboundId, decision.until);
      episodes.set(sender, decision.until);
      const notice = decision.notify
        ? replyEffects(deps, { key: `${inboundId}:throttled`, target: msg.reply, inboundId, recordId: null, payload: { kind: 'text', text: THROTTLE_NOTICE } })
        : { replies: [], jobs: [] };
      // A new job rather than a retry: a deferral is not a failure and must not use up the job's attempts.
      const later = { id: deps.ids.next('job'), type: JOB_PROCESS_MESSAGE, payload: { inboundId, chatKey: `${msg.platform}:${msg.chatId}` }, runAt: decision.until, dedupeKey: `process:${inboundId}:at:${decision.until}` };
      await deps.store.writeEffects({ replies: notice.replies, jobs: [...notice.jobs, later] }, now);
      deps.log.info('inbound.throttled', { id: inboundId, scope: decision.scope, until: decision.until, notified: decision.notify });
      return true;
    },
  };
}
