import type { Command } from '../../core/commands.js';
import { BotError } from '../../core/errors.js';
import { maskPersonalData } from '../../core/masking.js';
import type { OutputEvent, WriteupRow } from '../../core/outputs-ports.js';
import type { ProposedChange } from '../../core/pending-action.js';
import type { OutgoingReply } from '../../core/replies.js';
import { formatShanghai } from '../../core/time.js';
import type { AppDeps } from '../deps.js';
import { outputsOf, townName } from '../outputs-common.js';
import { type ChatContext, propose } from '../pending.js';
import type { Actor } from '../record-actions.js';
import { recordWriteupInstruction, setWriteupStatus, trackableWriteup, WRITEUP_STATUS_LABELS, writeupStepRefusal } from '../writeups.js';

type WriteupWrite = Extract<Command, { name: 'writeup_submit' | 'writeup_adopt' | 'writeup_instruct' }>;
type WriteupChange = Extract<ProposedChange, { kind: 'writeup_status' | 'writeup_instruction' }>;

const EVENT_LABELS: Record<string, string> = { drafted: '起草', submitted: '报送', adopted: '采用', instruction: '批示' };
const masked = (s: string) => maskPersonalData(s).text;
const minute = (ms: number) => formatShanghai(ms).slice(5);

function eventLine(e: OutputEvent): string {
  return `· ${minute(e.at)} ${EVENT_LABELS[e.type] ?? e.type}${e.actorName ? `（${e.actorName}）` : ''}${e.note ? `：${masked(e.note)}` : ''}`;
}

/** 「社情民意 JM-SQ-2026-0001」 / 「查询 …」: where a write-up stands — submitted, adopted (by whom), 批示. */
export async function writeupShowReply(deps: AppDeps, ctx: ChatContext, code: string): Promise<OutgoingReply> {
  const w = await trackableWriteup(deps, ctx.actor, code);
  const out = outputsOf(deps);
  const events = await out.outputEvents(w.id);
  const records = (await Promise.all(w.recordIds.map((id) => deps.store.getRecord(id)))).filter((r) => r !== null);
  const consultation = w.consultationId ? await out.getConsultation(w.consultationId) : null;
  const last = (type: string) => events.filter((e) => e.type === type).at(-1);
  const adopted = last('adopted');
  const lines = [
    `标题：${masked(w.title)}`,
    `镇街：${townName(deps, w.townCode)}`,
    `来源：${[...(consultation ? [`协商 ${consultation.code}`] : []), ...records.map((r) => r.code)].join('、') || '无'}`,
    `状态：${WRITEUP_STATUS_LABELS[w.status]}`,
    ...(w.submittedAt ? [`报送：${minute(w.submittedAt)}${last('submitted')?.note ? `，${masked(last('submitted')!.note!)}` : ''}`] : []),
    ...(w.adoptedAt ? [`采用：${minute(w.adoptedAt)}${adopted?.note ? `，${masked(adopted.note)}` : ''}`] : []),
    ...(w.instructions ? [`批示：${masked(w.instructions)}`] : []),
    '经过：', ...events.map(eventLine),
  ];
  return { kind: 'text', title: `社情民意信息 ${w.code} ${WRITEUP_STATUS_LABELS[w.status]}`, text: lines.join('\n') };
}

/** Checks rights and order now (a refusal changes nothing and says why) and previews the step. */
export async function proposeWriteupWrite(deps: AppDeps, ctx: ChatContext, c: WriteupWrite): Promise<OutgoingReply> {
  const w = await trackableWriteup(deps, ctx.actor, c.code);
  const head = [`标题：${masked(w.title)}`, `当前：${WRITEUP_STATUS_LABELS[w.status]}`];
  const step = c.name === 'writeup_submit' ? 'submitted' : c.name === 'writeup_adopt' ? 'adopted' : 'instruction';
  const refusal = writeupStepRefusal(w, step);
  if (refusal) throw new BotError('invalid_transition', refusal);
  switch (c.name) {
    case 'writeup_submit':
      return propose(deps, ctx, { kind: 'writeup_status', code: w.code, to: 'submitted', note: c.note }, `报送 ${w.code}`,
        [...head, `将记为「已报送」${c.note ? `（${masked(c.note)}）` : ''}，计入本周通报的报送数。`]);
    case 'writeup_adopt':
      return propose(deps, ctx, { kind: 'writeup_status', code: w.code, to: 'adopted', note: c.by }, `采用 ${w.code}`,
        [...head, `采用单位：${c.by ? masked(c.by) : '未填写'}`, '将记为「已采用」，计入本周通报的采用数和相关委员的履职统计。']);
    case 'writeup_instruct':
      return propose(deps, ctx, { kind: 'writeup_instruction', code: w.code, text: c.text }, `批示 ${w.code}`,
        [...head, `批示：${masked(c.text)}`, ...(w.instructions ? ['（追加在已有批示之后）'] : [])]);
  }
}

/** Applies a confirmed step; rights and order are checked again against the write-up as it is now. */
export async function applyWriteupChange(deps: AppDeps, actor: Actor, c: WriteupChange): Promise<OutgoingReply> {
  let w: WriteupRow;
  if (c.kind === 'writeup_status') {
    w = await setWriteupStatus(deps, actor, c.code, c.to, c.note);
    deps.log.info('writeup.status', { code: w.code, to: c.to, actor: actor.id });
    return { kind: 'text', text: `已登记：${w.code} ${WRITEUP_STATUS_LABELS[w.status]}${c.note ? `（${masked(c.note)}）` : ''}。发送「社情民意 ${w.code}」查看。` };
  }
  w = await recordWriteupInstruction(deps, actor, c.code, c.text);
  deps.log.info('writeup.instruction', { code: w.code, actor: actor.id });
  return { kind: 'text', text: `已记录 ${w.code} 的批示。发送「社情民意 ${w.code}」查看。` };
}
