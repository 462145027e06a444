import { BotError, isRefusal } from '../core/errors.js';
import { PENDING_TTL_MS, type PendingAction, type PendingState, pendingRef, type ProposedChange } from '../core/pending-action.js';
import type { OutgoingReply } from '../core/replies.js';
import type { Platform } from '../core/types.js';
import { applyChange } from './apply-change.js';
import type { AppDeps } from './deps.js';
import type { Actor } from './record-actions.js';

export interface ChatContext {
  actor: Actor;
  platform: Platform;
  chatId: string;
}

/**
 * Stores a proposed write and shows it with 确认 / 取消; nothing changes until the author confirms. A new
 * preview replaces the author's earlier ones in the chat, so a typed 确认 only ever means the last one shown.
 */
export async function propose(deps: AppDeps, ctx: ChatContext, change: ProposedChange, title: string, lines: string[]): Promise<OutgoingReply> {
  const now = deps.clock.now();
  const pending: PendingAction = {
    id: deps.ids.next('pnd'), actorId: ctx.actor.id, actorName: ctx.actor.name, platform: ctx.platform, chatId: ctx.chatId,
    change, summary: title, state: 'pending', createdAt: now, expiresAt: now + PENDING_TTL_MS,
  };
  await deps.store.createPending(pending);
  const ref = pendingRef(pending.id);
  return {
    kind: 'text',
    title: `请确认：${title}`,
    text: [...lines, `（${Math.round(PENDING_TTL_MS / 60_000)} 分钟内有效）`].join('\n'),
    buttons: [
      { label: '确认', value: { action: 'confirm', pending: pending.id }, command: `确认 ${ref}`, primary: true },
      { label: '取消', value: { action: 'cancel', pending: pending.id }, command: `取消 ${ref}` },
    ],
  };
}

const DECIDED: Record<Exclude<PendingState, 'pending'>, string> = {
  confirmed: '已执行',
  cancelled: '已取消',
  superseded: '已被之后的预览取代，未执行',
};

/** A card button names its preview by id, a DingTalk button or typed 确认 by `ref`; a bare 确认 means the open one. */
type Which = { id: string } | { ref: string | null };

async function find(deps: AppDeps, ctx: ChatContext, which: Which): Promise<PendingAction> {
  const p = 'id' in which ? await deps.store.getPending(which.id) : await deps.store.findPending(ctx.chatId, ctx.actor.id, which.ref);
  if (!p) throw new BotError('not_found', '没有待确认的操作');
  if (p.actorId !== ctx.actor.id) throw new BotError('forbidden', '只有发起这项操作的人可以确认或取消');
  if (p.state !== 'pending') throw new BotError('conflict', `「${p.summary}」${DECIDED[p.state]}`);
  return p;
}

export async function confirmPending(deps: AppDeps, ctx: ChatContext, which: Which): Promise<{ reply: OutgoingReply; recordId: string | null }> {
  const p = await find(deps, ctx, which);
  const now = deps.clock.now();
  if (p.expiresAt <= now) {
    await deps.store.decidePending(p.id, 'cancelled', now);
    throw new BotError('conflict', `「${p.summary}」的预览已过期，未执行。请重新发起。`);
  }
  // Claim it first: a second 确认 (double click, redelivery) finds it decided and changes nothing.
  if (!(await deps.store.decidePending(p.id, 'confirmed', now))) throw new BotError('conflict', `「${p.summary}」已处理`);
  deps.log.info('pending.confirmed', { id: p.id, actor: ctx.actor.id, kind: p.change.kind });
  try {
    return await applyChange(deps, ctx.actor, p.change);
  } catch (error) {
    // A refusal (the record moved on, the right was lost) ends the preview; a failure to write (busy, full
    // disk) leaves it to be confirmed again, by the job's retry or by the author.
    if (!isRefusal(error)) {
      try {
        await deps.store.reopenPending(p.id);
      } catch {
        // The change's own failure is what the job records and retries; a grouped rollback undid the claim anyway.
      }
    }
    throw error;
  }
}

export async function cancelPending(deps: AppDeps, ctx: ChatContext, which: Which): Promise<OutgoingReply> {
  const p = await find(deps, ctx, which);
  await deps.store.decidePending(p.id, 'cancelled', deps.clock.now());
  return { kind: 'text', text: `已取消：${p.summary}（未做任何修改）` };
}

/**
 * Drops the author's open preview in this chat, if any, and names it. Called when a later attempt at a write
 * fails: the author was most likely redoing that preview, and a 确认 typed next must not apply the old one.
 */
export async function dropOpenPreview(deps: AppDeps, ctx: ChatContext): Promise<string | null> {
  const p = await deps.store.findPending(ctx.chatId, ctx.actor.id, null);
  if (!p || p.state !== 'pending') return null;
  return (await deps.store.decidePending(p.id, 'cancelled', deps.clock.now())) ? p.summary : null;
}
