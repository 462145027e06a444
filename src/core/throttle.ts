/**
 * Per-sender and per-chat rate limits as a pure decision. A flood is never dropped: an item over the limit
 * is processed later (the caller re-schedules its job), and the sender is told once per episode.
 */

export interface ThrottleLimits {
  /** Messages one sender may have processed per window. */
  perSender: number;
  /** Messages one chat (a busy group) may have processed per window. */
  perChat: number;
  windowMs: number;
}

/** A member forwarding a batch of residents' messages stays well under these; a script or a loop does not. */
export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { perSender: 20, perChat: 60, windowMs: 60_000 };

export type ThrottleDecision =
  | { kind: 'allow' }
  /** `notify` is true for the first deferral of an episode (one polite reply, not one per message). */
  | { kind: 'defer'; until: number; scope: 'sender' | 'chat'; notify: boolean };

export interface ThrottleHistory {
  /**
   * When this sender's / chat's recent messages were processed, and the future slots already promised to
   * deferred ones (any order; entries older than the window are ignored). Counting promised slots spreads a
   * flood over successive windows instead of waking every deferred message at the same instant.
   */
  sender: readonly number[];
  chat: readonly number[];
  /** The end of the sender's current throttle episode, if one is running. */
  episodeUntil: number | null;
}

/** When the window over `times` next has a free slot; null when it has one now. */
function freeSlotAt(times: readonly number[], limit: number, now: number, windowMs: number): number | null {
  const recent = times.filter((t) => t > now - windowMs).sort((a, b) => a - b);
  if (recent.length < limit) return null;
  // The (n - limit + 1)-th oldest must age out before another one fits.
  return recent[recent.length - limit]! + windowMs;
}

export function decideThrottle(h: ThrottleHistory, now: number, limits: ThrottleLimits): ThrottleDecision {
  const bySender = freeSlotAt(h.sender, limits.perSender, now, limits.windowMs);
  const byChat = freeSlotAt(h.chat, limits.perChat, now, limits.windowMs);
  if (bySender === null && byChat === null) return { kind: 'allow' };
  const scope = bySender !== null && (byChat === null || bySender >= byChat) ? 'sender' : 'chat';
  const until = Math.max(bySender ?? 0, byChat ?? 0);
  return { kind: 'defer', until, scope, notify: h.episodeUntil === null || h.episodeUntil <= now };
}

/** Drops timestamps that can no longer matter, so the state of an idle sender shrinks to nothing. */
export function pruneTimes(times: number[], now: number, windowMs: number): number[] {
  return times.filter((t) => t > now - windowMs);
}

export const THROTTLE_NOTICE = '您短时间内发来的消息较多，已全部收到并保存，将稍后依次登记，无需重复发送。';
