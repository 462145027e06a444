/**
 * Consultation decisions (分工) as they appear beside records in the 09:07 reminder and in 本周待办:
 * each names its consultation, number, owner and deadline, so 「办结事项 <协商编号> <序号>」 can follow.
 */
import { maskPersonalData } from './masking.js';
import { formatShanghai } from './time.js';

const DAY_MS = 86_400_000;

export interface TrackedItem {
  consultationCode: string;
  townCode: string;
  seq: number;
  text: string;
  owner: string;
  dueAt: number;
}

export const ITEM_DONE_HINT = '分工完成请发「办结事项 <协商编号> <序号>」。';

const day = (ms: number) => formatShanghai(ms).slice(5, 10);

export function trackedItemLine(i: TrackedItem, now: number): string {
  const when = i.dueAt < now
    ? `应于 ${day(i.dueAt)} 完成，逾期 ${Math.max(1, Math.floor((now - i.dueAt) / DAY_MS))} 天`
    : `${day(i.dueAt)} 到期`;
  return maskPersonalData(`${i.consultationCode} 第 ${i.seq} 项｜${i.text}｜${i.owner}（${when}）`).text;
}

/** Overdue first (most overdue on top), then the rest in due order; `label` names the second group. */
export function trackedItemBlocks(items: TrackedItem[], now: number, label: string): string[] {
  const sorted = [...items].sort((a, b) => a.dueAt - b.dueAt || a.consultationCode.localeCompare(b.consultationCode) || a.seq - b.seq);
  const overdue = sorted.filter((i) => i.dueAt < now);
  const soon = sorted.filter((i) => i.dueAt >= now);
  return [
    overdue.length ? [`【协商分工已逾期】${overdue.length} 项`, ...overdue.map((i) => `· ${trackedItemLine(i, now)}`)].join('\n') : null,
    soon.length ? [`【协商分工${label}】${soon.length} 项`, ...soon.map((i) => `· ${trackedItemLine(i, now)}`)].join('\n') : null,
  ].filter((b): b is string => b !== null);
}
