import { actorName } from '../core/actor-name.js';
import { type Command, halfWidth, parseCommand } from '../core/commands.js';
import { BotError, isRefusal } from '../core/errors.js';
import { capText } from '../core/limits.js';
import { hasWords, isBundle, messageText } from '../core/message-text.js';
import { nonReportText, readNonReport } from '../core/non-report.js';
import { readPlaceReply } from '../core/place-reply.js';
import type { InboundRow } from '../core/ports.js';
import type { OutgoingReply } from '../core/replies.js';
import type { InboundMessage, Person, RecordView } from '../core/types.js';
import { attachNoteToBundle, attachReplyToFiledBundle, rememberFiledQuote } from './bundle-note.js';
import { dispatchCommand } from './command-dispatch.js';
import type { AppDeps } from './deps.js';
import { intakeItem, type IntakeOutcome } from './intake.js';
import { attachReplyToBotMessage } from './receipt-note.js';
import { type Actor, applyChoice } from './record-actions.js';
import { replyEffects } from './reply-effects.js';
import { splitItems } from './split-items.js';
import { askedQuestion } from './town-question.js';

const ANSWER_MAX_CHARS = 20;
const DIGIT_RE = /^\s*([0-9０-９]{1,2})\s*$/;

/** What became of a message: stored as the inbound row's outcome, and returned to the job that ran it. */
export type ProcessOutcome = Record<string, unknown> & { action: string; items?: IntakeOutcome[] };

/** The job behind every accepted message: normalise, then answer a command, an open question, or file. */
export async function processMessage(deps: AppDeps, inboundId: string): Promise<ProcessOutcome | null> {
  const row = await deps.store.getInbound(inboundId);
  if (!row) throw new BotError('not_found', `inbound message ${inboundId} not found`);
  // Done before a crash: the stored outcome lets the job finish what followed (the 微协商 check).
  if (row.state === 'done' || row.state === 'ignored') return row.outcome as ProcessOutcome | null;
  const channel = deps.channels[row.platform];
  if (!channel) throw new BotError('config_invalid', `channel ${row.platform} is not configured`);
  const finish = async (outcome: ProcessOutcome, state: 'done' | 'ignored' = 'done') => {
    await deps.store.setInboundState(inboundId, state, deps.clock.now(), outcome);
    return outcome;
  };
  const msg = await channel.normalize(JSON.parse(row.raw));
  if (!msg) return finish({ action: 'ignored', reason: 'not a message' }, 'ignored');
  if (msg.chatType === 'group' && !msg.mentionsBot) return finish({ action: 'ignored', reason: 'group message without @bot' }, 'ignored');
  // A flood is deferred, not dropped: the row stays queued and a later job picks it up (app/throttle.ts).
  if (await deps.throttle?.gate(deps, inboundId, msg)) return null;
  const sender = await deps.store.findPerson(msg.platform, msg.senderId);

  if (msg.unsupported && !msg.text.trim()) {
    await say(deps, inboundId, msg, 'unsupported', { kind: 'text', text: `暂时无法读取这类消息（${msg.unsupported}）。请把问题用文字发给我，或转发文字消息。` });
    return finish({ action: 'unsupported' });
  }
  if (!hasWords(msg)) {
    await say(deps, inboundId, msg, 'unsupported', { kind: 'text', text: '这条消息里没有可登记的文字（只有图片、表情或空的转发）。请把问题用文字发给我。' });
    return finish({ action: 'unsupported', reason: 'no words' });
  }
  const command = isBundle(msg) ? null : parseCommand(msg.text);
  if (command) {
    await runCommand(deps, inboundId, msg, sender, command);
    return finish({ action: 'command', command: command.name });
  }
  if (!isBundle(msg) && (await answerPlaceReply(deps, row, msg, sender))) return finish({ action: 'answer' });
  // Before notes: 「好的」 under a receipt, or 「谢谢」 just after a bundle, is courtesy, not something to add to the record.
  const chat = isBundle(msg) ? null : readNonReport(msg.text, deps.district, deps.resolvePlace);
  if (chat) {
    // In a group only an @bot message gets this far: someone addressed the bot, so it answers, as in 1:1.
    await say(deps, inboundId, msg, 'not_report', { kind: 'text', text: nonReportText(chat, deps.district) });
    return finish({ action: 'not_report', kind: chat.kind });
  }
  if ((await attachReplyToBotMessage(deps, row, msg, sender)) || (await attachReplyToFiledBundle(deps, row, msg, sender)) || (await attachNoteToBundle(deps, row, msg, sender))) return finish({ action: 'note' });

  const done = new Map((await deps.store.sourcedItems(inboundId)).map((s) => [s.itemIndex, s.recordId]));
  const outcomes: IntakeOutcome[] = [];
  const items = await splitItems(deps, row, msg, capText(messageText(msg)));
  for (const item of items) {
    if (done.has(item.index)) continue; // filed before a crash: the job is running again
    outcomes.push(await intakeItem(deps, inboundId, msg, sender, item));
  }
  // E.g. DingTalk: a group reply to a chat record carries only its summary; ask for the full record.
  if (msg.notice) await say(deps, inboundId, msg, 'notice', { kind: 'text', text: msg.notice });
  await rememberFiledQuote(deps, row, msg);
  const outcome = await finish({ action: 'intake', items: outcomes, bundle: isBundle(msg) });
  deps.log.info('inbound.filed', { id: inboundId, key: row.key, outcomes });
  return outcome;
}

async function say(deps: AppDeps, inboundId: string, msg: InboundMessage, tag: string, payload: OutgoingReply): Promise<void> {
  const effects = replyEffects(deps, { key: `${inboundId}:${tag}`, target: msg.reply, inboundId, recordId: null, payload });
  await deps.store.writeEffects(effects, deps.clock.now());
}

/**
 * How soon after a receipt whose town was only assumed (推定) a place-only reply from the same member, in the
 * same chat, corrects it: long enough to read the receipt and answer, short enough not to reach an older one.
 */
const ASSUMED_REPLY_WINDOW_MS = 5 * 60_000;

/**
 * A short reply about where: it answers the member's open question (a place, or an option number), or it
 * corrects the town the bot just assumed for them (「在后溪那边」). A reply to the question that names no town
 * of ours (「海沧」「不知道」) is answered with the question again and files nothing.
 */
async function answerPlaceReply(deps: AppDeps, row: InboundRow, msg: InboundMessage, sender: Person | null): Promise<boolean> {
  const inboundId = row.id;
  const text = msg.text.trim();
  if (!text || text.length > ANSWER_MAX_CHARS) return false;
  // Answered before a crash: the record changed and its receipt was written with this message's key.
  if (await deps.store.getReplyByKey(`${inboundId}:receipt`)) return true;
  const open = await deps.store.findAwaitingInfo(msg.chatId, msg.senderId, deps.clock.now() - deps.settings.questionWindowMs);
  const digit = DIGIT_RE.exec(text);
  const reading = digit ? null : readPlaceReply(text, deps.district, deps.resolvePlace);
  const actor = { id: msg.senderId, name: actorName(sender, msg.senderName), person: sender };
  if (reading?.kind === 'town') {
    const assumed = await justAssumed(deps, row);
    if (assumed && (!open || open.createdAt < assumed.createdAt)) {
      await correctAssumedTown(deps, inboundId, msg, actor, assumed, reading.town.code, reading.place);
      deps.log.info('record.town_corrected', { id: inboundId, code: assumed.code, town: reading.town.code });
      return true;
    }
  }
  if (!open) return false;
  const asked = await askedQuestion(deps, open);
  const again = async (lead: string, question = asked.question) => {
    await say(deps, inboundId, msg, 'question', { ...asked, question: `${lead}${question}` });
    deps.log.info('record.asked_again', { id: inboundId, code: open.code });
    return true;
  };
  let town: string | undefined;
  let place: string | null = null;
  if (digit) {
    // A Chinese IME types option numbers full-width (「２」).
    const n = Number(halfWidth(digit[1]!));
    town = asked.options[n - 1]?.value['town'];
    if (!town) return again(`没有第 ${n} 项。`);
  } else if (reading?.kind === 'town') {
    town = reading.town.code;
    place = reading.place;
  } else if (reading?.kind === 'outside') {
    return again(`${reading.name}不在本区（${deps.district.name}）。`);
  } else if (reading?.kind === 'broad') {
    return again('请具体到镇街。');
  } else if (reading?.kind === 'unsure') {
    return again('好的，先保留为待补充。', '知道发生在哪个镇街后，回复名称或点选即可');
  } else {
    return false;
  }
  await applyChoice(deps, actor, { action: 'set_town', record: open.id, town, place }, msg.reply, inboundId);
  deps.log.info('record.answered', { id: inboundId, code: open.code, town });
  return true;
}

/** Courtesy lines (「收到」「好的」) a member may send between a 推定 receipt and the place that corrects it. */
const COURTESY_SKIP = 3;

/** The sender's record from their message just before this one, in this chat, if its town was assumed. */
async function justAssumed(deps: AppDeps, row: InboundRow): Promise<RecordView | null> {
  const since = row.receivedAt - ASSUMED_REPLY_WINDOW_MS;
  let prev = await deps.store.previousInbound(row.platform, row.chatId, row.senderId, row.receivedAt, since);
  for (let skipped = 0; prev?.outcome?.['action'] === 'not_report' && skipped < COURTESY_SKIP; skipped++) {
    const before = await deps.store.getInbound(prev.id);
    prev = before ? await deps.store.previousInbound(row.platform, row.chatId, row.senderId, before.receivedAt, since) : null;
  }
  if (prev?.state !== 'done' || prev.outcome?.['action'] !== 'intake') return null;
  const items = (await deps.store.sourcedItems(prev.id)).sort((a, b) => b.itemIndex - a.itemIndex);
  for (const item of items) {
    const r = await deps.store.getRecord(item.recordId);
    if (r?.townAssumed && r.filedBy === row.senderId) return r;
  }
  return null;
}

/** As 「更正 <编号> 镇街 …」 would: the same rights, the same event; the reply says what changed. */
async function correctAssumedTown(deps: AppDeps, inboundId: string, msg: InboundMessage, actor: Actor, r: RecordView, town: string, place: string | null): Promise<void> {
  const corrected = (after: RecordView, before: RecordView): OutgoingReply => ({
    kind: 'text', title: `已更正 ${after.code}`,
    text: [`镇街：${before.townName ?? '待确认'}（推定）→ ${after.townName ?? '待确认'}${after.place ? ` · ${after.place}` : ''}`, `摘要：${after.summary}`].join('\n'),
  });
  try {
    await applyChoice(deps, actor, { action: 'set_town', record: r.id, town, place }, msg.reply, inboundId, corrected);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    await say(deps, inboundId, msg, 'receipt', { kind: 'text', text: error.message });
  }
}

/** Commands go through the workflow dispatch (core/commands.ts parses, app/command-dispatch.ts answers). */
async function runCommand(deps: AppDeps, inboundId: string, msg: InboundMessage, sender: Person | null, command: Command): Promise<void> {
  const ctx = { actor: { id: msg.senderId, name: actorName(sender, msg.senderName), person: sender }, platform: msg.platform, chatId: msg.chatId };
  await say(deps, inboundId, msg, `command:${command.name}`, await dispatchCommand(deps, ctx, command));
}
