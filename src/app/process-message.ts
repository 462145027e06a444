import { actorName } from '../core/actor-name.js';
import { type Command, parseCommand } from '../core/commands.js';
import { BotError } from '../core/errors.js';
import { capText } from '../core/limits.js';
import { hasWords, isBundle, messageText } from '../core/message-text.js';
import { findTown } from '../core/place-decision.js';
import type { OutgoingReply } from '../core/replies.js';
import type { InboundMessage, Person } from '../core/types.js';
import { attachNoteToBundle, attachReplyToFiledBundle, rememberFiledQuote } from './bundle-note.js';
import { dispatchCommand } from './command-dispatch.js';
import type { AppDeps } from './deps.js';
import { intakeItem, type IntakeOutcome } from './intake.js';
import { attachReplyToBotMessage } from './receipt-note.js';
import { applyChoice } from './record-actions.js';
import { replyEffects } from './reply-effects.js';
import { splitItems } from './split-items.js';

const ANSWER_MAX_CHARS = 20;
const DIGIT_RE = /^\s*(\d{1,2})\s*$/;

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
  if (!isBundle(msg) && (await answerOpenQuestion(deps, inboundId, msg, sender))) return finish({ action: 'answer' });
  if ((await attachReplyToBotMessage(deps, row, msg, sender)) || (await attachReplyToFiledBundle(deps, row, msg)) || (await attachNoteToBundle(deps, row, msg))) return finish({ action: 'note' });

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

/** A short reply naming a town (or an option number) answers the member's open clarifying question. */
async function answerOpenQuestion(deps: AppDeps, inboundId: string, msg: InboundMessage, sender: Person | null): Promise<boolean> {
  const text = msg.text.trim();
  if (!text || text.length > ANSWER_MAX_CHARS) return false;
  // Answered before a crash: the record changed and its receipt was written with this message's key.
  if (await deps.store.getReplyByKey(`${inboundId}:receipt`)) return true;
  const open = await deps.store.findAwaitingInfo(msg.chatId, msg.senderId, deps.clock.now() - deps.settings.questionWindowMs);
  if (!open) return false;
  const digit = DIGIT_RE.exec(text);
  const town = digit ? deps.district.towns[Number(digit[1]) - 1] ?? null : findTown(deps.district.towns, text) ?? townFromAnswer(deps, text);
  if (!town) return false;
  const actor = { id: msg.senderId, name: actorName(sender, msg.senderName), person: sender };
  await applyChoice(deps, actor, { action: 'set_town', record: open.id, town: town.code }, msg.reply, inboundId);
  deps.log.info('record.answered', { id: inboundId, code: open.code, town: town.code });
  return true;
}

/** What may surround the place in a reply that only answers: 「在灌口镇上头村」「是后溪那边的，谢谢」. */
const ANSWER_FILLER_RE = /[\s\p{P}\p{S}]|是|在|的|属于|位于|归|那边|这边|那里|这里|附近|那个|这个|镇|街道|社区|村|谢谢|好的|吧|呀|啊|哦|嗯|了/gu;

/**
 * A town named by a reply that is only an answer. A short message that also says what is wrong
 * (「灌口镇上头村路灯坏了」) is a new report, filed on its own, not spent on an older question.
 */
function townFromAnswer(deps: AppDeps, text: string) {
  const m = deps.resolvePlace(text);
  if (!m.townCode) return null;
  const rest = m.evidence.reduce((t, word) => t.split(word).join(''), text).replace(ANSWER_FILLER_RE, '');
  return rest ? null : deps.district.towns.find((t) => t.code === m.townCode) ?? null;
}

/** Commands go through the workflow dispatch (core/commands.ts parses, app/command-dispatch.ts answers). */
async function runCommand(deps: AppDeps, inboundId: string, msg: InboundMessage, sender: Person | null, command: Command): Promise<void> {
  const ctx = { actor: { id: msg.senderId, name: actorName(sender, msg.senderName), person: sender }, platform: msg.platform, chatId: msg.chatId };
  await say(deps, inboundId, msg, `command:${command.name}`, await dispatchCommand(deps, ctx, command));
}
