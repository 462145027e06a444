import type { PendingAction } from './pending-action.js';
import type { Effects, NewEvent, StoredPerson } from './ports.js';
import type { Platform, RecordView, ReplyTarget, Role } from './types.js';

/** Store methods behind staff workflows (commands, previews, follow-up, reminders); part of the Store port. */
export interface WorkflowStore {
  /** Where the record's receipt went: status updates are posted into the same thread. */
  getReplyTarget(recordId: string): Promise<ReplyTarget | null>;
  /** Open records due before `before`, of one town (or all when townCode is undefined), earliest first. */
  listOpenDue(townCode: string | undefined, before: number, limit: number): Promise<RecordView[]>;
  /** Marks `fromId` a duplicate of `intoId` and adds its affected count to the target, atomically. */
  mergeRecords(fromId: string, intoId: string, events: { from: NewEvent; into: NewEvent }, effects: Effects, now: number): Promise<RecordView>;

  /** Stores a preview and supersedes the author's earlier open ones in the same chat, atomically. */
  createPending(p: PendingAction): Promise<void>;
  getPending(id: string): Promise<PendingAction | null>;
  /** The author's open preview in a chat (for a typed 确认/取消), or with `ref` the one it names, in any state. */
  findPending(chatId: string, actorId: string, ref: string | null): Promise<PendingAction | null>;
  /** Moves a pending action on; false when it was already decided (a second 确认 does nothing). */
  decidePending(id: string, state: 'confirmed' | 'cancelled', now: number): Promise<boolean>;
  /** Undoes a 确认 whose change failed before it was written, so the author can confirm it again. */
  reopenPending(id: string): Promise<void>;

  getPersonById(id: string): Promise<StoredPerson | null>;
  listPeople(role?: Role): Promise<StoredPerson[]>;
  createBindCode(code: string, personId: string, createdBy: string, expiresAt: number): Promise<void>;
  /** Uses a bind code once and links the identity to its person; null when unknown, used or expired. */
  useBindCode(code: string, identity: { platform: Platform; externalId: string }, now: number): Promise<StoredPerson | null>;
}
