import { type DueSpec, findDue } from './due-spec.js';
import { SHANGHAI_OFFSET_MS } from './time.js';

/**
 * Chat commands that take a 微协商 from proposal to tracked decisions. Like the record commands, the
 * command word must lead and a consultation code (JM-XS-2026-0001) must be present: a resident's message
 * that merely mentions 协商 is filed, never obeyed. 协商纪要 spans several lines, so it has its own length cap.
 */
export interface DecisionSpec {
  text: string;
  owner: string;
  due: DueSpec | null;
}

export type ConsultationCommand =
  | { name: 'consultation_show'; code: string }
  | { name: 'consultation_schedule'; code: string; at: string }
  | { name: 'consultation_held'; code: string; minutes: string; attendees: string[]; decisions: DecisionSpec[] }
  | { name: 'consultation_item_done'; code: string; seq: number }
  | { name: 'consultation_close'; code: string }
  | { name: 'consultation_decline'; code: string; reason: string }
  | { name: 'usage'; usage: string };

export const CONSULTATION_USAGE = {
  show: '协商 <协商编号>：查看协商的状态、时间和分工，例如「协商 JM-XS-2026-0001」',
  schedule: '安排协商 <协商编号> <日期 时间>，例如「安排协商 JM-XS-2026-0001 2026-12-05 15:00」',
  held: '协商纪要 <协商编号>，另起行写「纪要：…」「参加：张三、李四」「决定：事项｜责任单位｜2026-12-20 或 15天」（决定可写多行）',
  itemDone: '办结事项 <协商编号> <序号>，例如「办结事项 JM-XS-2026-0001 1」',
  close: '结束协商 <协商编号>：分工全部完成后结束',
  decline: '不协商 <协商编号> <原因>（或「取消协商 …」）：不召开已提议或已安排的协商，关联记录恢复原状态，同一问题不再自动提议',
} as const;

const MAX_CONSULTATION_COMMAND_CHARS = 2000;
const CONSULT_CODE_RE = /\b([A-Za-z]{1,6})\s*-\s*XS\s*-\s*(\d{4})\s*-\s*(\d{1,8})\b/i;
const LEAD_RE = /^\s*(安排协商|协商纪要|办结事项|结束协商|取消协商|撤销协商|不予协商|不协商|查看协商|查询协商|协商|查询|查看)(?=[\s:：]|[A-Za-z]|$)/;
const TRAILING_PUNCT_RE = /[\s。？?！!]+/g;
const DECLINE_WORDS: ReadonlySet<string> = new Set(['取消协商', '撤销协商', '不予协商', '不协商']);
const REASON_FILLER_RE = /^[\s,，:：]*(?:原因|理由)?[\s,，:：]*/;
const DATETIME_RE = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:[T\s]\s*)?(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*分?/;
const CANONICAL_DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
const LINE_RE = /\r?\n/;
const SEQ_RE = /^\s*第?\s*(\d{1,3})\s*(?:项|条|号)?\s*$/;
const MINUTES_RE = /^\s*(?:纪要|会议纪要|协商纪要)\s*[:：]\s*/;
const ATTENDEES_RE = /^\s*(?:参加|参加人员|出席|参会)\s*[:：]\s*/;
const DECISION_RE = /^\s*(?:决定|决议|分工)\s*\d*\s*[:：]\s*/;
const NAME_SPLIT_RE = /[、,，;；\s]+/;
const FIELD_SPLIT_RE = /[|｜/／]/;
/** A bare command word typed to see how it works gets its usage; anything longer without a code is text. */
const BARE_WORDS: Record<string, string> = {
  安排协商: CONSULTATION_USAGE.schedule, 协商纪要: CONSULTATION_USAGE.held, 办结事项: CONSULTATION_USAGE.itemDone, 结束协商: CONSULTATION_USAGE.close,
  取消协商: CONSULTATION_USAGE.decline, 撤销协商: CONSULTATION_USAGE.decline, 不予协商: CONSULTATION_USAGE.decline, 不协商: CONSULTATION_USAGE.decline,
};

const pad = (s: string | number) => String(s).padStart(2, '0');

export function findConsultationCode(text: string): string | null {
  const m = CONSULT_CODE_RE.exec(text);
  return m ? `${m[1]!.toUpperCase()}-XS-${m[2]}-${String(Number(m[3])).padStart(4, '0')}` : null;
}

/** 「2026-12-05 15:00」 as Asia/Shanghai wall time in epoch ms; null when it is not a real date and time. */
export function shanghaiDateTime(text: string): number | null {
  const m = CANONICAL_DATETIME_RE.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (h > 23 || mi > 59) return null;
  const at = Date.UTC(y, mo - 1, d, h, mi) - SHANGHAI_OFFSET_MS;
  const local = new Date(at + SHANGHAI_OFFSET_MS);
  // Date.UTC rolls 2026-13-05 over into January: only a date that comes back as typed is real.
  return local.getUTCMonth() + 1 === mo && local.getUTCDate() === d ? at : null;
}

/** The decision's whole third field is its time limit: anything else in it makes the line unreadable. */
function dueOf(text: string): DueSpec | null | 'bad' {
  if (!text.trim()) return null;
  const found = findDue(text);
  return found && found.remainder === '' ? found.due : 'bad';
}

/** 「事项｜责任单位｜时限」; the time limit may itself contain «/» (2026/12/20), so it takes the rest. */
function decisionOf(line: string): DecisionSpec | null {
  const [text = '', owner = '', ...due] = line.split(FIELD_SPLIT_RE).map((s) => s.trim());
  const spec = dueOf(due.join('/'));
  if (!text || !owner || spec === 'bad') return null;
  return { text, owner, due: spec };
}

function parseHeld(code: string, lines: string[]): ConsultationCommand {
  const minutes: string[] = [];
  const attendees: string[] = [];
  const decisions: DecisionSpec[] = [];
  let field: 'minutes' | 'other' = 'other';
  for (const line of lines) {
    if (!line.trim()) continue;
    if (MINUTES_RE.test(line)) {
      minutes.push(line.replace(MINUTES_RE, '').trim());
      field = 'minutes';
    } else if (ATTENDEES_RE.test(line)) {
      attendees.push(...line.replace(ATTENDEES_RE, '').split(NAME_SPLIT_RE).filter(Boolean));
      field = 'other';
    } else if (DECISION_RE.test(line)) {
      const d = decisionOf(line.replace(DECISION_RE, ''));
      if (!d) return { name: 'usage', usage: `无法识别的决定「${line.trim()}」。${CONSULTATION_USAGE.held}` };
      decisions.push(d);
      field = 'other';
    } else if (field === 'minutes') {
      minutes.push(line.trim()); // the minutes may run over several lines
    } else {
      return { name: 'usage', usage: `无法识别的一行「${line.trim()}」。${CONSULTATION_USAGE.held}` };
    }
  }
  if (!minutes.join('').trim()) return { name: 'usage', usage: CONSULTATION_USAGE.held };
  return { name: 'consultation_held', code, minutes: minutes.join('\n'), attendees: [...new Set(attendees)], decisions };
}

export function parseConsultationCommand(text: string): ConsultationCommand | null {
  if (text.length > MAX_CONSULTATION_COMMAND_CHARS) return null;
  const [first = '', ...more] = text.split(LINE_RE);
  // A consultation code sent on its own asks to see the consultation (a resident's text is never just a code).
  const alone = !more.some((l) => l.trim()) && first.replace(CONSULT_CODE_RE, '').replace(TRAILING_PUNCT_RE, '').trim() === '';
  if (alone) {
    const code = findConsultationCode(first);
    if (code) return { name: 'consultation_show', code };
  }
  const lead = LEAD_RE.exec(first);
  if (!lead) return null;
  const word = lead[1]!;
  const code = findConsultationCode(first);
  if (!code) return !more.length && BARE_WORDS[word] && first.trim() === word ? { name: 'usage', usage: BARE_WORDS[word] } : null;
  const tail = first.slice(lead[0].length).replace(CONSULT_CODE_RE, ' ').trim();
  if (word === '协商纪要') return parseHeld(code, [...(tail ? [tail] : []), ...more]);
  if (more.some((l) => l.trim())) return null;
  if (DECLINE_WORDS.has(word)) {
    const reason = tail.replace(REASON_FILLER_RE, '').trim();
    return reason ? { name: 'consultation_decline', code, reason } : { name: 'usage', usage: CONSULTATION_USAGE.decline };
  }
  switch (word) {
    case '安排协商': {
      const m = DATETIME_RE.exec(tail);
      if (!m || tail.replace(DATETIME_RE, '').trim()) return { name: 'usage', usage: CONSULTATION_USAGE.schedule };
      return { name: 'consultation_schedule', code, at: `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)} ${pad(m[4]!)}:${pad(m[5] ?? 0)}` };
    }
    case '办结事项': {
      const m = SEQ_RE.exec(tail);
      return m ? { name: 'consultation_item_done', code, seq: Number(m[1]) } : { name: 'usage', usage: CONSULTATION_USAGE.itemDone };
    }
    case '结束协商':
      return tail ? null : { name: 'consultation_close', code };
    default:
      return tail ? null : { name: 'consultation_show', code };
  }
}

export const CONSULTATION_HELP = [
  CONSULTATION_USAGE.show, CONSULTATION_USAGE.schedule, CONSULTATION_USAGE.held, CONSULTATION_USAGE.itemDone, CONSULTATION_USAGE.close,
  CONSULTATION_USAGE.decline,
];
