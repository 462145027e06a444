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

/** Both the session webhook and the OpenAPI (sampleActionCard2…5) stop at five buttons. */
export const MAX_BUTTONS = 5;

/** `dtmd://dingtalkclient/sendMessage` makes the client send `content` as the user who pressed. */
export function sendMessageUrl(command: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(command)}`;
}

const mask = (s: string): string => maskPersonalData(s).text;
const bullet = (lines: string[]): string => lines.map((l) => `- ${mask(l)}`).join('\n');

function withButtons(title: string, text: string, buttons: DingtalkButton[]): DingtalkMessage {
  const shown = buttons.slice(0, MAX_BUTTONS).map((b) => ({ title: mask(b.title), command: mask(b.command) }));
  return shown.length ? { kind: 'actionCard', title, text, buttons: shown } : { kind: 'markdown', title, text };
}

function correctionButtons(code: string, field: '分类' | '镇街', choices: ReplyButton[]): DingtalkButton[] {
  return choices.map((c) => ({ title: `${field}改为 ${c.label}`, command: correctionCommand(code, field, c.label) }));
}

export function renderDingtalk(reply: OutgoingReply): DingtalkMessage {
  switch (reply.kind) {
    case 'receipt': {
      const r = reply.record;
      const similar = reply.similar.length ? `\n\n**相似记录**\n${bullet(reply.similar.map(similarLabel))}` : '';
      const text = `### 已登记社情民意\n${bullet(recordLines(r))}${similar}`;
      const buttons = [...correctionButtons(r.code, '分类', reply.categoryChoices), ...correctionButtons(r.code, '镇街', reply.townChoices)];
      return withButtons(`已登记 ${r.code}`, text, buttons);
    }
    case 'joined':
      return { kind: 'markdown', title: `已合并到 ${reply.record.code}`, text: `### 与 ${reply.record.code} 是同一问题，已合并（+1）\n${bullet(recordLines(reply.record))}` };
    case 'question': {
      // Each button types a command naming its record (「更正 JM-… 镇街 灌口镇」, 「回访 JM-… 满意」): a bare answer
      // would go to whichever question is newest, not the one pressed. No numbers in the list: the app reads
      // a bare digit as the n-th town of the district, not the n-th option.
      const list = reply.options.map((o) => `- ${o.label}`).join('\n');
      const text = `### ${mask(reply.question)}\n记录 ${reply.recordCode}\n\n${list}\n\n请点选；在群里也可以 @我 回复选项。`;
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
      return withButtons(title, reply.title ? `### ${mask(reply.title)}\n${body}` : body, (reply.buttons ?? []).map((b) => ({ title: b.label, command: b.command ?? b.label })));
    }
  }
}
