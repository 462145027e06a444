import { BotError } from '../core/errors.js';
import type { ActionItem, Consultation } from '../core/outputs-ports.js';
import type { AppDeps } from './deps.js';
import { outputEvent, outputsOf } from './outputs-common.js';
import type { Actor } from './record-actions.js';

/** The action item numbered `seq` (as shown in 「协商 <编号>」) of a consultation. */
export async function actionItem(deps: AppDeps, c: Consultation, seq: number): Promise<ActionItem> {
  const item = (await outputsOf(deps).listActionItems({ consultationId: c.id })).find((i) => i.seq === seq);
  if (!item) throw new BotError('not_found', `协商 ${c.code} 没有第 ${seq} 项分工`);
  return item;
}

/** Marks one decision done; an item already done is refused so a repeated command says so. */
export async function completeActionItem(deps: AppDeps, actor: Actor, c: Consultation, seq: number): Promise<ActionItem> {
  const item = await actionItem(deps, c, seq);
  if (item.status !== 'open') throw new BotError('conflict', `第 ${seq} 项「${item.text}」已${item.status === 'done' ? '完成' : '撤销'}`);
  const now = deps.clock.now();
  await outputsOf(deps).setActionItemStatus(item.id, 'done', outputEvent(deps, actor, 'item_done', 'open', 'done', `${c.code} 第 ${seq} 项`), now);
  return { ...item, status: 'done', doneAt: now };
}
