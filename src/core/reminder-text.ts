import { maskPersonalData } from './masking.js';
import { statusLabel } from './status.js';
import { formatShanghai } from './time.js';
import { ITEM_DONE_HINT, type TrackedItem, trackedItemBlocks } from './tracked-items.js';
import type { RecordView } from './types.js';

const DAY_MS = 86_400_000;

/**
 * The daily reminder for one scope: overdue records first (most overdue on top), then what falls due today;
 * then the consultation decisions (分工) overdue or due today.
 */
export function reminderText(scopeLabel: string, now: number, items: RecordView[], actionItems: TrackedItem[] = []): { title: string; text: string } {
  const overdue = items.filter((r) => r.dueAt !== null && r.dueAt < now);
  const today = items.filter((r) => r.dueAt !== null && r.dueAt >= now);
  const line = (r: RecordView, tail: string) =>
    maskPersonalData(`· ${r.code} ${statusLabel(r.status)}｜${r.summary}${r.department ? `｜${r.department}` : ''}${tail}`).text;
  const blocks = [
    overdue.length ? [`【已逾期】${overdue.length} 条`, ...overdue.map((r) => line(r, `（应于 ${formatShanghai(r.dueAt!).slice(5, 10)} 办结，逾期 ${Math.max(1, Math.floor((now - r.dueAt!) / DAY_MS))} 天）`))].join('\n') : null,
    today.length ? [`【今日到期】${today.length} 条`, ...today.map((r) => line(r, ''))].join('\n') : null,
    ...trackedItemBlocks(actionItems, now, '今日到期'),
  ].filter((b): b is string => b !== null);
  const hints = [...(items.length ? ['办结请发「办结 <编号> 已解决|未解决 <原因>」。'] : []), ...(actionItems.length ? [ITEM_DONE_HINT] : [])];
  return { title: `办理时限提醒（${scopeLabel}，${formatShanghai(now).slice(0, 10)}）`, text: `${blocks.join('\n\n')}\n\n${hints.join('\n')}` };
}
