import { defaultDueAt } from '../core/due-dates.js';
import { BotError } from '../core/errors.js';
import { maskPersonalData } from '../core/masking.js';
import { VISIT_LABELS, type VisitRating } from '../core/pending-action.js';
import type { Effects, NewEvent, RecordPatch } from '../core/ports.js';
import type { OutgoingReply } from '../core/replies.js';
import { assertTransition, isStatus, type RecordStatus } from '../core/status.js';
import type { RecordView, ReplyTarget } from '../core/types.js';
import type { AppDeps } from './deps.js';
import type { Actor } from './record-actions.js';
import { replyEffects } from './reply-effects.js';
import { joinedReporters } from './reporter-threads.js';

export interface StatusChangeOptions {
  note: string | null;
  department?: string;
  dueAt?: number | null;
  /** Event type; 'status' unless the change has a more telling name (visit). */
  eventType?: string;
  /** false: the event only, nobody told (a step the next change reports together with its own). */
  notify?: boolean;
  /** The status the member last heard of, when it is not `from` (a step they were not told about). */
  notifyFrom?: RecordStatus;
}

const CLOSED_BY_WORK: ReadonlySet<string> = new Set(['resolved', 'unresolved']);

function currentStatus(r: RecordView): RecordStatus {
  if (!isStatus(r.status)) throw new BotError('internal', `记录 ${r.code} 的状态 ${r.status} 无法识别`);
  return r.status;
}

/**
 * Applies one transition of the record's life: the patch, an event naming the operator, and the follow-up
 * replies (into the record's source thread, to the forwarding member, and the 回访 prompt after 办结),
 * all in one atomic write.
 */
export async function changeStatus(deps: AppDeps, actor: Actor, r: RecordView, to: RecordStatus, o: StatusChangeOptions): Promise<RecordView> {
  const from = currentStatus(r);
  assertTransition(from, to, o.note);
  const now = deps.clock.now();
  const patch: RecordPatch = { status: to };
  if (o.department !== undefined) patch.department = o.department;
  if (o.dueAt !== undefined) patch.dueAt = o.dueAt;
  const event: NewEvent = { id: deps.ids.next('evt'), type: o.eventType ?? 'status', actorId: actor.id, actorName: actor.name, from, to, note: o.note };
  const after: RecordView = { ...r, ...patch, status: to, updatedAt: now } as RecordView;
  // The event keeps the note as typed; what is posted to chats is masked.
  const shown = o.note ? maskPersonalData(o.note).text : null;
  const effects = o.notify === false
    ? { replies: [], jobs: [] }
    : await followUpEffects(deps, after, { kind: 'status', record: after, from: o.notifyFrom ?? from, to, note: shown }, event.id);
  return deps.store.changeRecord(r.id, patch, event, effects, now);
}

/**
 * A 回访 answer: 已办结 → 已回访 with the rating; 不满意 goes on to 重办 with a fresh due date, as a second
 * event by the same person (the member's dissatisfaction is the reason). The member hears of it once: one
 * update from 已办结 straight to 重办 that says the 回访 was 不满意, not 已回访 and then 重办.
 */
export async function applyVisit(deps: AppDeps, actor: Actor, r: RecordView, rating: VisitRating, note: string | null): Promise<RecordView> {
  const label = VISIT_LABELS[rating];
  const reopen = rating === 'unsatisfied';
  const visited = await changeStatus(deps, actor, r, 'visited', { note: `回访：${label}${note ? `，${note}` : ''}`, eventType: 'visit', notify: !reopen });
  if (!reopen) return visited;
  const dueAt = defaultDueAt(deps.clock.now(), r.urgency, r.categoryCode);
  return changeStatus(deps, actor, visited, 'reopened', { note: `回访不满意，发回重办${note ? `：${note}` : ''}`, dueAt, notifyFrom: currentStatus(r) });
}

/** Where the forwarding member can be reached 1:1 when the record came from a group, if the platform allows. */
function memberDirectTarget(thread: ReplyTarget): ReplyTarget | null {
  if (thread.chatType !== 'group') return null;
  // DingTalk sends 1:1 by staff id, Feishu by the member's open_id.
  if ((thread.platform === 'dingtalk' || thread.platform === 'feishu') && thread.userId) {
    return { platform: thread.platform, chatId: thread.userId, userId: thread.userId, chatType: 'p2p' };
  }
  return null;
}

export function visitPrompt(r: RecordView): OutgoingReply {
  const options = (Object.keys(VISIT_LABELS) as VisitRating[]).map((rating) => ({
    label: VISIT_LABELS[rating], value: { action: 'visit', record: r.id, rating }, command: `回访 ${r.code} ${VISIT_LABELS[rating]}`,
    primary: rating === 'satisfied',
  }));
  return { kind: 'question', recordCode: r.code, question: `「${r.summary}」已办结，请对办理结果作回访评价（不满意将发回重办）`, options };
}

/**
 * Replies that tell the members who reported the record what became of it; keyed by the event so a retry
 * posts nothing new.
 */
export async function followUpEffects(deps: AppDeps, r: RecordView, payload: OutgoingReply, eventId: string): Promise<Effects> {
  const thread = await deps.store.getReplyTarget(r.id);
  const effects: Effects = { replies: [], jobs: [] };
  if (!thread) return effects;
  // The generic API reads replies per message: attach thread posts to the message the record came from.
  const sources = await deps.store.recordSources(r.id);
  const [first] = sources;
  const inboundId = first?.inboundMessageId ?? null;
  const add = (key: string, target: ReplyTarget, p: OutgoingReply, inbound: string | null) => {
    const e = replyEffects(deps, { key, target, inboundId: inbound, recordId: r.id, payload: p });
    effects.replies.push(...e.replies);
    effects.jobs.push(...e.jobs);
  };
  add(`${eventId}:thread`, thread, payload, inboundId);
  const direct = memberDirectTarget(thread);
  if (direct) add(`${eventId}:member`, direct, payload, null);
  if (payload.kind === 'status' && CLOSED_BY_WORK.has(payload.to)) {
    add(`${eventId}:visit`, direct ?? thread, visitPrompt(r), direct ? null : inboundId);
  }
  // Members whose reports joined as "+1" hear each change once, where they were told "+1". The 回访 stays with
  // the filer: one answer closes the record (已回访) or reopens it, so a prompt to several would race.
  for (const m of await joinedReporters(deps, r, sources)) add(`${eventId}:reporter:${m.senderId}`, m.target, payload, m.inboundId);
  return effects;
}
