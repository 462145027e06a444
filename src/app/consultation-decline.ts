/**
 * Staff decline a proposed or scheduled 微协商 (不协商 / 取消协商). Linked records that were moved to
 * 已列入协商 go back to the status they had before, each with an event naming the operator (and the usual
 * follow-up to the member). The declined consultation keeps its records: checkTownClusters leaves them out,
 * so the cluster rule does not put the same problem to the liaison group again; a staff member can still
 * ask for one with 拟议程.
 */
import { BotError } from '../core/errors.js';
import { CONSULTATION_STATUS_LABELS, type Consultation, type ConsultationStatus } from '../core/outputs-ports.js';
import type { Effects } from '../core/ports.js';
import { allowedNext, isStatus, type RecordStatus, statusLabel } from '../core/status.js';
import type { RecordView } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { outputEvent, outputsOf, townName } from './outputs-common.js';
import type { Actor } from './record-actions.js';
import { replyEffects } from './reply-effects.js';
import { changeStatus } from './status-change.js';

export const DECLINABLE: ReadonlySet<ConsultationStatus> = new Set(['proposed', 'scheduled']);

export function assertDeclinable(c: Consultation): void {
  if (!DECLINABLE.has(c.status)) {
    throw new BotError('invalid_transition', `协商 ${c.code} 当前为「${CONSULTATION_STATUS_LABELS[c.status]}」，不能取消（只有已提议或已安排的协商可以取消）`);
  }
}

/** The status a record had when it was put into consultation: the latest move into 已列入协商. */
async function statusBefore(deps: AppDeps, r: RecordView): Promise<RecordStatus> {
  const events = await deps.store.recordEvents(r.id);
  const from = events.filter((e) => e.to === 'in_consultation').at(-1)?.from ?? null;
  if (from && isStatus(from) && allowedNext('in_consultation').includes(from)) return from;
  return r.department ? 'assigned' : 'registered';
}

/** Linked records now in 已列入协商, each with the status it goes back to. */
export async function recordsToRestore(deps: AppDeps, c: Consultation): Promise<{ record: RecordView; to: RecordStatus }[]> {
  const out: { record: RecordView; to: RecordStatus }[] = [];
  for (const id of c.recordIds) {
    const r = await deps.store.getRecord(id);
    if (r?.status === 'in_consultation') out.push({ record: r, to: await statusBefore(deps, r) });
  }
  return out;
}

/** A proposal the liaison group saw is withdrawn there too, once per chat. */
async function liaisonNotice(deps: AppDeps, c: Consultation, reason: string): Promise<Effects> {
  const effects: Effects = { replies: [], jobs: [] };
  if (!c.clusterKey) return effects;
  const chats = (await deps.store.listChats('liaison')).filter((x) => x.townCode === c.townCode);
  for (const chat of chats) {
    const e = replyEffects(deps, {
      key: `consultation:${c.id}:declined:${chat.id}`, target: { platform: chat.platform, chatId: chat.externalId, chatType: 'group' }, inboundId: null, recordId: null,
      payload: { kind: 'text', title: `微协商建议 ${c.code} 不予召开`, text: `${townName(deps, c.townCode)}「${c.topic}」暂不召开微协商。原因：${reason}\n相关记录继续按原渠道办理。` },
    });
    effects.replies.push(...e.replies);
    effects.jobs.push(...e.jobs);
  }
  return effects;
}

export async function declineConsultation(deps: AppDeps, actor: Actor, code: string, reason: string): Promise<{ consultation: Consultation; restored: RecordView[] }> {
  const c = await outputsOf(deps).getConsultation(code);
  if (!c) throw new BotError('not_found', `没有找到协商 ${code}`);
  assertDeclinable(c);
  if (!reason.trim()) throw new BotError('bad_request', '请写明不召开协商的原因');
  // Records first: a crash in between leaves a consultation that can simply be declined again.
  const restored: RecordView[] = [];
  for (const { record, to } of await recordsToRestore(deps, c)) {
    restored.push(await changeStatus(deps, actor, record, to, { note: `微协商 ${c.code} 不予召开（${reason}），恢复为「${statusLabel(to)}」` }));
  }
  const effects = await liaisonNotice(deps, c, reason);
  const consultation = await outputsOf(deps).updateConsultation(c.id, { status: 'declined' }, outputEvent(deps, actor, 'declined', c.status, 'declined', reason), effects, deps.clock.now());
  if (effects.replies.length) deps.notifyJobs();
  deps.log.info('consultation.declined', { code: c.code, actor: actor.id, restored: restored.length });
  return { consultation, restored };
}
