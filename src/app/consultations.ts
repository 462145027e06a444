/**
 * 微协商: proposal (by the cluster rule or a staff member), scheduling, the meeting (minutes, attendance,
 * decisions as action items) and closing. Linked records move to 已列入协商 when the consultation is
 * scheduled — a proposal alone may still be turned down, so it changes no record.
 *
 * When the cluster rule runs: a `cluster_check` job is enqueued after each processed message (see
 * job-handlers.ts) and checks the towns of the records it filed or joined; the daily 09:07 task sweeps
 * every town as a backstop (a check lost to a crash between the two writes is caught within a day).
 */
import { type Agenda, type AgendaRecord, buildAgenda, renderAgenda } from '../core/agenda.js';
import { type Cluster, CLUSTER_WINDOW_DAYS, findClusters } from '../core/cluster.js';
import { BotError } from '../core/errors.js';
import type { Consultation } from '../core/outputs-ports.js';
import { CONSULTATION_STATUS_LABELS } from '../core/outputs-ports.js';
import type { Effects } from '../core/ports.js';
import type { OutgoingReply } from '../core/replies.js';
import { isOpen, isStatus } from '../core/status.js';
import { formatShanghai, shanghaiDate } from '../core/time.js';
import type { RecordView } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { departments, labelOf, outputEvent, outputsOf, SYSTEM_ACTOR, townName } from './outputs-common.js';
import { groupQuote, outwardRecord } from './outward-text.js';
import type { Actor } from './record-actions.js';
import { replyEffects } from './reply-effects.js';
import { changeStatus, followUpEffects } from './status-change.js';

const DAY_MS = 86_400_000;
const MOVABLE_TO_CONSULTATION = new Set(['registered', 'assigned', 'in_progress', 'reopened']);

export async function agendaFor(deps: AppDeps, records: RecordView[], topic: string | null, townCode: string): Promise<Agenda> {
  const out = outputsOf(deps);
  const main = records[0];
  const agendaRecords: AgendaRecord[] = records.map(outwardRecord).map((r) => ({
    code: r.code, summary: r.summary, excerptMasked: groupQuote(r.textMasked), affectedCount: r.affectedCount, createdAt: r.createdAt,
    place: r.place, placeName: null,
  }));
  return buildAgenda({
    topic, townName: townName(deps, townCode),
    categoryLabel: main ? labelOf(deps, main.categoryCode, main.categoryName) : '综合',
    departments: main ? departments(deps, main.categoryCode, townCode) : [],
    memberNames: await out.memberNames(townCode),
    records: agendaRecords, pairing: await out.getPairing(townCode), now: deps.clock.now(),
  });
}

async function nextCode(deps: AppDeps, kind: 'XS' | 'SQ'): Promise<{ code: string; counter: { name: string; value: number } }> {
  const year = shanghaiDate(deps.clock.now()).year;
  const name = `${deps.settings.codePrefix}-${kind}-${year}`;
  const value = await outputsOf(deps).nextSequence(name);
  return { code: `${name}-${String(value).padStart(4, '0')}`, counter: { name, value } };
}
export { nextCode };

/** Creates a proposed consultation; with `announce`, posts the proposal and agenda to the town's liaison chats. */
export async function proposeConsultation(
  deps: AppDeps, actor: { id: string; name: string | null }, townCode: string, records: RecordView[], topic: string | null,
  opts: { clusterKey: string | null; announce: boolean },
): Promise<Consultation | null> {
  const out = outputsOf(deps);
  const agenda = await agendaFor(deps, records, topic, townCode);
  const { code, counter } = await nextCode(deps, 'XS');
  const id = deps.ids.next('csl');
  const effects: Effects = { replies: [], jobs: [] };
  if (opts.announce) {
    const chats = (await deps.store.listChats('liaison')).filter((c) => c.townCode === townCode);
    const reports = records.reduce((n, r) => n + r.affectedCount, 0);
    const payload: OutgoingReply = {
      kind: 'text', title: `微协商建议 ${code}`,
      text: `${townName(deps, townCode)}近 ${CLUSTER_WINDOW_DAYS} 天内有 ${records.length} 件记录、${reports} 人次反映同一问题，建议召开微协商。议程草案如下：\n\n${renderAgenda(agenda)}`,
    };
    for (const c of chats) {
      const e = replyEffects(deps, { key: `consultation:${id}:proposal:${c.id}`, target: { platform: c.platform, chatId: c.externalId, chatType: 'group' }, inboundId: null, recordId: null, payload });
      effects.replies.push(...e.replies);
      effects.jobs.push(...e.jobs);
    }
  }
  const created = await out.proposeConsultation({
    id, code, counter, townCode, type: agenda.type, party: agenda.party, topic: agenda.topic, clusterKey: opts.clusterKey,
    proposedBy: actor.id, agenda, recordIds: records.map((r) => r.id),
  }, outputEvent(deps, actor, 'proposed', null, 'proposed', opts.clusterKey ? '聚类规则触发' : null), effects, deps.clock.now());
  if (created) deps.notifyJobs();
  return created ? out.getConsultation(id) : null;
}

/** The cluster rule for one town; `seedIds` limits it to clusters around those records (after a filing). */
export async function checkTownClusters(deps: AppDeps, townCode: string, seedIds?: string[]): Promise<Consultation[]> {
  const out = outputsOf(deps);
  const now = deps.clock.now();
  // Records of a consultation the staff declined are not put to the liaison group again by the rule.
  const declined = new Set((await out.listConsultations({ townCode, statuses: ['declined'] })).flatMap((c) => c.recordIds));
  const candidates = (await out.clusterCandidates(townCode, now - CLUSTER_WINDOW_DAYS * DAY_MS)).filter((r) => !declined.has(r.id));
  const clusters: Cluster[] = seedIds
    ? seedIds.flatMap((seedId) => findClusters(candidates, { seedId }))
    : findClusters(candidates);
  const proposed: Consultation[] = [];
  const seen = new Set<string>();
  for (const cl of clusters) {
    if (cl.records.some((r) => seen.has(r.id))) continue;
    for (const r of cl.records) seen.add(r.id);
    const records = (await Promise.all(cl.records.map((r) => deps.store.getRecord(r.id)))).filter((r): r is RecordView => r !== null);
    const c = await proposeConsultation(deps, SYSTEM_ACTOR, townCode, records, null, { clusterKey: cl.key, announce: true });
    if (c) {
      proposed.push(c);
      deps.log.info('consultation.proposed', { code: c.code, town: townCode, records: records.length, reports: cl.reports });
    }
  }
  return proposed;
}

/** The job after a processed message: the cluster rule around every record it filed or joined. */
export async function clusterCheckForInbound(deps: AppDeps, inboundId: string): Promise<void> {
  const items = await deps.store.sourcedItems(inboundId);
  const byTown = new Map<string, string[]>();
  for (const it of items) {
    const r = await deps.store.getRecord(it.recordId);
    if (r?.townCode && isStatus(r.status) && isOpen(r.status)) byTown.set(r.townCode, [...(byTown.get(r.townCode) ?? []), r.id]);
  }
  for (const [town, ids] of byTown) await checkTownClusters(deps, town, ids);
}

export async function sweepClusters(deps: AppDeps): Promise<number> {
  let n = 0;
  for (const t of deps.district.towns) n += (await checkTownClusters(deps, t.code)).length;
  return n;
}

async function mustGet(deps: AppDeps, code: string): Promise<Consultation> {
  const c = await outputsOf(deps).getConsultation(code);
  if (!c) throw new BotError('not_found', `没有找到协商 ${code}`);
  return c;
}

/**
 * Agreed and dated: linked open records move to 已列入协商 (through the status machine, with follow-up). A
 * new date for a consultation already scheduled reaches the same members the first one did: each record
 * already in 已列入协商 gets an event and its member is told the new time.
 */
export async function scheduleConsultation(deps: AppDeps, actor: Actor, code: string, at: number): Promise<Consultation> {
  const c = await mustGet(deps, code);
  if (c.status !== 'proposed' && c.status !== 'scheduled') throw new BotError('invalid_transition', `协商 ${c.code} 当前为「${CONSULTATION_STATUS_LABELS[c.status]}」，不能再安排`);
  const updated = await outputsOf(deps).updateConsultation(c.id, { status: 'scheduled', scheduledAt: at },
    outputEvent(deps, actor, 'scheduled', c.status, 'scheduled', formatShanghai(at)), { replies: [], jobs: [] }, deps.clock.now());
  const moved = c.status === 'scheduled' && c.scheduledAt !== null && c.scheduledAt !== at;
  for (const id of c.recordIds) {
    const r = await deps.store.getRecord(id);
    if (r && MOVABLE_TO_CONSULTATION.has(r.status)) await changeStatus(deps, actor, r, 'in_consultation', { note: `列入微协商 ${c.code}（${formatShanghai(at)}）` });
    else if (r && moved && r.status === 'in_consultation') await noteRescheduled(deps, actor, r, c, at);
  }
  return updated;
}

async function noteRescheduled(deps: AppDeps, actor: Actor, r: RecordView, c: Consultation, at: number): Promise<void> {
  const note = `微协商 ${c.code} 改期：${formatShanghai(c.scheduledAt!)} → ${formatShanghai(at)}`;
  const eventId = deps.ids.next('evt');
  const payload: OutgoingReply = { kind: 'text', title: `${r.code} 微协商改期`, text: `${r.code}「${r.summary}」所列微协商 ${c.code} 改期至 ${formatShanghai(at)}。` };
  const effects = await followUpEffects(deps, r, payload, eventId);
  await deps.store.changeRecord(r.id, {}, { id: eventId, type: 'rescheduled', actorId: actor.id, actorName: actor.name, from: null, to: null, note }, effects, deps.clock.now());
}

/**
 * When the meeting took place: the scheduled time, once it has come (the minutes are typed afterwards, often
 * days later, and the bulletin counts the meeting in its week); the time of the minutes when there was no
 * schedule, or when they come before it (the meeting was brought forward, so it was held by now at the latest).
 */
export function heldTime(c: Consultation, now: number): number {
  return c.scheduledAt !== null && c.scheduledAt <= now ? c.scheduledAt : now;
}

export interface Decision {
  text: string;
  owner: string;
  dueAt: number | null;
}

/** The meeting took place: minutes, who attended (person ids), and decisions that become action items. */
export async function recordConsultationHeld(deps: AppDeps, actor: Actor, code: string, m: { minutes: string; attendees: string[]; decisions: Decision[] }): Promise<Consultation> {
  const c = await mustGet(deps, code);
  if (c.status !== 'scheduled' && c.status !== 'proposed') throw new BotError('invalid_transition', `协商 ${c.code} 当前为「${CONSULTATION_STATUS_LABELS[c.status]}」，不能再记录纪要`);
  if (!m.minutes.trim()) throw new BotError('bad_request', '请填写协商纪要');
  const out = outputsOf(deps);
  const now = deps.clock.now();
  const updated = await out.updateConsultation(c.id, { status: 'held', heldAt: heldTime(c, now), minutes: m.minutes, attendees: m.attendees },
    outputEvent(deps, actor, 'held', c.status, 'held', null), { replies: [], jobs: [] }, now);
  if (m.decisions.length) {
    await out.addActionItems(c.id, m.decisions.map((d, i) => ({ id: deps.ids.next('act'), seq: i + 1, text: d.text, owner: d.owner, dueAt: d.dueAt })),
      outputEvent(deps, actor, 'decisions', null, String(m.decisions.length), null), now);
  }
  return updated;
}

/** Linked records still 已列入协商: what closing the consultation moves on to 办理中. */
export async function recordsToResume(deps: AppDeps, c: Consultation): Promise<RecordView[]> {
  const records = await Promise.all(c.recordIds.map((id) => deps.store.getRecord(id)));
  return records.filter((r): r is RecordView => r?.status === 'in_consultation');
}

/**
 * Closes a held consultation once every action item is done or dropped. Its records leave 已列入协商 for
 * 办理中 — the consultation is over, the problem is not necessarily solved: staff still 办结 each record, and
 * the member gets the 回访 then. A record with no 承办单位 takes the decisions' owners as its units. Records
 * first: a crash in between leaves a consultation that can simply be closed again.
 */
export async function closeConsultation(deps: AppDeps, actor: Actor, code: string): Promise<{ consultation: Consultation; resumed: RecordView[] }> {
  const c = await mustGet(deps, code);
  if (c.status !== 'held') throw new BotError('invalid_transition', `协商 ${c.code} 尚未召开，不能结束`);
  const items = (await outputsOf(deps).listActionItems({ consultationId: c.id })).filter((i) => i.status !== 'dropped');
  const open = items.filter((i) => i.status === 'open');
  if (open.length) throw new BotError('bad_request', `还有 ${open.length} 项分工未完成：${open.map((i) => `${i.seq}. ${i.text}`).join('；')}`);
  const owners = [...new Set(items.map((i) => i.owner))].join('、');
  const note = `微协商 ${c.code} 已结束${items.length ? `，议定的 ${items.length} 项分工已完成` : ''}，继续办理`;
  const resumed: RecordView[] = [];
  for (const r of await recordsToResume(deps, c)) {
    resumed.push(await changeStatus(deps, actor, r, 'in_progress', { note, ...(!r.department && owners ? { department: owners } : {}) }));
  }
  const consultation = await outputsOf(deps).updateConsultation(c.id, { status: 'closed', closedAt: deps.clock.now() }, outputEvent(deps, actor, 'closed', 'held', 'closed', null), { replies: [], jobs: [] }, deps.clock.now());
  return { consultation, resumed };
}
