import type { NewRecord } from './ports.js';
import type { RecordView } from './types.js';

/** The view of a record about to be filed, so its receipt can be written in the same atomic step. */
export function recordViewOf(r: NewRecord, townName: string | null, now: number): RecordView {
  const c = r.classification;
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    categoryCode: c.categoryCode,
    categoryName: c.categoryName,
    categorySource: c.source,
    appealType: c.appealType,
    townCode: r.townCode,
    townName,
    townAssumed: r.townAssumed,
    place: r.place,
    summary: c.summary,
    textMasked: r.textMasked,
    urgency: c.urgency,
    confidence: c.confidence,
    rationale: c.rationale,
    affectedCount: 1,
    duplicateOf: null,
    department: null,
    dueAt: r.dueAt,
    filedBy: r.filedBy,
    filedByName: r.filedByName,
    sourcePlatform: r.sourcePlatform,
    sourceChatId: r.sourceChatId,
    createdAt: now,
    updatedAt: now,
  };
}
