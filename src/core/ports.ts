/**
 * Ports: what the app needs from the outside world. Each has one implementation per runtime or platform
 * (store: SQLite and D1; messenger: Feishu, DingTalk, HTTP) and one contract test suite they all pass.
 */
import type { OutgoingReply } from './replies.js';
import type { RecordStatus } from './status.js';
import type { SketchTable } from './similarity.js';
import type { WorkflowStore } from './workflow-ports.js';
import type {
  Classification,
  InboundMessage,
  Person,
  Platform,
  RecordEvent,
  RecordSource,
  RecordView,
  ReplyTarget,
  Role,
} from './types.js';

export interface Clock {
  now(): number;
}

export interface IdGen {
  next(prefix: string): string;
}

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** Turns a stored raw payload into the one normalised message; may call the platform (merged forwards). */
export interface ChannelAdapter {
  readonly platform: Platform;
  normalize(raw: unknown): Promise<InboundMessage | null>;
}

export interface SentMessage {
  messageId?: string;
}

/** Sends a reply; `key` is an idempotency key so a retried job never posts twice. */
export interface Messenger {
  readonly platform: Platform;
  send(target: ReplyTarget, reply: OutgoingReply, key: string): Promise<SentMessage>;
}

export interface ClassifyInput {
  /** Raw text: stays on this machine (local classifier, gazetteer). */
  text: string;
  /** Masked text: the only form that may leave (LLM prompts). */
  masked: string;
}

export interface Classifier {
  classify(input: ClassifyInput): Promise<Classification>;
  /** Optional: one item per distinct problem; absent or a single item means the message is one item. */
  split?(input: ClassifyInput): Promise<SplitItem[]>;
}

// ---- jobs ----

export type JobState = 'queued' | 'running' | 'dead';

export interface NewJob {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  runAt: number;
  /** Unique: enqueueing twice with the same key is a no-op. */
  dedupeKey?: string;
}

export interface Job {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  runAt: number;
}

/** A job as an operator sees it (`minyi jobs`). */
export interface JobInfo {
  id: string;
  type: string;
  state: JobState;
  attempts: number;
  runAt: number;
  /** The last failure as recorded (raw: may quote a resident's words; mask before showing it). */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  /** The inbound message the job's payload names (`inboundId`) and its state, null when the row is gone. */
  inbound: { id: string; state: InboundState | null } | null;
}

export interface JobFilter {
  state: JobState;
  type?: string;
  limit: number;
}

/** Dead jobs to run again: exactly these ids (all or none), or every dead job, of one type if given. */
export type DeadJobSelection = { ids: string[] } | { type?: string };

export interface RequeueResult {
  requeued: string[];
  /** Messages of requeued jobs set back from `failed` to `queued`. */
  messages: number;
  /** Ids that do not exist (state null) or are not dead; when there is any, nothing was changed. */
  refused: { id: string; state: JobState | null }[];
}

export interface JobQueue {
  enqueue(job: NewJob): Promise<void>;
  lease(limit: number, leaseMs: number, now: number): Promise<Job[]>;
  complete(id: string): Promise<void>;
  /**
   * Retry at `retryAt`, or move to the dead-letter state when retryAt is null; a dead job's inbound message
   * (payload `inboundId`) that is not done or ignored becomes `failed` with the error.
   */
  fail(id: string, error: string, retryAt: number | null, now: number): Promise<void>;
  stats(now: number): Promise<{ queued: number; running: number; dead: number; oldestQueuedAt: number | null }>;
  /** Jobs in one state, most recently updated first. */
  list(filter: JobFilter): Promise<JobInfo[]>;
  /**
   * Dead jobs back in the queue, due at `now`, with attempts from 0; their `failed` messages back to `queued`.
   * The last error stays until the job runs again.
   */
  requeueDead(which: DeadJobSelection, now: number): Promise<RequeueResult>;
}

// ---- store ----

export type InboundState = 'queued' | 'processing' | 'done' | 'ignored' | 'failed';

export interface NewInbound {
  id: string;
  platform: Platform;
  key: string;
  chatId: string;
  senderId: string;
  raw: string;
  receivedAt: number;
}

export interface InboundRow extends NewInbound {
  state: InboundState;
  outcome: Record<string, unknown> | null;
  error: string | null;
}

export interface ReplyRow {
  id: string;
  inboundMessageId: string | null;
  recordId: string | null;
  kind: string;
  key: string;
  target: ReplyTarget;
  payload: OutgoingReply;
  state: 'pending' | 'sent' | 'failed';
  platformMessageId: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface NewReply {
  id: string;
  key: string;
  inboundMessageId: string | null;
  recordId: string | null;
  target: ReplyTarget;
  payload: OutgoingReply;
  /** 'sent' when there is nothing to deliver (the generic API reads replies instead). */
  state?: 'pending' | 'sent';
}

export interface NewEvent {
  id: string;
  type: string;
  actorId: string;
  actorName: string | null;
  from: string | null;
  to: string | null;
  note: string | null;
}

export interface NewSource {
  id: string;
  inboundMessageId: string;
  itemIndex: number;
  senderId: string;
  senderName: string | null;
  excerpt: string;
  excerptMasked: string;
}

export interface NewRecord {
  id: string;
  code: string;
  /** The per-year sequence this code consumes; a concurrent writer with the same code fails and retries. */
  counter: { name: string; value: number };
  classification: Classification;
  status: RecordStatus;
  townCode: string | null;
  townAssumed: boolean;
  place: string | null;
  placeEvidence: string[];
  text: string;
  textMasked: string;
  fingerprint: string;
  dueAt: number | null;
  filedBy: string;
  filedByName: string | null;
  sourcePlatform: Platform;
  sourceChatId: string;
  sourceMessageId: string | null;
  replyTarget: ReplyTarget;
}

/** Everything one intake decision writes; applied atomically with the replies and jobs it creates. */
export interface Effects {
  replies: NewReply[];
  jobs: NewJob[];
}

export interface DedupeCandidate {
  id: string;
  code: string;
  fingerprint: string;
  summary: string;
  affectedCount: number;
  createdAt: number;
  categoryCode: string;
  /** The 社区/村 (or alias place) the record is about; null when only its town is known. */
  place: string | null;
  /** The fingerprint already decoded, from a store that keeps candidates in memory. */
  decoded?: Uint32Array;
}

/** A town's dedupe candidates, newest first. */
export interface DedupeCandidates {
  list: DedupeCandidate[];
  /** Row i bounds the similarity to `list[i]`; from a store that keeps candidates in memory. */
  sketches?: SketchTable;
}

export interface RecordFilter {
  status?: string[];
  townCode?: string;
  categoryCode?: string;
  since?: number;
  until?: number;
  filedBy?: string;
  limit: number;
  /** Opaque cursor returned by the previous page. */
  cursor?: string;
}

export interface RecordPatch {
  status?: RecordStatus;
  categoryCode?: string;
  categoryName?: string;
  categorySource?: string;
  townCode?: string | null;
  townAssumed?: boolean;
  place?: string | null;
  department?: string | null;
  dueAt?: number | null;
  duplicateOf?: string | null;
}

export interface StoredPerson extends Person {
  identities: { platform: Platform; externalId: string }[];
}

export interface PersonInput {
  id: string;
  name: string;
  role: Role;
  townCode: string | null;
  identities: { platform: Platform; externalId: string }[];
}

export interface ChatInput {
  id: string;
  platform: Platform;
  externalId: string;
  name: string;
  role: 'liaison' | 'office' | 'staff' | 'other';
  townCode: string | null;
}

export interface Store extends WorkflowStore {
  /** Inserts the message (unique per platform + key) and its processing job atomically. */
  acceptInbound(row: NewInbound, job: NewJob): Promise<{ id: string; duplicate: boolean }>;
  getInbound(id: string): Promise<InboundRow | null>;
  setInboundState(id: string, state: InboundState, now: number, outcome?: Record<string, unknown> | null, error?: string | null): Promise<void>;
  /** The same sender's latest earlier message in the same chat received at or after `since` (without its payload). */
  previousInbound(platform: Platform, chatId: string, senderId: string, before: number, since: number): Promise<Pick<InboundRow, 'id' | 'state' | 'outcome'> | null>;
  /** The message stored under this platform key, if any (without its payload). */
  inboundByKey(platform: Platform, key: string): Promise<Pick<InboundRow, 'id' | 'state' | 'outcome'> | null>;
  /** Notes that the message `inboundId` filed the bundle quoted as `quotedKey`; the first filer stays. */
  rememberQuotedBundle(platform: Platform, quotedKey: string, inboundId: string, now: number): Promise<void>;
  /** The message that filed the bundle quoted as `quotedKey` through a reply, if any (without its payload). */
  quotedBundleFiler(platform: Platform, quotedKey: string): Promise<Pick<InboundRow, 'id' | 'state' | 'outcome'> | null>;

  /** Intake's two writes return nothing: the caller built the record and needs no read-back on the hot path. */
  fileRecord(record: NewRecord, source: NewSource, event: NewEvent, effects: Effects, now: number): Promise<void>;
  addSource(recordId: string, source: NewSource, event: NewEvent, effects: Effects, now: number): Promise<void>;
  /**
   * 拆分: moves one source off `fromId` onto a new record (its words copied from the source row, so raw text
   * is never read out to be written back), lowers `fromId`'s affected count by one and writes both events,
   * atomically. `events.from.id` should be derived from the source: a second split of it then fails whole.
   */
  splitSource(fromId: string, sourceId: string, record: Omit<NewRecord, 'text'>, events: { from: NewEvent; created: NewEvent }, effects: Effects, now: number): Promise<RecordView>;
  /** Several events when one change is several steps in the history (a town answered: 更正镇街, then 待补充 → 已登记), in that order. */
  changeRecord(recordId: string, patch: RecordPatch, event: NewEvent | readonly NewEvent[], effects: Effects, now: number): Promise<RecordView>;

  /** The next value of a per-year counter (not consumed until fileRecord commits). */
  nextSequence(counter: string): Promise<number>;
  findDedupeCandidates(townCode: string, since: number, limit: number): Promise<DedupeCandidates>;
  findAwaitingInfo(chatId: string, senderId: string, since: number): Promise<RecordView | null>;
  sourcedItems(inboundId: string): Promise<{ itemIndex: number; recordId: string }[]>;

  getRecord(idOrCode: string): Promise<RecordView | null>;
  listRecords(filter: RecordFilter): Promise<{ records: RecordView[]; nextCursor: string | null }>;
  recordEvents(recordId: string): Promise<RecordEvent[]>;
  recordSources(recordId: string): Promise<RecordSource[]>;
  /** 我的记录: the records `senderId` filed or joined as "+1", the one they reported to most recently first, each once. */
  recordsReportedBy(senderId: string, limit: number): Promise<RecordView[]>;

  repliesFor(inboundId: string): Promise<ReplyRow[]>;
  getReplyByKey(key: string): Promise<ReplyRow | null>;
  /** The reply the bot sent as this platform message (the id the platform gave it), if any. */
  replyBySentId(platform: Platform, platformMessageId: string): Promise<ReplyRow | null>;
  /** Replies and jobs not tied to a record change (command answers). */
  writeEffects(effects: Effects, now: number): Promise<void>;
  markReplySent(id: string, platformMessageId: string | null, now: number): Promise<void>;

  findPerson(platform: Platform, externalId: string): Promise<StoredPerson | null>;
  upsertPerson(p: PersonInput, now: number): Promise<void>;
  upsertChat(c: ChatInput, now: number): Promise<void>;
  listChats(role?: ChatInput['role']): Promise<ChatInput[]>;
}

// ---- webhooks ----

export interface WebhookRequest {
  headers: Headers;
  rawBody: string;
  now: number;
}

/**
 * What a platform's webhook verifier makes of a request, after verification. The http layer persists
 * messages and applies actions through the app; the verifier never touches the store.
 */
export type WebhookResult =
  | { kind: 'respond'; status: number; body: unknown }
  | { kind: 'message'; key: string; chatId: string; senderId: string; raw: unknown; body?: unknown }
  | {
      kind: 'action';
      actorId: string;
      actorName: string | null;
      choice: Record<string, string>;
      target: ReplyTarget | null;
      /** The platform's synchronous answer (e.g. a Feishu toast and updated card). */
      /** `message`: what a workflow button did (确认 / 取消 / 回访), for the platform's toast. */
      respond(result: { record: RecordView | null; error: string | null; message?: string }): unknown;
    }
  | { kind: 'ignored'; reason: string; body?: unknown };

export interface WebhookVerifier {
  readonly platform: Platform;
  handle(req: WebhookRequest): Promise<WebhookResult>;
}

/** One problem found in a message that held several; its text is the resident's own words. */
export interface SplitItem {
  text: string;
}

// ---- prose ----

export type WriterTask = 'agenda' | 'writeup' | 'bulletin';

export interface WrittenText {
  text: string;
  source: 'llm' | 'template';
  model?: string;
  promptId?: string;
  promptVersion?: string;
  tokens?: { prompt: number; completion: number };
}

/**
 * Turns an output's structured data (already masked) into prose. `fallback` is the template text built
 * from the same data; a writer that cannot do better returns it unchanged with source 'template'.
 */
export interface Writer {
  write(task: WriterTask, data: unknown, fallback: string): Promise<WrittenText>;
}
