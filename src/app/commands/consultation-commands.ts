import type { Command } from '../../core/commands.js';
import { shanghaiDateTime } from '../../core/consultation-commands.js';
import { resolveDue } from '../../core/due-dates.js';
import { BotError } from '../../core/errors.js';
import { maskPersonalData } from '../../core/masking.js';
import { type ActionItem, type Consultation, CONSULTATION_STATUS_LABELS } from '../../core/outputs-ports.js';
import type { ProposedChange } from '../../core/pending-action.js';
import { mayRunConsultation } from '../../core/permissions.js';
import type { OutgoingReply } from '../../core/replies.js';
import { statusLabel } from '../../core/status.js';
import { formatShanghai } from '../../core/time.js';
import { assertDeclinable, declineConsultation, recordsToRestore } from '../consultation-decline.js';
import { actionItem, completeActionItem } from '../consultation-items.js';
import { closeConsultation, heldTime, recordConsultationHeld, recordsToResume, scheduleConsultation } from '../consultations.js';
import type { AppDeps } from '../deps.js';
import { outputsOf, townName } from '../outputs-common.js';
import { type ChatContext, propose } from '../pending.js';
import type { Actor } from '../record-actions.js';

type ConsultationWrite = Extract<Command, { name: 'consultation_schedule' | 'consultation_held' | 'consultation_item_done' | 'consultation_close' | 'consultation_decline' }>;
type ConsultationChange = Extract<ProposedChange, { kind: `consultation_${string}` }>;

const ITEM_STATUS_LABELS: Record<ActionItem['status'], string> = { open: '未完成', done: '已完成', dropped: '已撤销' };

/** A consultation the actor may run; outside their town it reads as not found (no existence leak). */
async function runnable(deps: AppDeps, actor: Actor, code: string): Promise<Consultation> {
  const c = await outputsOf(deps).getConsultation(code);
  if (!c || !mayRunConsultation(actor.person, c.townCode)) {
    if (!actor.person || actor.person.role === 'member') throw new BotError('forbidden', '微协商的安排、纪要和分工仅限工作人员办理');
    throw new BotError('not_found', `没有找到你负责的协商 ${code}`);
  }
  return c;
}

const day = (ms: number | null) => (ms ? formatShanghai(ms).slice(0, 10) : '未定');
const itemLine = (i: ActionItem) => `${i.seq}. ${maskPersonalData(i.text).text}｜${i.owner}｜${day(i.dueAt)}｜${ITEM_STATUS_LABELS[i.status]}`;

/** 「协商 <编号>」: status, topic, time, linked records and the action items with owners and deadlines. */
export async function consultationReply(deps: AppDeps, ctx: ChatContext, code: string): Promise<OutgoingReply> {
  const c = await runnable(deps, ctx.actor, code);
  const items = await outputsOf(deps).listActionItems({ consultationId: c.id });
  const records = await Promise.all(c.recordIds.map((id) => deps.store.getRecord(id)));
  const lines = [
    `议题：${maskPersonalData(c.agenda.topic || c.topic).text}`,
    `镇街：${townName(deps, c.townCode)}　类型：${c.agenda.typeLabel}`,
    `状态：${CONSULTATION_STATUS_LABELS[c.status]}`,
    `时间：${c.scheduledAt ? formatShanghai(c.scheduledAt) : '未安排'}`,
    ...(c.heldAt ? [`召开：${formatShanghai(c.heldAt)}`] : []),
    ...(records.length ? [`关联记录：${records.map((r) => (r ? `${r.code}（${statusLabel(r.status)}）` : '')).filter(Boolean).join('、')}`] : []),
    ...(c.minutes ? [`纪要：${maskPersonalData(c.minutes).text}`] : []),
    items.length ? '分工（序号｜事项｜责任单位｜时限｜状态）：' : '分工：暂无',
    ...items.map(itemLine),
  ];
  return { kind: 'text', title: `微协商 ${c.code} ${CONSULTATION_STATUS_LABELS[c.status]}`, text: lines.join('\n') };
}

/**
 * Resolves attendee names to people (so 委员履职 counts the members among them); a member is preferred when
 * staff share the name; a name nobody has is kept as written.
 */
async function attendeeIds(deps: AppDeps, names: string[]): Promise<string[]> {
  const people = await deps.store.listPeople();
  return names.map((n) => (people.find((p) => p.name === n && p.role === 'member') ?? people.find((p) => p.name === n))?.id ?? n);
}

/** Validates a consultation write now (a refusal changes nothing and says why) and previews it. */
export async function proposeConsultationWrite(deps: AppDeps, ctx: ChatContext, w: ConsultationWrite): Promise<OutgoingReply> {
  const c = await runnable(deps, ctx.actor, w.code);
  const now = deps.clock.now();
  const head = `议题：${maskPersonalData(c.topic).text}`;
  switch (w.name) {
    case 'consultation_schedule': {
      if (c.status !== 'proposed' && c.status !== 'scheduled') throw new BotError('invalid_transition', `协商 ${c.code} 当前为「${CONSULTATION_STATUS_LABELS[c.status]}」，不能再安排`);
      const at = shanghaiDateTime(w.at);
      if (at === null) throw new BotError('bad_request', `无法识别的时间 ${w.at}`);
      if (at < now) throw new BotError('bad_request', `时间 ${w.at} 已经过去`);
      const moved = c.status === 'scheduled' && c.scheduledAt !== null && c.scheduledAt !== at;
      return propose(deps, ctx, { kind: 'consultation_schedule', code: c.code, at }, `安排协商 ${c.code}`, moved
        ? [head, `时间：${formatShanghai(c.scheduledAt!)} → ${formatShanghai(at)}`, '将通知关联记录的反映人新的时间。']
        : [head, `时间：${formatShanghai(at)}`, `关联记录 ${c.recordIds.length} 件将列入协商（已列入协商）。`]);
    }
    case 'consultation_held': {
      if (c.status !== 'scheduled' && c.status !== 'proposed') throw new BotError('invalid_transition', `协商 ${c.code} 当前为「${CONSULTATION_STATUS_LABELS[c.status]}」，不能再记录纪要`);
      const decisions = w.decisions.map((d) => ({ text: d.text, owner: d.owner, dueAt: d.due ? resolveDue(d.due, now) : null }));
      const attendees = await attendeeIds(deps, w.attendees);
      return propose(deps, ctx, { kind: 'consultation_held', code: c.code, minutes: w.minutes, attendees, decisions }, `协商纪要 ${c.code}`, [
        head, `召开：${formatShanghai(heldTime(c, now))}`, `纪要：${maskPersonalData(w.minutes).text}`, `参加：${w.attendees.join('、') || '未填写'}`,
        decisions.length ? '决定（将作为分工跟踪）：' : '决定：无',
        ...decisions.map((d, i) => `${i + 1}. ${maskPersonalData(d.text).text}｜${d.owner}｜${day(d.dueAt)}`),
      ]);
    }
    case 'consultation_item_done': {
      const item = await actionItem(deps, c, w.seq);
      if (item.status !== 'open') throw new BotError('conflict', `第 ${w.seq} 项「${item.text}」已${ITEM_STATUS_LABELS[item.status]}`);
      return propose(deps, ctx, { kind: 'consultation_item_done', code: c.code, seq: w.seq }, `办结事项 ${c.code} 第 ${w.seq} 项`, [head, itemLine(item), '将标为已完成。']);
    }
    case 'consultation_close': {
      if (c.status !== 'held') throw new BotError('invalid_transition', `协商 ${c.code} 尚未召开，不能结束`);
      const open = (await outputsOf(deps).listActionItems({ consultationId: c.id })).filter((i) => i.status === 'open');
      if (open.length) throw new BotError('bad_request', `还有 ${open.length} 项分工未完成，不能结束：${open.map((i) => `${i.seq}. ${i.text}（${i.owner}）`).join('；')}`);
      const resume = await recordsToResume(deps, c);
      return propose(deps, ctx, { kind: 'consultation_close', code: c.code }, `结束协商 ${c.code}`, [
        head, '分工已全部完成，将结束本次协商。',
        ...resume.map((r) => `${r.code}：${statusLabel(r.status)} → ${statusLabel('in_progress')}`),
        ...(resume.length ? ['关联记录转回办理中，由工作人员办结；将通知反映人。'] : []),
      ]);
    }
    case 'consultation_decline': {
      assertDeclinable(c);
      const restore = await recordsToRestore(deps, c);
      return propose(deps, ctx, { kind: 'consultation_decline', code: c.code, reason: w.reason }, `不召开协商 ${c.code}`, [
        head, `当前：${CONSULTATION_STATUS_LABELS[c.status]} → ${CONSULTATION_STATUS_LABELS.declined}`, `原因：${maskPersonalData(w.reason).text}`,
        ...restore.map((x) => `${x.record.code}：${statusLabel(x.record.status)} → ${statusLabel(x.to)}`),
        '这些记录不再由聚类规则自动提议协商（仍可用「拟议程」发起）。',
      ]);
    }
  }
}

/** Applies a confirmed consultation change; the app functions re-check its state, rights are re-checked here. */
export async function applyConsultationChange(deps: AppDeps, actor: Actor, change: ConsultationChange): Promise<OutgoingReply> {
  const c = await runnable(deps, actor, change.code);
  switch (change.kind) {
    case 'consultation_schedule': {
      const moved = c.status === 'scheduled' && c.scheduledAt !== null && c.scheduledAt !== change.at;
      await scheduleConsultation(deps, actor, c.code, change.at);
      return { kind: 'text', text: moved ? `已改期：协商 ${c.code} 改为 ${formatShanghai(change.at)}，已通知反映人。` : `已安排：协商 ${c.code} 定于 ${formatShanghai(change.at)}，关联记录已列入协商。` };
    }
    case 'consultation_held': {
      await recordConsultationHeld(deps, actor, c.code, { minutes: change.minutes, attendees: change.attendees, decisions: change.decisions });
      return { kind: 'text', text: `已记录协商 ${c.code} 的纪要，${change.decisions.length} 项决定已作为分工跟踪。发送「协商 ${c.code}」查看。` };
    }
    case 'consultation_item_done': {
      const item = await completeActionItem(deps, actor, c, change.seq);
      const open = (await outputsOf(deps).listActionItems({ consultationId: c.id })).filter((i) => i.status === 'open').length;
      return { kind: 'text', text: `已完成：${c.code} 第 ${item.seq} 项「${maskPersonalData(item.text).text}」。${open ? `还有 ${open} 项未完成。` : `分工已全部完成，可发送「结束协商 ${c.code}」。`}` };
    }
    case 'consultation_close': {
      const { resumed } = await closeConsultation(deps, actor, c.code);
      return { kind: 'text', text: `已结束协商 ${c.code}。${resumed.length ? `${resumed.map((r) => r.code).join('、')} 转为「${statusLabel('in_progress')}」，已通知反映人。` : ''}` };
    }
    case 'consultation_decline': {
      const { restored } = await declineConsultation(deps, actor, c.code, change.reason);
      return { kind: 'text', text: `已记录：协商 ${c.code} 不予召开。${restored.length ? `${restored.map((r) => `${r.code} 恢复为「${statusLabel(r.status)}」`).join('，')}，已通知反映人。` : ''}` };
    }
  }
}
