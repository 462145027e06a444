import { correctionCommand } from '../../core/commands.js';
import { maskPersonalData } from '../../core/masking.js';
import { type OutgoingReply, type ReplyButton, similarLabel } from '../../core/replies.js';
import { recordLines } from '../../core/render-text.js';
import { statusLabel } from '../../core/status.js';

/** What DingTalk draws: markdown where Feishu uses cards; an actionCard when buttons help. */
export interface DingtalkButton {
  title: string;
  /** Text the button sends back into the chat as the member, which the app reads like typed text. */
  command: string;
}

export type DingtalkMessage =
  | { kind: 'markdown'; title: string; text: string }
  | { kind: 'actionCard'; title: string; text: string; buttons: DingtalkButton[] };

/**
 * The robot OpenAPI's card templates stop at five buttons (sampleActionCard2…5 are two to five vertical
 * buttons; sampleActionCard6 is two side by side), and a reply takes that route once the session webhook
 * expires: five everywhere, so a message looks the same whichever way it went. What does not fit is typed.
 */
export const MAX_BUTTONS = 5;

/**
 * Where the reply is drawn. In a group DingTalk hands the robot only messages that @ it, and a button's
 * dtmd:// link posts plain text without the @, so there a button never reaches the bot: group messages say
 * under the buttons what to type with @我 (the buttons stay, so a message reads the same in every chat).
 */
export type DingtalkChat = 'group' | 'p2p';

const IN_GROUP = '在群里按钮发不到我这里，请 @我 回复';

/** `dtmd://dingtalkclient/sendMessage` makes the client send `content` as the user who pressed. */
export function sendMessageUrl(command: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(command)}`;
}

const mask = (s: string): string => maskPersonalData(s).text;
const bullet = (lines: string[]): string => lines.map((l) => `- ${mask(l)}`).join('\n');

/** The options a button does not answer here, to be typed: all of them in a group, else those past the cap. */
function typedOnes<T>(chat: DingtalkChat, items: T[]): T[] {
  return chat === 'group' ? items : items.slice(MAX_BUTTONS);
}

function withButtons(title: string, text: string, buttons: DingtalkButton[]): DingtalkMessage {
  const shown = buttons.slice(0, MAX_BUTTONS).map((b) => ({ title: mask(b.title), command: mask(b.command) }));
  return shown.length ? { kind: 'actionCard', title, text, buttons: shown } : { kind: 'markdown', title, text };
}

type Field = '分类' | '镇街';
interface Correction extends DingtalkButton {
  field: Field;
  label: string;
}

function corrections(code: string, field: Field, choices: ReplyButton[]): Correction[] {
  return choices.map((c) => ({ field, label: c.label, title: `${field}改为 ${c.label}`, command: correctionCommand(code, field, c.label) }));
}

/** The corrections to type, as the command and the values it takes: 「更正 JM-… 镇街 <镇街>」；镇街可选：… */
function typedCorrections(code: string, chat: DingtalkChat, choices: Correction[]): string {
  const rest = typedOnes(chat, choices);
  if (rest.length === 0) return '';
  const fields = (['分类', '镇街'] as const).filter((f) => rest.some((c) => c.field === f));
  const forms = fields.map((f) => `「${correctionCommand(code, f, `<${f}>`)}」`).join('或');
  const values = fields.map((f) => `${f}可选：${rest.filter((c) => c.field === f).map((c) => c.label).join('、')}`).join('；');
  return `\n\n${chat === 'group' ? `${IN_GROUP}${forms}更正` : `没有按钮的请回复${forms}`}。${mask(values)}`;
}

type Question = Extract<OutgoingReply, { kind: 'question' }>;

/** 1. 集美街道 … : a bare number answers the town question (the n-th option), so the list shows them. */
function questionList(reply: Question, numbered: boolean): string {
  return reply.options.map((o, i) => (numbered ? `${i + 1}. ${o.label}` : `- ${o.label}`)).join('\n');
}

/** Under the options: how each one is answered here, never 「点选」 for one without a button. */
function questionFooter(reply: Question, chat: DingtalkChat, numbered: boolean): string {
  const rest = typedOnes(chat, reply.options);
  if (numbered) {
    if (chat === 'group') return `${IN_GROUP}序号或名称。`;
    if (rest.length === 0) return '请点选，或回复序号。';
    const nums = rest.map((o) => reply.options.indexOf(o) + 1).join('、');
    return `请点选，或回复序号；${rest.map((o) => o.label).join('、')}没有按钮，回复序号 ${nums} 或名称即可。`;
  }
  const typed = rest.map((o) => `- ${mask(o.command ?? o.label)}`).join('\n');
  if (chat === 'group') return `${IN_GROUP}其中一项：\n${typed}`;
  return rest.length === 0 ? '请点选。' : `请点选；没有按钮的请回复：\n${typed}`;
}

export function renderDingtalk(reply: OutgoingReply, chat: DingtalkChat = 'p2p'): DingtalkMessage {
  switch (reply.kind) {
    case 'receipt': {
      const r = reply.record;
      const similar = reply.similar.length ? `\n\n**相似记录**\n${bullet(reply.similar.map(similarLabel))}` : '';
      const choices = [...corrections(r.code, '分类', reply.categoryChoices), ...corrections(r.code, '镇街', reply.townChoices)];
      const text = `### 已登记社情民意\n${bullet(recordLines(r))}${similar}${typedCorrections(r.code, chat, choices)}`;
      return withButtons(`已登记 ${r.code}`, text, choices);
    }
    case 'joined':
      return { kind: 'markdown', title: `已合并到 ${reply.record.code}`, text: `### 与 ${reply.record.code} 是同一问题，已合并（+1）\n${bullet(recordLines(reply.record))}` };
    case 'question': {
      // Each button types a command naming its record (「更正 JM-… 镇街 灌口镇」, 「回访 JM-… 满意」): a bare answer
      // would go to whichever question is newest, not the one pressed. A bare number answers only the town
      // question (the member's open one), so only its options are numbered.
      const numbered = reply.options.length > 0 && reply.options.every((o) => o.value['town'] !== undefined);
      // The app's question says 「或点选」, which a group's buttons cannot do.
      const question = chat === 'group' ? reply.question.replace(/或点选/g, '') : reply.question;
      const text = `### ${mask(question)}\n记录 ${reply.recordCode}\n\n${questionList(reply, numbered)}\n\n${questionFooter(reply, chat, numbered)}`;
      return withButtons(`待确认 ${reply.recordCode}`, text, reply.options.map((o) => ({ title: o.label, command: o.command ?? o.label })));
    }
    case 'status': {
      const lines = [`${statusLabel(reply.from)} → ${statusLabel(reply.to)}`, ...(reply.note ? [`说明：${reply.note}`] : []), `摘要：${reply.record.summary}`];
      return { kind: 'markdown', title: `${reply.record.code} 状态更新`, text: `### ${reply.record.code} 状态更新\n${bullet(lines)}` };
    }
    case 'text': {
      const body = mask(reply.text);
      const title = reply.title ?? body.slice(0, 20);
      // A button types its command as the person's reply (「确认 k3f9q2」 names its preview), which the command parser reads.
      const buttons = (reply.buttons ?? []).map((b) => ({ title: b.label, command: b.command ?? b.label }));
      const rest = typedOnes(chat, buttons).map((b) => `「${b.command}」`).join('或');
      const typed = rest ? `\n\n${chat === 'group' ? IN_GROUP : '没有按钮的请回复'}${rest}` : '';
      return withButtons(title, `${reply.title ? `### ${mask(reply.title)}\n${body}` : body}${mask(typed)}`, buttons);
    }
  }
}
