import type { RecordStatus } from './status.js';
import type { Platform, Role } from './types.js';

/**
 * A write proposed in chat, kept until its author confirms it. Everything is re-checked on confirm: the
 * record may have moved on, or the author lost the right, in between.
 */
export type ProposedChange =
  | { kind: 'status'; recordId: string; code: string; to: RecordStatus; note: string | null; department?: string; dueAt?: number | null }
  | { kind: 'visit'; recordId: string; code: string; rating: VisitRating; note: string | null }
  | { kind: 'merge'; recordId: string; code: string; intoId: string; intoCode: string }
  /** `ordinal` as the preview showed it; `sourceId` is what is applied, so a report added meanwhile changes nothing. */
  | { kind: 'split'; recordId: string; code: string; sourceId: string; ordinal: number }
  | { kind: 'add_person'; name: string; role: Role; townCode: string | null }
  | { kind: 'consultation_schedule'; code: string; at: number }
  | { kind: 'consultation_held'; code: string; minutes: string; attendees: string[]; decisions: { text: string; owner: string; dueAt: number | null }[] }
  | { kind: 'consultation_item_done'; code: string; seq: number }
  | { kind: 'consultation_close'; code: string }
  | { kind: 'consultation_decline'; code: string; reason: string }
  | { kind: 'writeup_status'; code: string; to: 'submitted' | 'adopted'; note: string | null }
  | { kind: 'writeup_instruction'; code: string; text: string };

export type VisitRating = 'satisfied' | 'basic' | 'unsatisfied';

export const VISIT_LABELS: Record<VisitRating, string> = { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' };

/** `superseded`: the author proposed something else in the same chat before confirming this. */
export type PendingState = 'pending' | 'confirmed' | 'cancelled' | 'superseded';

export interface PendingAction {
  id: string;
  actorId: string;
  actorName: string | null;
  platform: Platform;
  chatId: string;
  change: ProposedChange;
  summary: string;
  state: PendingState;
  createdAt: number;
  expiresAt: number;
}

/**
 * The short reference a typed or DingTalk-button 确认 carries to name one preview: the id's last characters,
 * which are random (ids end in random base-36 digits).
 */
export function pendingRef(id: string): string {
  return id.slice(-6);
}

/** How long a preview can be confirmed; long enough to read, short enough that a stale preview dies. */
export const PENDING_TTL_MS = 30 * 60_000;
