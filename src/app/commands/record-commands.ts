import type { Command } from '../../core/commands.js';
import { resolveDue } from '../../core/due-dates.js';
import { BotError } from '../../core/errors.js';
import { maskPersonalData } from '../../core/masking.js';
import { isStaff, mayChange, maySee, mayVisit } from '../../core/permissions.js';
import { recordLines } from '../../core/render-text.js';
import type { OutgoingReply } from '../../core/replies.js';
import { assertTransition, isOpen, isStatus, type RecordStatus, statusLabel } from '../../core/status.js';
import { departmentsFor, LOCAL_TOWN_DEPARTMENT } from '../../core/taxonomy.js';
import { formatShanghai } from '../../core/time.js';
import type { RecordEvent, RecordView } from '../../core/types.js';
import type { AppDeps } from '../deps.js';
import { assertMergeable } from '../merge-records.js';
import { type ChatContext, propose } from '../pending.js';
import { sourceLine, splittableSource } from '../split-source.js';
import { WRITEUP_STATUS_LABELS } from '../writeups.js';

/** A record the actor may see; a record outside their view is reported as not found (no existence leak). */
export async function visibleRecord(deps: AppDeps, ctx: ChatContext, code: string): Promise<RecordView> {
  const r = await deps.store.getRecord(code);
  if (!r || !maySee(ctx.actor.id, ctx.actor.person, r, await deps.store.recordSources(r.id))) throw new BotError('not_found', `没有找到你可查看的记录 ${code}`);
  return r;
}

async function changeableRecord(deps: AppDeps, ctx: ChatContext, code: string): Promise<RecordView> {
  // Said before the lookup: to a member, 「没有找到你可查看的记录」 would hide that the command is not theirs.
  if (!isStaff(ctx.actor.person)) throw new BotError('forbidden', '交办、办结、不予受理、合并和拆分仅限工作人员使用；查看进度请发「查询 <编号>」');
  const r = await visibleRecord(deps, ctx, code);
  if (!mayChange(ctx.actor.person, r)) throw new BotError('forbidden', `只有负责${r.townName ?? '该镇街'}的工作人员可以修改 ${r.code}`);
  return r;
}

function statusOf(r: RecordView): RecordStatus {
  if (!isStatus(r.status)) throw new BotError('internal', `未知状态 ${r.status}`);
  return r.status;
}

/** How each kind of record event reads in 查询's history. */
const EVENT_LABELS: Record<string, string> = {
  created: '登记', plus_one: '再次反映（+1）', status: '状态', town: '更正镇街', category: '更正分类', note: '补充说明', merged: '并入', split: '拆出',
  visit: '回访', rescheduled: '协商改期',
};

export async function queryReply(deps: AppDeps, ctx: ChatContext, code: string): Promise<OutgoingReply> {
  const r = await visibleRecord(deps, ctx, code);
  const events = await deps.store.recordEvents(r.id);
  const sources = await deps.store.recordSources(r.id);
  // What became of it beyond the record: 社情民意信息 drawn from it, with where each stands.
  const writeups = (await deps.outputs?.listWriteups({ recordId: r.id })) ?? [];
  // A 补充说明 is a member's own words about their residents: members read their own, as with the reports below.
  const readsNote = (e: RecordEvent) => e.type !== 'note' || e.actorId === ctx.actor.id || mayChange(ctx.actor.person, r);
  const history = events.map((e) => `· ${formatShanghai(e.at).slice(5)} ${EVENT_LABELS[e.type] ?? e.type}${e.to ? ` → ${statusLabel(e.to)}` : ''}${e.actorName ? `（${e.actorName}）` : ''}${e.note && readsNote(e) ? `：${maskPersonalData(e.note).text}` : ''}`);
  const extra = [
    ...(r.department ? [`承办单位：${r.department}`] : []),
    ...(r.dueAt ? [`办理时限：${formatShanghai(r.dueAt).slice(0, 10)}`] : []),
    ...(r.duplicateOf ? [`重复，见 ${r.duplicateOf}`] : []),
    ...(writeups.length ? [`社情民意信息：${writeups.map((w) => `${w.code}（${WRITEUP_STATUS_LABELS[w.status]}${w.instructions ? '，有批示' : ''}）`).join('、')}`] : []),
  ];
  // Numbered so staff can name one in 拆分 when a "+1" was another problem. Only for those who may split:
  // the members who reported it would otherwise read each other's reports and their residents' names.
  const reports = sources.length > 1 && mayChange(ctx.actor.person, r)
    ? [`反映（${sources.length} 条）：`, ...sources.map((x, i) => `· ${sourceLine(x, i + 1)}`)]
    : [];
  return { kind: 'text', title: `${r.code} ${statusLabel(r.status)}`, text: [...recordLines(r).slice(1), ...extra, ...reports, '处理经过：', ...history].join('\n') };
}

export async function mineReply(deps: AppDeps, ctx: ChatContext): Promise<OutgoingReply> {
  const records = await deps.store.recordsReportedBy(ctx.actor.id, 10);
  // （+1）: the member's report joined a record another member filed.
  const lines = records.map((r) => `${r.code} ${statusLabel(r.status)} ${r.townName ?? '镇街待确认'} ${r.summary}${r.filedBy === ctx.actor.id ? '' : '（+1）'}`);
  return { kind: 'text', title: '我反映的记录（最近 10 条）', text: lines.join('\n') || '还没有记录' };
}

type RecordWrite = Extract<Command, { name: 'assign' | 'close' | 'reject' | 'visit' | 'merge' | 'split' }>;

/** Validates a record write now (so a refusal changes nothing and says why) and previews it. */
export async function proposeRecordWrite(deps: AppDeps, ctx: ChatContext, c: RecordWrite): Promise<OutgoingReply> {
  const now = deps.clock.now();
  switch (c.name) {
    case 'assign': {
      const r = await changeableRecord(deps, ctx, c.code);
      // Said plainly rather than as a transition 「已交办」→「已交办」; there is no command to change the department.
      if (r.status === 'assigned') {
        throw new BotError('invalid_transition', `${r.code} 已交办${r.department ?? ''}${r.dueAt ? `（办理时限 ${formatShanghai(r.dueAt).slice(0, 10)}）` : ''}，无需重复交办。`);
      }
      assertTransition(statusOf(r), 'assigned');
      const department = c.department ?? departmentsFor(deps.taxonomy, r.categoryCode).find((d) => d !== LOCAL_TOWN_DEPARTMENT) ?? null;
      if (!department) throw new BotError('bad_request', '请写明承办部门，例如「交办 JM-2026-0042 区市政园林局 7天」');
      const dueAt = c.due ? resolveDue(c.due, now) : r.dueAt;
      return propose(deps, ctx, { kind: 'status', recordId: r.id, code: r.code, to: 'assigned', note: `交办${department}`, department, dueAt },
        `交办 ${r.code}`, [`摘要：${r.summary}`, `承办单位：${department}${c.department ? '' : '（按分类建议）'}`, `办理时限：${dueAt ? formatShanghai(dueAt).slice(0, 10) : '未定'}${c.due ? '' : '（默认）'}`, `状态：${statusLabel(r.status)} → ${statusLabel('assigned')}`]);
    }
    case 'close': {
      const r = await changeableRecord(deps, ctx, c.code);
      const to: RecordStatus = c.resolved ? 'resolved' : 'unresolved';
      assertTransition(statusOf(r), to, c.reason);
      return propose(deps, ctx, { kind: 'status', recordId: r.id, code: r.code, to, note: c.reason },
        `办结 ${r.code}`, [`摘要：${r.summary}`, `状态：${statusLabel(r.status)} → ${statusLabel(to)}`, ...(c.reason ? [`说明：${c.reason}`] : []), '办结后将请反映人回访评价。']);
    }
    case 'reject': {
      const r = await changeableRecord(deps, ctx, c.code);
      assertTransition(statusOf(r), 'rejected', c.reason);
      return propose(deps, ctx, { kind: 'status', recordId: r.id, code: r.code, to: 'rejected', note: c.reason },
        `不予受理 ${r.code}`, [`摘要：${r.summary}`, `原因：${c.reason}`]);
    }
    case 'visit': {
      const r = c.code ? await visibleRecord(deps, ctx, c.code) : await awaitingVisit(deps, ctx);
      // Whoever sees the record but may not answer its 回访 joined it as "+1": the filer answers for the record.
      if (!mayVisit(ctx.actor.id, ctx.actor.person, r)) throw new BotError('forbidden', `${r.code} 的回访由登记这条记录的委员或负责的工作人员作答；你的反映已并入其中，办理结果同样会告知你`);
      assertTransition(statusOf(r), 'visited');
      const label = { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' }[c.rating];
      return propose(deps, ctx, { kind: 'visit', recordId: r.id, code: r.code, rating: c.rating, note: c.note },
        `回访 ${r.code}：${label}`, [`摘要：${r.summary}`, `当前：${statusLabel(r.status)}`, c.rating === 'unsatisfied' ? '不满意：将发回重办。' : '将记为已回访。']);
    }
    case 'merge': {
      const from = await changeableRecord(deps, ctx, c.from);
      const into = await changeableRecord(deps, ctx, c.into);
      assertMergeable(from, into);
      return propose(deps, ctx, { kind: 'merge', recordId: from.id, code: from.code, intoId: into.id, intoCode: into.code },
        `合并 ${from.code} 到 ${into.code}`, [`${from.code}：${from.summary}（${from.affectedCount} 人次）→ 标为重复`, `${into.code}：${into.summary}（${into.affectedCount} 人次）→ ${into.affectedCount + from.affectedCount} 人次`]);
    }
    case 'split': {
      const r = await changeableRecord(deps, ctx, c.code);
      const source = splittableSource(r, await deps.store.recordSources(r.id), c.source);
      // A closed record's other problem was never handled: it is filed as new work, and the preview says so.
      const closed = isStatus(r.status) && !isOpen(r.status) ? `（${r.code} 已关闭：${statusLabel(r.status)}；拆出的反映作为新问题登记办理）` : '';
      return propose(deps, ctx, { kind: 'split', recordId: r.id, code: r.code, sourceId: source.id, ordinal: c.source },
        `拆分 ${r.code} 第 ${c.source} 条反映`, [sourceLine(source, c.source, 80), `将另行登记为新记录${closed}：分类和镇街按这条反映重新判断，并告知反映人。`,
          `${r.code}（${statusLabel(r.status)}）：${r.summary}（${r.affectedCount} 人次 → ${Math.max(1, r.affectedCount - 1)} 人次）`]);
    }
  }
}

/** A bare 「满意」: the asker's most recent record waiting for a 回访. */
async function awaitingVisit(deps: AppDeps, ctx: ChatContext): Promise<RecordView> {
  const { records } = await deps.store.listRecords({ filedBy: ctx.actor.id, status: ['resolved', 'unresolved'], limit: 1 });
  const r = records[0];
  if (!r) throw new BotError('not_found', '没有等待回访的记录。回访请写「回访 <编号> 满意|基本满意|不满意」');
  return r;
}
