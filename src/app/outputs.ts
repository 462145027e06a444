/**
 * The staff commands behind 拟议程 / 社情民意 / 周报 / 委员履职 (parsed and confirmed by the command layer).
 * Who may: agendas, write-ups and member figures — staff of the town concerned, district staff and admins.
 * 周报 — staff and admins for any town in their scope; a member for their own town (the same figures their
 * liaison group receives on Friday, typical cases masked); an unregistered sender not at all.
 */
import { renderAgenda } from '../core/agenda.js';
import { BotError } from '../core/errors.js';
import { CONSULTATION_STATUS_LABELS } from '../core/outputs-ports.js';
import type { OutgoingReply } from '../core/replies.js';
import { fingerprint, similarity } from '../core/similarity.js';
import { isOpen, isStatus } from '../core/status.js';
import { findTown } from '../core/place-decision.js';
import { shanghaiWeek } from '../core/time.js';
import type { RecordView } from '../core/types.js';
import { buildWeekBulletin, writtenBulletinReply } from './bulletins.js';
import { proposeConsultation } from './consultations.js';
import type { AppDeps } from './deps.js';
import { assertTownScope, labelOf, outputsOf, requireStaff, townName } from './outputs-common.js';
import type { Actor } from './record-actions.js';
import { createWriteup } from './writeups.js';
import { agendaProseData, writerOf } from './prose-data.js';
import { writtenBy } from '../core/template-writer.js';

const TOPIC_SIMILARITY = 0.1;
const TOPIC_WINDOW_MS = 30 * 86_400_000;
const MAX_TOPIC_RECORDS = 10;

async function topicRecords(deps: AppDeps, townCode: string, topic: string): Promise<RecordView[]> {
  const fp = fingerprint(topic);
  const candidates = await outputsOf(deps).clusterCandidates(townCode, deps.clock.now() - TOPIC_WINDOW_MS);
  const hits = candidates.filter((c) => c.summary.includes(topic) || similarity(fp, c.fingerprint) >= TOPIC_SIMILARITY).slice(0, MAX_TOPIC_RECORDS);
  return (await Promise.all(hits.map((h) => deps.store.getRecord(h.id)))).filter((r): r is RecordView => r !== null);
}

export async function draftAgendaCommand(deps: AppDeps, actor: Actor, args: { codes: string[]; topic: string | null }): Promise<OutgoingReply> {
  const scope = requireStaff(actor, '拟议程');
  let records: RecordView[] = [];
  for (const code of args.codes) {
    const r = await deps.store.getRecord(code);
    if (!r) throw new BotError('not_found', `没有找到记录 ${code}`);
    records.push(r);
  }
  const towns = [...new Set(records.map((r) => r.townCode))];
  if (towns.length > 1) throw new BotError('bad_request', '一事一议：所列记录分属不同镇街，请分别拟议程');
  const topicTown = args.topic ? findTown(deps.district.towns, args.topic) : null;
  const townCode = (towns[0] ?? null) ?? scope ?? actor.person?.townCode ?? topicTown?.code ?? null;
  if (!townCode) throw new BotError('bad_request', '请给出记录编号，或在议题中写明镇街，例如「拟议程 侨英街道 路灯损坏」');
  assertTownScope(scope, townCode, deps);
  if (!records.length && args.topic) records = await topicRecords(deps, townCode, args.topic);
  if (!records.length && !args.topic) throw new BotError('bad_request', '请给出记录编号或议题');
  for (const r of records) if (!isStatus(r.status) || !isOpen(r.status)) throw new BotError('bad_request', `${r.code} 已${r.status === 'duplicate' ? '合并' : '办结'}，不宜列入协商`);
  // 一事一议: a record already on a consultation that has not happened yet is not proposed for a second one.
  const pending = await outputsOf(deps).listConsultations({ townCode, statuses: ['proposed', 'scheduled'] });
  for (const r of records) {
    const on = pending.find((c) => c.recordIds.includes(r.id));
    if (on) throw new BotError('conflict', `${r.code} 已列入协商 ${on.code}（${CONSULTATION_STATUS_LABELS[on.status]}），请用「协商 ${on.code}」查看`);
  }
  const c = await proposeConsultation(deps, actor, townCode, records, args.topic, { clusterKey: null, announce: false });
  if (!c) throw new BotError('conflict', '协商未能创建，请重试');
  const category = records[0] ? labelOf(deps, records[0].categoryCode, records[0].categoryName) : '综合';
  const w = await writerOf(deps).write('agenda', agendaProseData(c.agenda, records, townName(deps, townCode), category), renderAgenda(c.agenda));
  return { kind: 'text', title: `微协商议程草案 ${c.code}`, text: `${w.text}\n\n（协商编号 ${c.code}，状态：已提议）${writtenBy(w)}` };
}

export async function writeupCommand(deps: AppDeps, actor: Actor, code: string): Promise<OutgoingReply> {
  const scope = requireStaff(actor, '社情民意信息');
  const { row, text, written } = await createWriteup(deps, actor, code, scope);
  return { kind: 'text', title: `社情民意信息草稿 ${row.code}`, text: `${text}\n\n（${row.code}，状态：草稿，共 ${text.length} 字）${writtenBy(written)}` };
}

export async function bulletinCommand(deps: AppDeps, actor: Actor, args: { week: 'this' | 'last'; townCode: string | null }): Promise<OutgoingReply> {
  const p = actor.person;
  if (!p) throw new BotError('forbidden', '周报仅限登记的委员和工作人员查看');
  let townCode = args.townCode;
  if (p.role === 'member') {
    if (!p.townCode) throw new BotError('forbidden', '您尚未分配镇街，请联系工作人员');
    if (townCode && townCode !== p.townCode) throw new BotError('forbidden', `委员只能查看本镇街（${townName(deps, p.townCode)}）的周报`);
    townCode = p.townCode;
  } else {
    const scope = p.role === 'admin' ? null : p.townCode;
    townCode = townCode ?? scope;
    assertTownScope(scope, townCode, deps);
  }
  const week = shanghaiWeek(deps.clock.now(), args.week === 'last' ? -1 : 0);
  return writtenBulletinReply(deps, await buildWeekBulletin(deps, townCode, week));
}

export async function memberFiguresCommand(deps: AppDeps, actor: Actor): Promise<OutgoingReply> {
  const scope = requireStaff(actor, '委员履职统计');
  const figures = (await outputsOf(deps).memberFigures()).filter((f) => scope === null || f.townCode === scope);
  const lines = figures.map((f) => `- ${f.name}${f.townCode ? `（${townName(deps, f.townCode)}）` : ''}：反映 ${f.forwarded} 件，参加协商 ${f.consultationsAttended} 次，社情民意被采用 ${f.writeupsAdopted} 篇`);
  return { kind: 'text', title: `委员履职统计（${townName(deps, scope)}）`, text: lines.length ? lines.join('\n') : '暂无委员履职数据' };
}
