/** 社情民意信息 drafts for a record or a consultation's records, and their tracking (报送, 采用, 批示). */
import { BotError } from '../core/errors.js';
import type { WriteupRow, WriteupStatus } from '../core/outputs-ports.js';
import { draftWriteup, renderRefusal, type WriteupRecord } from '../core/writeup.js';
import type { WrittenText } from '../core/ports.js';
import type { RecordView } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { nextCode } from './consultations.js';
import { assertTownScope, departments, labelOf, outputEvent, outputsOf, townName } from './outputs-common.js';
import type { Actor } from './record-actions.js';
import { writeupProseData, writerOf } from './prose-data.js';

const TITLE_LINE_RE = /^标题：(.+)$/m;

const ORDER: WriteupStatus[] = ['drafted', 'submitted', 'adopted'];

async function recordsFor(deps: AppDeps, code: string): Promise<{ records: RecordView[]; consultationId: string | null }> {
  const r = await deps.store.getRecord(code);
  if (r) return { records: [r], consultationId: null };
  const c = await outputsOf(deps).getConsultation(code);
  if (!c) throw new BotError('not_found', `没有找到记录或协商 ${code}`);
  const records = (await Promise.all(c.recordIds.map((id) => deps.store.getRecord(id)))).filter((x): x is RecordView => x !== null);
  if (!records.length) throw new BotError('bad_request', `协商 ${c.code} 没有关联记录，无法形成社情民意信息`);
  return { records, consultationId: c.id };
}

/** Drafts and stores a write-up; refuses with the reason when an exclusion rule hits. */
export async function createWriteup(deps: AppDeps, actor: Actor, code: string, scope: string | null): Promise<{ row: WriteupRow; text: string; written: WrittenText }> {
  const { records, consultationId } = await recordsFor(deps, code);
  const main = records[0]!;
  assertTownScope(scope, main.townCode, deps);
  const input: WriteupRecord[] = records.map((r) => ({
    code: r.code, summary: r.summary, excerptMasked: r.textMasked, affectedCount: r.affectedCount, createdAt: r.createdAt,
    place: r.place, status: r.status, dueAt: r.dueAt, department: r.department,
  }));
  const result = draftWriteup({
    townName: townName(deps, main.townCode), categoryLabel: labelOf(deps, main.categoryCode, main.categoryName),
    departments: departments(deps, main.categoryCode, main.townCode), records: input, now: deps.clock.now(),
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

/** 报送 / 采用 (with the leaders' 批示, if any); never backwards. */
export async function setWriteupStatus(deps: AppDeps, actor: Actor, code: string, status: WriteupStatus, instructions: string | null): Promise<WriteupRow> {
  const out = outputsOf(deps);
  const w = await out.getWriteup(code);
  if (!w) throw new BotError('not_found', `没有找到社情民意信息 ${code}`);
  if (ORDER.indexOf(status) < ORDER.indexOf(w.status) || (status === w.status && !instructions)) {
    throw new BotError('invalid_transition', `${w.code} 当前为「${w.status}」，不能改为「${status}」`);
  }
  return out.setWriteupStatus(w.id, status, instructions, outputEvent(deps, actor, status, w.status, status, instructions), deps.clock.now());
}
