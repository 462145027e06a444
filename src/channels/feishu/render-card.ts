import { maskPersonalData } from '../../core/masking.js';
import { recordLines, renderText } from '../../core/render-text.js';
import { type OutgoingReply, type ReplyButton, similarLabel } from '../../core/replies.js';
import type { RecordView } from '../../core/types.js';

/** Feishu card JSON 2.0 (docs/platforms.md §1.9); buttons sit directly in body.elements and use behaviors. */
export interface FeishuCard {
  schema: '2.0';
  config: { update_multi: true; summary: { content: string } };
  header: { title: { tag: 'plain_text'; content: string }; template: string };
  body: { elements: Record<string, unknown>[] };
}

/**
 * Resident-derived text goes into plain_text, never markdown: a resident who writes `<at id=all></at>` or a
 * link must not get the bot to @everyone or render it.
 */
function plain(content: string): Record<string, unknown> {
  return { tag: 'div', text: { tag: 'plain_text', content } };
}

function button(b: ReplyButton, index: number): Record<string, unknown> {
  return {
    tag: 'button',
    name: `btn_${index}`,
    type: b.primary ? 'primary' : 'default',
    text: { tag: 'plain_text', content: b.label },
    behaviors: [{ type: 'callback', value: b.value }],
  };
}

function card(title: string, template: string, lines: string[], buttons: ReplyButton[] = []): FeishuCard {
  const safe = lines.map((l) => maskPersonalData(l).text);
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: title } },
    header: { title: { tag: 'plain_text', content: title }, template },
    body: { elements: [plain(safe.join('\n')), ...buttons.map(button)] },
  };
}

/** The town line marks an assumption with 推定 so the member knows to check it. */
function receiptLines(r: RecordView): string[] {
  return recordLines(r).map((l) => (l.startsWith('镇街：') && r.townAssumed && r.townName ? `镇街：${r.townName}（推定，按发送人所属镇街，如有误请更正）` : l));
}

/** "Confirm" needs no new action: confirming an assumed town sets it to itself (recorded as an event). */
function confirmButton(r: RecordView): ReplyButton[] {
  if (r.townAssumed && r.townCode) return [{ label: `确认镇街：${r.townName ?? r.townCode}`, value: { action: 'set_town', record: r.id, town: r.townCode }, primary: true }];
  return [];
}

export function renderCard(reply: OutgoingReply): FeishuCard {
  switch (reply.kind) {
    case 'receipt': {
      const r = reply.record;
      const similar = reply.similar.length ? [`相似记录：${reply.similar.map(similarLabel).join('；')}`] : [];
      const buttons = [
        ...confirmButton(r),
        ...reply.categoryChoices.map((b) => ({ ...b, label: `分类改为：${b.label}` })),
        ...reply.townChoices.filter((b) => b.value.town !== r.townCode).map((b) => ({ ...b, label: `镇街改为：${b.label}` })),
      ];
      return card(`已登记社情民意 ${r.code}`, 'blue', [...receiptLines(r), ...similar], buttons);
    }
    case 'joined':
      return card(`已合并到 ${reply.record.code}`, 'turquoise', renderText(reply).split('\n'));
    case 'question':
      return card(`请补充：${reply.recordCode}`, 'orange', [reply.question], reply.options);
    case 'status':
      return card(`${reply.record.code} 状态更新`, 'green', renderText(reply).split('\n'));
    case 'text': {
      const c = card(reply.title ?? '民意助手', 'grey', reply.text.split('\n'), reply.buttons ?? []);
      if (reply.chart) c.body.elements.push(reply.chart);
      return c;
    }
  }
}

/** The card a callback answers with: the record as it now stands, buttons gone (the choice was made). */
export function updatedReceiptCard(r: RecordView): FeishuCard {
  return card(`已更正 ${r.code}`, 'green', receiptLines(r));
}
