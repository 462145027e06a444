import { type OutgoingReply, similarLabel } from './replies.js';
import { statusLabel } from './status.js';
import type { RecordView } from './types.js';

const URGENCY_LABEL = { low: '一般', normal: '普通', urgent: '紧急' } as const;

export function townLine(r: RecordView): string {
  if (!r.townName) return '镇街：待确认';
  const place = r.place ? ` · ${r.place}` : '';
  return `镇街：${r.townName}${place}${r.townAssumed ? '（按发送人所属镇街推定，如有误请更正）' : ''}`;
}

export function recordLines(r: RecordView): string[] {
  return [
    `编号：${r.code}`,
    `分类：${r.categoryName}（${r.appealType}）`,
    townLine(r),
    `状态：${statusLabel(r.status)}`,
    `摘要：${r.summary}`,
    ...(r.urgency === 'urgent' ? [`紧急程度：${URGENCY_LABEL[r.urgency]}`] : []),
    ...(r.affectedCount > 1 ? [`反映人次：${r.affectedCount}`] : []),
  ];
}

/** Plain-text rendering: the generic API's replies, logs and the CLI. */
export function renderText(reply: OutgoingReply): string {
  switch (reply.kind) {
    case 'receipt': {
      const similar = reply.similar.length
        ? [`相似记录：${reply.similar.map(similarLabel).join('；')}`]
        : [];
      return ['已登记社情民意', ...recordLines(reply.record), ...similar].join('\n');
    }
    case 'joined':
      return [
        `与已登记的 ${reply.record.code} 反映的是同一问题，已合并（+1）`,
        ...recordLines(reply.record),
      ].join('\n');
    case 'question':
      return [`${reply.question}（${reply.recordCode}）`, ...reply.options.map((o, i) => `${i + 1}. ${o.label}`)].join('\n');
    case 'status':
      return [
        `${reply.record.code} 状态更新：${statusLabel(reply.from)} → ${statusLabel(reply.to)}`,
        ...(reply.note ? [`说明：${reply.note}`] : []),
        `摘要：${reply.record.summary}`,
      ].join('\n');
    case 'text': {
      const buttons = reply.buttons?.length ? [`请回复：${reply.buttons.map((b) => `「${b.label}」`).join(' 或 ')}`] : [];
      return [...(reply.title ? [reply.title] : []), reply.text, ...buttons].join('\n');
    }
  }
}
