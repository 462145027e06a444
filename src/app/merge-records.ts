import { BotError } from '../core/errors.js';
import type { NewEvent } from '../core/ports.js';
import { assertTransition, isOpen, isStatus } from '../core/status.js';
import type { RecordView } from '../core/types.js';
import type { AppDeps } from './deps.js';
import type { Actor } from './record-actions.js';
import { followUpEffects } from './status-change.js';

/** Checks a 合并 before it is previewed and again before it is applied. */
export function assertMergeable(from: RecordView, into: RecordView): void {
  if (from.id === into.id) throw new BotError('bad_request', '不能把记录合并到它自己');
  if (!isStatus(from.status)) throw new BotError('internal', `未知状态 ${from.status}`);
  assertTransition(from.status, 'duplicate');
  if (!isStatus(into.status) || !isOpen(into.status)) throw new BotError('invalid_transition', `${into.code} 已关闭，不能作为合并目标`);
}

/**
 * 合并 A 到 B: A becomes 重复 (→ B) and B's affected count grows by A's; both get an event with the operator,
 * A's source thread hears where its problem went, and A's reports move to B, so the members who sent them can
 * 查询 B, find it in 我的记录 and hear its later changes as "+1" members do.
 */
export async function mergeRecords(deps: AppDeps, actor: Actor, from: RecordView, into: RecordView): Promise<RecordView> {
  assertMergeable(from, into);
  const now = deps.clock.now();
  const note = `与 ${into.code} 是同一问题，已合并`;
  const fromEvent: NewEvent = { id: deps.ids.next('evt'), type: 'status', actorId: actor.id, actorName: actor.name, from: from.status, to: 'duplicate', note };
  const intoEvent: NewEvent = {
    id: deps.ids.next('evt'), type: 'merged', actorId: actor.id, actorName: actor.name, from: null, to: null,
    note: `并入 ${from.code}（${from.affectedCount} 人次）`,
  };
  const after: RecordView = { ...from, status: 'duplicate', duplicateOf: into.code, updatedAt: now };
  const effects = await followUpEffects(deps, after, { kind: 'status', record: after, from: from.status, to: 'duplicate', note }, fromEvent.id);
  return deps.store.mergeRecords(from.id, into.id, { from: fromEvent, into: intoEvent }, effects, now);
}
