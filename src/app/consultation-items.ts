import { BotError } from '../core/errors.js';
import type { ActionItem, Consultation } from '../core/outputs-ports.js';
import type { TrackedItem } from '../core/tracked-items.js';
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

/**
 * Open decisions due before `before` (overdue, or due soon), with their consultation's code and town; limited
 * to one town when `townCode` is given. Items of a consultation no longer running are left out.
 */
export async function openItemsDueBefore(deps: AppDeps, before: number, townCode?: string): Promise<TrackedItem[]> {
  const out = outputsOf(deps);
  const items = await out.listActionItems({ openDueBefore: before });
  const consultations = new Map<string, Consultation | null>();
  const tracked: TrackedItem[] = [];
  for (const i of items) {
    if (i.dueAt === null) continue;
    if (!consultations.has(i.consultationId)) consultations.set(i.consultationId, await out.getConsultation(i.consultationId));
    const c = consultations.get(i.consultationId);
    if (!c || c.status !== 'held' || (townCode !== undefined && c.townCode !== townCode)) continue;
    tracked.push({ consultationCode: c.code, townCode: c.townCode, seq: i.seq, text: i.text, owner: i.owner, dueAt: i.dueAt });
  }
  return tracked;
}
