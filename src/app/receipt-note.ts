import { isBundle } from '../core/message-text.js';
import { maySee } from '../core/permissions.js';
import type { InboundRow } from '../core/ports.js';
import type { InboundMessage, Person } from '../core/types.js';
import { addNote } from './bundle-note.js';
import type { AppDeps } from './deps.js';

/**
 * Members answer the bot by replying to what it sent them (Feishu: the reply's parent_id is the bot's message;
 * DingTalk: the quoted message is the bot's and names the record):
 * 「补充：已经臭了一周」 under a receipt is about that receipt's record, so it is a note there, not a new report.
 * Commands and answers to a question are taken before this. Only someone who may see the record, or to whom
 * the quoted message was addressed (a "+1" receipt names a record its reporter did not file), adds to it; anyone
 * else's reply is read as their own message, so nothing of the record reaches them.
 */
export async function attachReplyToBotMessage(deps: AppDeps, row: InboundRow, msg: InboundMessage, sender: Person | null): Promise<boolean> {
  if (isBundle(msg) || !msg.text.trim()) return false;
  if (msg.repliesToRecord) return attachByCode(deps, row, msg, sender, msg.repliesToRecord);
  if (!msg.repliesTo) return false;
  const sent = await deps.store.replyBySentId(msg.platform, msg.repliesTo);
  const record = sent?.recordId ? await deps.store.getRecord(sent.recordId) : null;
  if (!sent || !record) return false;
  if (!maySee(msg.senderId, sender, record, await deps.store.recordSources(record.id)) && sent.target.userId !== msg.senderId) return false;
  return addNote(deps, row, msg, record);
}

/** DingTalk names the quoted message's words, not its id: the record is the code in them, for those who may see it. */
async function attachByCode(deps: AppDeps, row: InboundRow, msg: InboundMessage, sender: Person | null, code: string): Promise<boolean> {
  const record = await deps.store.getRecord(code);
  if (!record || !maySee(msg.senderId, sender, record, await deps.store.recordSources(record.id))) return false;
  return addNote(deps, row, msg, record);
}
