import type { InferSelectModel } from 'drizzle-orm';
import type { inboundMessages, recordEvents, recordSources, records, replies } from '../../db/schema.js';
import type { InboundRow, ReplyRow } from '../core/ports.js';
import type { AppealType, ClassifierSource, Platform, RecordEvent, RecordSource, RecordView, Urgency } from '../core/types.js';

type RecordRow = InferSelectModel<typeof records>;

/** The columns a RecordView shows; a listing reads only these (not the raw text or its 500-character fingerprint). */
export type RecordViewColumn = Exclude<keyof RecordView, 'townName'>;

export function toRecordView(r: Pick<RecordRow, RecordViewColumn>, townName: string | null): RecordView {
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    categoryCode: r.categoryCode,
    categoryName: r.categoryName,
    categorySource: r.categorySource as ClassifierSource,
    appealType: r.appealType as AppealType,
    townCode: r.townCode,
    townName,
    townAssumed: r.townAssumed,
    place: r.place,
    summary: r.summary,
    textMasked: r.textMasked,
    urgency: r.urgency as Urgency,
    confidence: r.confidence,
    rationale: r.rationale,
    affectedCount: r.affectedCount,
    duplicateOf: r.duplicateOf,
    department: r.department,
    dueAt: r.dueAt,
    filedBy: r.filedBy,
    filedByName: r.filedByName,
    sourcePlatform: r.sourcePlatform as Platform,
    sourceChatId: r.sourceChatId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toEvent(e: InferSelectModel<typeof recordEvents>): RecordEvent {
  return {
    id: e.id,
    recordId: e.recordId,
    at: e.at,
    actorId: e.actorId,
    actorName: e.actorName,
    type: e.type,
    from: e.fromValue,
    to: e.toValue,
    note: e.note,
  };
}

export function toSource(s: InferSelectModel<typeof recordSources>): RecordSource {
  return {
    id: s.id,
    recordId: s.recordId,
    inboundMessageId: s.inboundMessageId,
    itemIndex: s.itemIndex,
    senderId: s.senderId,
    senderName: s.senderName,
    excerptMasked: s.excerptMasked,
    at: s.at,
  };
}

export function toInbound(m: InferSelectModel<typeof inboundMessages>): InboundRow {
  return {
    id: m.id,
    platform: m.platform as Platform,
    key: m.messageKey,
    chatId: m.chatId,
    senderId: m.senderId,
    raw: m.raw,
    receivedAt: m.receivedAt,
    state: m.state as InboundRow['state'],
    outcome: m.outcome ? (JSON.parse(m.outcome) as Record<string, unknown>) : null,
    error: m.error,
  };
}

export function toReply(r: InferSelectModel<typeof replies>): ReplyRow {
  return {
    id: r.id,
    inboundMessageId: r.inboundMessageId,
    recordId: r.recordId,
    kind: r.kind,
    key: r.key,
    target: JSON.parse(r.target) as ReplyRow['target'],
    payload: JSON.parse(r.payload) as ReplyRow['payload'],
    state: r.state as ReplyRow['state'],
    platformMessageId: r.platformMessageId,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
  };
}

const CURSOR_RE = /^(\d+):([\w-]+)$/;

/** Keyset cursor (created_at, id): stable under inserts, O(log n) per page at any depth. */
export function encodeCursor(createdAt: number, id: string): string {
  return btoa(`${createdAt}:${id}`);
}

export function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  let plain: string;
  try {
    plain = atob(cursor);
  } catch {
    return null;
  }
  const m = CURSOR_RE.exec(plain);
  return m ? { createdAt: Number(m[1]), id: m[2]! } : null;
}
