/** 社情民意信息 drafts for a record or a consultation's records, and their tracking (报送, 采用, 批示). */
import { BotError } from '../core/errors.js';
import type { WriteupRow, WriteupStatus } from '../core/outputs-ports.js';
import { maskPersonalData } from '../core/masking.js';
import { draftWriteup, renderRefusal, type WriteupDecision, type WriteupRecord } from '../core/writeup.js';
import type { WrittenText } from '../core/ports.js';
import type { RecordView } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { nextCode } from './consultations.js';
import { assertTownScope, departments, labelOf, outputEvent, outputsOf, requireStaff, townName } from './outputs-common.js';
import type { Actor } from './record-actions.js';
import { outwardRecord } from './outward-text.js';
import { writeupProseData, writerOf } from './prose-data.js';

const TITLE_LINE_RE = /^标题：(.+)$/m;

export const WRITEUP_STATUS_LABELS: Record<WriteupStatus, string> = { drafted: '草稿', submitted: '已报送', adopted: '已采用' };

/**
 * A write-up moves one step at a time: 草稿 → 已报送 → 已采用. Adoption without a recorded submission is
 * refused rather than implied, so the bulletin's 报送 count never misses a write-up that was adopted.
 */
const PREVIOUS: Record<'submitted' | 'adopted', WriteupStatus> = { submitted: 'drafted', adopted: 'submitted' };

async function recordsFor(deps: AppDeps, code: string): Promise<{ records: RecordView[]; consultationId: string | null; decisions: WriteupDecision[] }> {
  const r = await deps.store.getRecord(code);
  if (r) return { records: [r], consultationId: null, decisions: [] };
  const c = await outputsOf(deps).getConsultation(code);
  if (!c) throw new BotError('not_found', `没有找到记录或协商 ${code}`);
  const records = (await Promise.all(c.recordIds.map((id) => deps.store.getRecord(id)))).filter((x): x is RecordView => x !== null);
  if (!records.length) throw new BotError('bad_request', `协商 ${c.code} 没有关联记录，无法形成社情民意信息`);
  // What the meeting decided names who is responsible: the write-up says so instead of 「尚未明确承办单位」.
  const decisions = (await outputsOf(deps).listActionItems({ consultationId: c.id }))
    .filter((i) => i.status !== 'dropped')
    .map((i) => ({ text: maskPersonalData(i.text).text, owner: maskPersonalData(i.owner).text, dueAt: i.dueAt, done: i.status === 'done' }));
  return { records, consultationId: c.id, decisions };
}

/** Drafts and stores a write-up; refuses with the reason when an exclusion rule hits. */
export async function createWriteup(deps: AppDeps, actor: Actor, code: string, scope: string | null): Promise<{ row: WriteupRow; text: string; written: WrittenText }> {
  const { records, consultationId, decisions } = await recordsFor(deps, code);
  const main = records[0]!;
  assertTownScope(scope, main.townCode, deps);
  const input: WriteupRecord[] = records.map(outwardRecord).map((r) => ({
    code: r.code, summary: r.summary, excerptMasked: r.textMasked, affectedCount: r.affectedCount, createdAt: r.createdAt,
    place: r.place, status: r.status, dueAt: r.dueAt, department: r.department,
  }));
  const result = draftWriteup({
    townName: townName(deps, main.townCode), categoryLabel: labelOf(deps, main.categoryCode, main.categoryName),
    departments: departments(deps, main.categoryCode, main.townCode), records: input, decisions, now: deps.clock.now(),
  });
  if (!result.ok) throw new BotError('bad_request', renderRefusal(code, result.exclusions), { details: { exclusions: result.exclusions } });
  const category = labelOf(deps, main.categoryCode, main.categoryName);
  const written = await writerOf(deps).write('writeup', writeupProseData(main, records, main.townCode ? townName(deps, main.townCode) : null, category), result.text);
  const { code: wcode, counter } = await nextCode(deps, 'SQ');
  const row = await outputsOf(deps).insertWriteup({
    id: deps.ids.next('wrt'), code: wcode, counter, townCode: main.townCode, recordIds: records.map((r) => r.id), consultationId,
    title: TITLE_LINE_RE.exec(written.text)?.[1]?.trim() ?? result.writeup.title, body: written.text, createdBy: actor.id,
  }, outputEvent(deps, actor, 'drafted', null, 'drafted', code), deps.clock.now());
  return { row, text: written.text, written };
}

/** A write-up the actor may track: staff of its town, district staff and admins; members are refused. */
export async function trackableWriteup(deps: AppDeps, actor: Actor, code: string): Promise<WriteupRow> {
  const scope = requireStaff(actor, '社情民意信息的报送、采用和批示');
  const w = await outputsOf(deps).getWriteup(code);
  if (!w) throw new BotError('not_found', `没有找到社情民意信息 ${code}`);
  assertTownScope(scope, w.townCode, deps);
  return w;
}

/** Why the step cannot be taken now, or null. Checked at preview and again on confirm. */
export function writeupStepRefusal(w: WriteupRow, step: 'submitted' | 'adopted' | 'instruction'): string | null {
  const now = WRITEUP_STATUS_LABELS[w.status];
  if (step === 'instruction') return w.status === 'drafted' ? `${w.code} 还是草稿，尚未报送，不能记录批示。请先发「报送 ${w.code}」。` : null;
  if (w.status === step) return `${w.code} 已${step === 'submitted' ? '报送' : '采用'}，无需重复登记。`;
  if (w.status !== PREVIOUS[step]) {
    return step === 'adopted' ? `${w.code} 当前为「${now}」，须先报送才能登记采用。请先发「报送 ${w.code}」。` : `${w.code} 当前为「${now}」，不能改回「已报送」。`;
  }
  return null;
}

/** 报送 / 采用: one step forward, with an event naming the operator (the note: to whom / by whom). */
export async function setWriteupStatus(deps: AppDeps, actor: Actor, code: string, status: 'submitted' | 'adopted', note: string | null): Promise<WriteupRow> {
  const w = await trackableWriteup(deps, actor, code);
  const refusal = writeupStepRefusal(w, status);
  if (refusal) throw new BotError('invalid_transition', refusal);
  return outputsOf(deps).setWriteupStatus(w.id, status, null, outputEvent(deps, actor, status, w.status, status, note), deps.clock.now());
}

/** 批示: appended to what was recorded before (a write-up may draw several leaders' instructions). */
export async function recordWriteupInstruction(deps: AppDeps, actor: Actor, code: string, text: string): Promise<WriteupRow> {
  const w = await trackableWriteup(deps, actor, code);
  const refusal = writeupStepRefusal(w, 'instruction');
  if (refusal) throw new BotError('invalid_transition', refusal);
  if (!text.trim()) throw new BotError('bad_request', '请写明批示内容');
  const instructions = w.instructions ? `${w.instructions}\n${text.trim()}` : text.trim();
  return outputsOf(deps).setWriteupStatus(w.id, w.status, instructions, outputEvent(deps, actor, 'instruction', null, null, text.trim()), deps.clock.now());
}
