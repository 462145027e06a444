import { BotError } from '../core/errors.js';
import { PENDING_TTL_MS, type PendingAction, type ProposedChange } from '../core/pending-action.js';
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

/** Stores a proposed write and shows it with 确认 / 取消; nothing changes until the author confirms. */
export async function propose(deps: AppDeps, ctx: ChatContext, change: ProposedChange, title: string, lines: string[]): Promise<OutgoingReply> {
  const now = deps.clock.now();
  const pending: PendingAction = {
    id: deps.ids.next('pnd'), actorId: ctx.actor.id, actorName: ctx.actor.name, platform: ctx.platform, chatId: ctx.chatId,
    change, summary: title, state: 'pending', createdAt: now, expiresAt: now + PENDING_TTL_MS,
  };
  await deps.store.createPending(pending);
  return {
    kind: 'text',
    title: `请确认：${title}`,
    text: [...lines, `（${Math.round(PENDING_TTL_MS / 60_000)} 分钟内有效）`].join('\n'),
    buttons: [
      { label: '确认', value: { action: 'confirm', pending: pending.id }, primary: true },
      { label: '取消', value: { action: 'cancel', pending: pending.id } },
    ],
  };
}

async function find(deps: AppDeps, ctx: ChatContext, pendingId: string | null): Promise<PendingAction> {
  const p = pendingId ? await deps.store.getPending(pendingId) : await deps.store.latestPending(ctx.chatId, ctx.actor.id);
  if (!p) throw new BotError('not_found', '没有待确认的操作');
  if (p.actorId !== ctx.actor.id) throw new BotError('forbidden', '只有发起这项操作的人可以确认或取消');
  if (p.state !== 'pending') throw new BotError('conflict', `「${p.summary}」已${p.state === 'confirmed' ? '执行' : '取消'}`);
  return p;
}

/** 确认: the latest pending action of this person in this chat, or the one a card button names. */
export async function confirmPending(deps: AppDeps, ctx: ChatContext, pendingId: string | null): Promise<{ reply: OutgoingReply; recordId: string | null }> {
  const p = await find(deps, ctx, pendingId);
  const now = deps.clock.now();
  if (p.expiresAt <= now) {
    await deps.store.decidePending(p.id, 'cancelled', now);
    throw new BotError('conflict', `「${p.summary}」的预览已过期，未执行。请重新发起。`);
  }
  // Claim it first: a second 确认 (double click, redelivery) finds it decided and changes nothing.
  if (!(await deps.store.decidePending(p.id, 'confirmed', now))) throw new BotError('conflict', `「${p.summary}」已处理`);
  deps.log.info('pending.confirmed', { id: p.id, actor: ctx.actor.id, kind: p.change.kind });
  return applyChange(deps, ctx.actor, p.change);
}

export async function cancelPending(deps: AppDeps, ctx: ChatContext, pendingId: string | null): Promise<OutgoingReply> {
  const p = await find(deps, ctx, pendingId);
  await deps.store.decidePending(p.id, 'cancelled', deps.clock.now());
  return { kind: 'text', text: `已取消：${p.summary}（未做任何修改）` };
}
