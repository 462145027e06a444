import { BotError } from '../core/errors.js';
import type { VisitRating } from '../core/pending-action.js';
import { mayVisit } from '../core/permissions.js';
import type { OutgoingReply } from '../core/replies.js';
import type { Platform, RecordView, ReplyTarget } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { cancelPending, confirmPending } from './pending.js';
import type { Actor } from './record-actions.js';
import { replyEffects } from './reply-effects.js';
import { applyVisit } from './status-change.js';

export type WorkflowButton =
  | { action: 'confirm'; pending: string }
  | { action: 'cancel'; pending: string }
  | { action: 'visit'; record: string; rating: VisitRating };

const RATINGS: ReadonlySet<string> = new Set(['satisfied', 'basic', 'unsatisfied']);

export function toWorkflowButton(v: Record<string, string>): WorkflowButton | null {
  if ((v.action === 'confirm' || v.action === 'cancel') && v.pending) return { action: v.action, pending: v.pending };
  if (v.action === 'visit' && v.record && v.rating && RATINGS.has(v.rating)) return { action: 'visit', record: v.record, rating: v.rating as VisitRating };
  return null;
}

/**
 * A pressed card button (Feishu). 确认 / 取消 decide a preview; a 回访 button is itself the member's answer,
 * so it applies at once. The outcome is also posted into the chat, keyed so a repeated click posts once.
 */
export async function pressButton(deps: AppDeps, platform: Platform, actor: Actor, b: WorkflowButton, target: ReplyTarget | null): Promise<{ record: RecordView | null; message: string }> {
  const ctx = { actor, platform, chatId: target?.chatId ?? '' };
  let reply: OutgoingReply;
  let record: RecordView | null = null;
  if (b.action === 'confirm') {
    const done = await confirmPending(deps, ctx, { id: b.pending });
    reply = done.reply;
    record = done.recordId ? await deps.store.getRecord(done.recordId) : null;
  } else if (b.action === 'cancel') {
    reply = await cancelPending(deps, ctx, { id: b.pending });
  } else {
    const r = await deps.store.getRecord(b.record);
    if (!r) throw new BotError('not_found', '记录不存在');
    if (!mayVisit(actor.id, actor.person, r)) throw new BotError('forbidden', `只有登记 ${r.code} 的委员和负责的工作人员可以回访`);
    record = await applyVisit(deps, actor, r, b.rating, null);
    reply = { kind: 'text', text: `感谢评价，${record.code} 已记录回访。` };
  }
  const message = reply.kind === 'text' ? reply.text : '已处理';
  if (target && b.action !== 'visit') {
    const key = `button:${b.action}:${b.pending}`;
    await deps.store.writeEffects(replyEffects(deps, { key, target, inboundId: null, recordId: record?.id ?? null, payload: reply }), deps.clock.now());
  }
  return { record, message };
}
