/** Domain types shared by every layer. Pure data: no behaviour, no I/O. */

export type Platform = 'feishu' | 'dingtalk' | 'http';
export const PLATFORMS: readonly Platform[] = ['feishu', 'dingtalk', 'http'];

export type PartKind = 'text' | 'image' | 'file' | 'audio' | 'video' | 'sticker' | 'card' | 'other';

/** One resident's words inside a message; a merged forward has many, nested bundles keep their depth. */
export interface MessagePart {
  kind: PartKind;
  text: string;
  senderId?: string;
  senderName?: string;
  sentAt?: number;
  depth: number;
  /** Platform keys of attachments (image_key, downloadCode) kept so staff can fetch them later. */
  resourceKey?: string;
}

/** Where and how to answer; opaque to the core beyond the platform. */
export interface ReplyTarget {
  platform: Platform;
  chatId: string;
  messageId?: string;
  sessionWebhook?: string;
  sessionWebhookExpiresAt?: number;
  userId?: string;
  /** Lets a platform choose its 1:1 or group send API when the session reply URL has expired (DingTalk). */
  chatType?: 'p2p' | 'group';
}

/** The one normalised shape every channel produces, whichever platform the message came from. */
export interface InboundMessage {
  platform: Platform;
  /** Unique per platform: Feishu message_id, DingTalk msgId, or the API's own id. */
  key: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  senderId: string;
  senderName?: string;
  text: string;
  parts: MessagePart[];
  /** In groups only messages that mention the bot count. */
  mentionsBot: boolean;
  sentAt: number;
  reply: ReplyTarget;
  /** A town the sender named explicitly (API field `town`). */
  townHint?: string;
  /** The platform showed signs of dropping sub-messages (DingTalk chatRecord). */
  truncated?: boolean;
  /** Set when the message kind is one we keep but cannot read (e.g. unknownMsgType). */
  unsupported?: string;
  /** A note the bot adds after its answer, e.g. DingTalk: forward the chat record 1:1 for its full text. */
  notice?: string;
  /** The key of the bundle this message replies to, whose content it carries (Feishu: reply to a 合并转发). */
  quotes?: string;
  /** The key of the message this one replies to when it carries no bundle (Feishu parent_id): e.g. the bot's receipt. */
  repliesTo?: string;
  /**
   * The record code a quoted message of the bot's names, where the platform gives the quoted text but not an id
   * minyi knows (DingTalk's text.repliedMsg: its replies through a session webhook return no message id).
   */
  repliesToRecord?: string;
}

export type Role = 'member' | 'staff' | 'admin';

export interface Person {
  id: string;
  name: string;
  role: Role;
  /** null: district-wide. */
  townCode: string | null;
}

export type AppealType = '咨询' | '求助' | '投诉' | '举报' | '建议';
export const APPEAL_TYPES: readonly AppealType[] = ['咨询', '求助', '投诉', '举报', '建议'];

export type Urgency = 'low' | 'normal' | 'urgent';

export type ClassifierSource = 'local' | 'llm' | 'local_fallback' | 'staff';

export interface CategoryCandidate {
  code: string;
  name: string;
  probability: number;
}

export interface Classification {
  categoryCode: string;
  categoryName: string;
  appealType: AppealType;
  urgency: Urgency;
  summary: string;
  confidence: number;
  alternatives: CategoryCandidate[];
  source: ClassifierSource;
  rationale: string;
  model?: string;
  promptId?: string;
  promptVersion?: string;
  tokens?: { prompt: number; completion: number };
  /** The LLM's reading of the 镇街 (a known town code or null) and place text; the gazetteer's own match wins. */
  townCode?: string | null;
  place?: string | null;
}

export interface RecordView {
  id: string;
  code: string;
  status: string;
  categoryCode: string;
  categoryName: string;
  categorySource: ClassifierSource;
  appealType: AppealType;
  townCode: string | null;
  townName: string | null;
  townAssumed: boolean;
  place: string | null;
  summary: string;
  textMasked: string;
  urgency: Urgency;
  confidence: number;
  rationale: string;
  affectedCount: number;
  duplicateOf: string | null;
  department: string | null;
  dueAt: number | null;
  filedBy: string;
  filedByName: string | null;
  sourcePlatform: Platform;
  sourceChatId: string;
  createdAt: number;
  updatedAt: number;
}

export interface RecordEvent {
  id: string;
  recordId: string;
  at: number;
  actorId: string;
  actorName: string | null;
  type: string;
  from: string | null;
  to: string | null;
  note: string | null;
}

export interface RecordSource {
  id: string;
  recordId: string;
  inboundMessageId: string;
  itemIndex: number;
  senderId: string;
  senderName: string | null;
  excerptMasked: string;
  at: number;
}
