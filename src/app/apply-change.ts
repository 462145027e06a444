import { BotError } from '../core/errors.js';
import type { ProposedChange } from '../core/pending-action.js';
import { mayChange, mayManagePeople, mayVisit } from '../core/permissions.js';
import type { OutgoingReply } from '../core/replies.js';
import { statusLabel } from '../core/status.js';
import type { RecordView } from '../core/types.js';
import { applyConsultationChange } from './commands/consultation-commands.js';
import { addPerson } from './commands/people-commands.js';
import { applyWriteupChange } from './commands/writeup-commands.js';
import type { AppDeps } from './deps.js';
import { mergeRecords } from './merge-records.js';
import { splitSource } from './split-source.js';
import type { Actor } from './record-actions.js';
import { applyVisit, changeStatus } from './status-change.js';

async function mustGet(deps: AppDeps, id: string): Promise<RecordView> {
  const r = await deps.store.getRecord(id);
  if (!r) throw new BotError('not_found', `没有找到记录 ${id}`);
  return r;
}

const refuse = (code: string) => new BotError('forbidden', `你没有修改 ${code} 的权限`);

/** Applies a confirmed change, checking rights and state again against the record as it is now. */
export async function applyChange(deps: AppDeps, actor: Actor, c: ProposedChange): Promise<{ reply: OutgoingReply; recordId: string | null }> {
  switch (c.kind) {
    case 'status': {
      const r = await mustGet(deps, c.recordId);
      if (!mayChange(actor.person, r)) throw refuse(r.code);
      const after = await changeStatus(deps, actor, r, c.to, {
        note: c.note, ...(c.department !== undefined ? { department: c.department } : {}), ...(c.dueAt !== undefined ? { dueAt: c.dueAt } : {}),
      });
      return { reply: { kind: 'text', text: `已执行：${after.code} ${statusLabel(r.status)} → ${statusLabel(after.status)}，已通知反映人。` }, recordId: after.id };
    }
    case 'visit': {
      const r = await mustGet(deps, c.recordId);
      if (!mayVisit(actor.id, actor.person, r)) throw refuse(r.code);
      const after = await applyVisit(deps, actor, r, c.rating, c.note);
      return { reply: { kind: 'text', text: `已记录回访：${after.code} 现为「${statusLabel(after.status)}」` }, recordId: after.id };
    }
    case 'merge': {
      const from = await mustGet(deps, c.recordId);
      const into = await mustGet(deps, c.intoId);
      if (!mayChange(actor.person, from)) throw refuse(from.code);
      if (!mayChange(actor.person, into)) throw refuse(into.code);
      const after = await mergeRecords(deps, actor, from, into);
      return { reply: { kind: 'text', text: `已合并：${from.code} 标为重复，${after.code} 反映人次现为 ${after.affectedCount}` }, recordId: after.id };
    }
    case 'split': {
      const r = await mustGet(deps, c.recordId);
      if (!mayChange(actor.person, r)) throw refuse(r.code);
      const { record, ordinal } = await splitSource(deps, actor, r, c.sourceId);
      const where = record.townName ?? '镇街待确认';
      return {
        reply: { kind: 'text', text: `已拆分：${r.code} 第 ${ordinal} 条反映另行登记为 ${record.code}（${record.categoryName}，${where}），已告知反映人；${r.code} 反映人次现为 ${Math.max(1, r.affectedCount - 1)}。` },
        recordId: record.id,
      };
    }
    case 'add_person': {
      if (!mayManagePeople(actor.person)) throw new BotError('forbidden', '只有管理员可以添加人员');
      return { reply: await addPerson(deps, actor, c), recordId: null };
    }
    case 'consultation_schedule':
    case 'consultation_held':
    case 'consultation_item_done':
    case 'consultation_close':
    case 'consultation_decline':
      return { reply: await applyConsultationChange(deps, actor, c), recordId: null };
    case 'writeup_status':
    case 'writeup_instruction':
      return { reply: await applyWriteupChange(deps, actor, c), recordId: null };
  }
}
