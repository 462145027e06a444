import type { RecordView } from './types.js';

/**
 * What the bot says, independent of how a platform draws it. Channels render these (Feishu cards, DingTalk
 * markdown, plain text for the API); the outbox stores them as JSON.
 */
export interface ReplyButton {
  label: string;
  /** Sent back verbatim when pressed (Feishu's card callback). */
  value: Record<string, string>;
  /** What the button types into the chat where buttons can only send text (DingTalk); the label when absent. */
  command?: string;
  primary?: boolean;
}

export interface SimilarHint {
  code: string;
  /** Null where the sender may not read that record (a member: another member's report). */
  summary: string | null;
}

/** How a similar record is named in a receipt: its code, and what it is about where the reader may know. */
export function similarLabel(s: SimilarHint): string {
  return s.summary ? `${s.code}（${s.summary}）` : s.code;
}

export type OutgoingReply =
  | { kind: 'receipt'; record: RecordView; similar: SimilarHint[]; categoryChoices: ReplyButton[]; townChoices: ReplyButton[] }
  | { kind: 'joined'; record: RecordView; similarity: number }
  | { kind: 'question'; recordCode: string; question: string; options: ReplyButton[] }
  | { kind: 'status'; record: RecordView; from: string; to: string; note: string | null }
  /** `chart`: a Feishu card chart element (the weekly bulletin); other platforms show the text only. */
  /** `buttons`: where a platform cannot draw them, the person types the button's label instead. */
  | { kind: 'text'; title?: string; text: string; chart?: Record<string, unknown>; buttons?: ReplyButton[] };

export type ReplyKind = OutgoingReply['kind'];
