import { BotError } from './errors.js';

/**
 * The record's life (DESIGN.md "The record's life"). Codes are stable English words stored in the database;
 * labels are what people read.
 */
export const STATUS_LABELS = {
  awaiting_info: '待补充',
  registered: '已登记',
  assigned: '已交办',
  in_progress: '办理中',
  in_consultation: '已列入协商',
  resolved: '已办结·已解决',
  unresolved: '已办结·未解决',
  visited: '已回访',
  reopened: '重办',
  duplicate: '重复',
  rejected: '不予受理',
} as const;

export type RecordStatus = keyof typeof STATUS_LABELS;
export const RECORD_STATUSES = Object.keys(STATUS_LABELS) as RecordStatus[];

const CLOSED: ReadonlySet<RecordStatus> = new Set(['resolved', 'unresolved', 'visited', 'duplicate', 'rejected']);
const NEEDS_REASON: ReadonlySet<RecordStatus> = new Set(['unresolved', 'rejected', 'reopened']);

const TRANSITIONS: Record<RecordStatus, readonly RecordStatus[]> = {
  awaiting_info: ['registered', 'duplicate', 'rejected'],
  registered: ['assigned', 'in_consultation', 'duplicate', 'rejected'],
  assigned: ['in_progress', 'in_consultation', 'resolved', 'unresolved', 'duplicate', 'rejected'],
  in_progress: ['resolved', 'unresolved', 'in_consultation', 'duplicate', 'rejected'],
  // registered / reopened: back to where it was when a consultation is declined (app/consultation-decline.ts).
  in_consultation: ['assigned', 'in_progress', 'resolved', 'unresolved', 'registered', 'reopened'],
  resolved: ['visited'],
  unresolved: ['visited'],
  visited: ['reopened'],
  reopened: ['assigned', 'in_progress', 'in_consultation', 'resolved', 'unresolved'],
  duplicate: [],
  rejected: [],
};

export function isOpen(status: RecordStatus): boolean {
  return !CLOSED.has(status);
}

export function isStatus(value: string): value is RecordStatus {
  return Object.hasOwn(STATUS_LABELS, value);
}

export function statusLabel(status: string): string {
  return isStatus(status) ? STATUS_LABELS[status] : status;
}

export function allowedNext(from: RecordStatus): readonly RecordStatus[] {
  return TRANSITIONS[from];
}

/** Throws a BotError('invalid_transition') that names the allowed moves, so a chat reply can show them. */
export function assertTransition(from: RecordStatus, to: RecordStatus, reason?: string | null): void {
  if (!TRANSITIONS[from].includes(to)) {
    const options = TRANSITIONS[from].map((s) => STATUS_LABELS[s]).join('、') || '无';
    throw new BotError('invalid_transition', `「${STATUS_LABELS[from]}」不能改为「${STATUS_LABELS[to]}」（可选：${options}）`, {
      details: { from, to },
    });
  }
  if (NEEDS_REASON.has(to) && !reason?.trim()) {
    throw new BotError('bad_request', `改为「${STATUS_LABELS[to]}」需要写明原因`, { details: { from, to } });
  }
}
