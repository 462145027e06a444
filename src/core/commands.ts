import { CONSULTATION_HELP, CONSULTATION_USAGE, type ConsultationCommand, findConsultationCode, parseConsultationCommand } from './consultation-commands.js';
import { countOf, type DueSpec, findDue } from './due-spec.js';
import type { VisitRating } from './pending-action.js';
import { findRecordCode } from './record-code.js';
import type { Role } from './types.js';
import { parseWriteupCommand, WRITEUP_HELP, WRITEUP_USAGE, type WriteupCommand } from './writeup-commands.js';

/**
 * Commands a person types to the bot. Only a person's own plain message is parsed: text inside a forwarded
 * bundle is residents' words and never a command. Parsing is about shape only; who may do what is decided
 * in core/permissions.ts and the app.
 */
export type { DueSpec } from './due-spec.js';

export type Command =
  | { name: 'help' }
  | { name: 'query'; code: string }
  | { name: 'mine' }
  | { name: 'todo' }
  | { name: 'assign'; code: string; department: string | null; due: DueSpec | null }
  | { name: 'close'; code: string; resolved: boolean; reason: string | null }
  | { name: 'visit'; code: string | null; rating: VisitRating; note: string | null }
  | { name: 'reject'; code: string; reason: string | null }
  | { name: 'merge'; from: string; into: string }
  /** 拆分: the `source`-th report of a record (as 查询 numbers them) is another problem; file it on its own. */
  | { name: 'split'; code: string; source: number }
  | { name: 'agenda'; codes: string[]; topic: string | null }
  | { name: 'writeup'; code: string }
  | { name: 'bulletin'; week: 'this' | 'last'; town: string | null }
  | { name: 'figures' }
  /** `ref` names one preview (a DingTalk button sends it); without it, the author's only open preview. */
  | { name: 'confirm'; ref: string | null }
  | { name: 'cancel'; ref: string | null }
  | { name: 'add_person'; role: Role; personName: string; town: string | null }
  | { name: 'bind'; bindCode: string }
  | { name: 'people' }
  /** What a DingTalk receipt button sends back, or a person types: 「更正 JM-2026-0042 镇街 灌口镇」. */
  | { name: 'correct'; code: string; field: 'category' | 'town'; value: string }
  /** 微协商 lifecycle: 协商 / 安排协商 / 协商纪要 / 办结事项 / 结束协商 (core/consultation-commands.ts). */
  | Exclude<ConsultationCommand, { name: 'usage' }>
  /** 社情民意信息 tracking: 报送 / 采用 / 批示 / show (core/writeup-commands.ts). */
  | Exclude<WriteupCommand, { name: 'usage' }>
  /** A command word was recognised but its arguments were not: answer with that command's usage. */
  | { name: 'usage'; usage: string };

const MAX_COMMAND_CHARS = 160;
const HELP_RE = /^\s*(帮助|help|\/help|怎么用|使用说明|菜单)\s*[?？]?\s*$/i;
const MINE_RE = /^\s*(我的记录|我反映的|我的)\s*$/;
const TODO_RE = /^\s*(本周|这周|这星期|本星期|这个星期|这礼拜)?\s*的?\s*(待办|待处理|还有(啥|什么|哪些)?(事)?(没办|没处理|要办|待办|没办完)|有(啥|什么|哪些)(事)?(要办|没办|待办))(事项|的)?\s*[吗呢啊?？。!！]*\s*$/;
// 「确 认」: a stray space from the IME is still the word.
const CONFIRM_RE = /^\s*(?:确\s*认|确\s*定|同\s*意|执\s*行)(?:\s*([0-9a-z]{6}))?\s*[。!！]?\s*$/i;
const CANCEL_RE = /^\s*(?:取\s*消|算\s*了|放\s*弃|撤\s*销)(?:\s*([0-9a-z]{6}))?\s*[。!！]?\s*$/i;
const BARE_VISIT_RE = /^\s*(基本满意|不满意|满意)\s*[。!！]?\s*$/;
const QUERY_RE = /^\s*(查询|查|进度|状态)/;
const ASSIGN_RE = /交办|派单|转交/;
/** 「交办 JM-…」 or 「JM-… 交办…」: the command word leads, or follows the code directly. */
const ASSIGN_LEAD_RE = /^\s*(?:[A-Za-z]{1,6}\s*-\s*\d{4}\s*-\s*\d{1,8}\s*)?(交办|派单|转交)/;
const CLOSE_RE = /^\s*(办结|结案)/;
const VISIT_RE = /^\s*回访/;
const REJECT_RE = /^\s*不予受理/;
const MERGE_RE = /^\s*(合并|并案)/;
const SPLIT_RE = /^\s*(拆分|拆出|拆单)/;
/** The report's number after the code: 「拆分 JM-2026-0042 2」, 「… 第２条」 or 「… 第二条」. */
const SPLIT_SOURCE_RE = /^第?\s*([0-9]{1,3}|[一二两三四五六七八九十]{1,3})\s*条?(?:反映)?$/;
const AGENDA_RE = /^\s*(拟议程|议程|拟协商|微协商)\s*/;
/** The two words only staff use for a draft agenda: with a topic and no code they still are the command. */
const AGENDA_TOPIC_RE = /^\s*(拟议程|拟协商)\s*/;
const WRITEUP_RE = /^\s*(社情民意|写社情民意|社情民意信息)\s*/;
const BULLETIN_RE = /^\s*(周报|通报)\s*(本周|这周|上周)?\s*([\u4e00-\u9fa5]{0,8})\s*$/;
const FIGURES_RE = /^\s*(委员履职|履职统计|履职)\s*$/;
const ADD_PERSON_RE = /^\s*添加(委员|工作人员|管理员)\s+(\S+)\s*(\S+)?\s*$/;
/** 「绑定 K7M3Q9XP」 (or the 6 digits of codes issued before); spaces, dashes and case as typed. */
const BIND_RE = /^\s*绑定\s*([0-9A-Za-z][0-9A-Za-z\s-]{0,14})\s*$/;
const BIND_CODE_RE = /^(?:\d{6}|[0-9A-Z]{8})$/;
const CORRECT_RE = /^\s*更正\s*([A-Za-z]{1,6}\s*-\s*\d{4}\s*-\s*\d{1,8})\s*(分类|镇街)\s*(\S.{0,29})\s*$/;
const PEOPLE_RE = /^\s*(人员|人员列表|名单)\s*$/;
const CORRECT_LEAD_RE = /^\s*更正/;
const CODE_ALL_RE = /\b[A-Za-z]{1,6}\s*-\s*\d{4}\s*-\s*\d{1,8}\b/g;
const FILLER_RE = /^[\s,，:：]*(到|给|至|交|由)?[\s,，:：]*/;
const SHORT_COMMAND_CHARS = 8;
const RATINGS: ReadonlyArray<readonly [string, VisitRating]> = [['基本满意', 'basic'], ['不满意', 'unsatisfied'], ['满意', 'satisfied']];

export const USAGE = {
  assign: '交办 <编号> <部门> [时限]，例如「交办 JM-2026-0042 区市政园林局 7天」或「… 2026-12-05」',
  close: '办结 <编号> 已解决|未解决 <原因>，例如「办结 JM-2026-0042 已解决 路灯已修复」',
  visit: '回访 <编号> 满意|基本满意|不满意 [说明]',
  reject: '不予受理 <编号> <原因>',
  merge: '合并 <编号> 到 <编号>：前者标为重复，反映人次并入后者',
  split: '拆分 <编号> <第几条反映>：误并入的一条反映另行登记，例如「拆分 JM-2026-0042 2」（序号见「查询」）',
  writeup: '社情民意 <编号>',
  bind: '绑定 <绑定码>：管理员给你的 8 位字母和数字，例如「绑定 K7M3Q9XP」',
  addPerson: '添加委员 <姓名> <镇街> ／ 添加工作人员 <姓名> <镇街|全区> ／ 添加管理员 <姓名>',
  query: '查询 <编号>：查看一条记录的状态和处理经过，例如「查询 JM-2026-0042」',
  correct: '更正 <编号> 镇街|分类 <值>，例如「更正 JM-2026-0042 镇街 灌口镇」',
} as const;

/** Commands that write, after a preview and 确认. */
const WRITES: ReadonlySet<Command['name']> = new Set<Command['name']>([
  'assign', 'close', 'visit', 'reject', 'merge', 'split', 'add_person', 'consultation_schedule', 'consultation_held',
  'consultation_item_done', 'consultation_close', 'consultation_decline', 'writeup_submit', 'writeup_adopt', 'writeup_instruct',
]);
const WRITE_USAGES: ReadonlySet<string> = new Set([
  USAGE.assign, USAGE.close, USAGE.visit, USAGE.reject, USAGE.merge, USAGE.split, USAGE.addPerson,
  CONSULTATION_USAGE.schedule, CONSULTATION_USAGE.held, CONSULTATION_USAGE.itemDone, CONSULTATION_USAGE.close, CONSULTATION_USAGE.decline,
  WRITEUP_USAGE.submit, WRITEUP_USAGE.adopt, WRITEUP_USAGE.instruct,
]);

/**
 * An attempt at a write, whether it was understood or only its command word was: when one fails, the earlier
 * preview it was probably meant to replace must not be what a later 确认 applies.
 */
export function isWriteAttempt(c: Command): boolean {
  return c.name === 'usage' ? WRITE_USAGES.has(c.usage) : WRITES.has(c.name);
}

/**
 * Full-width letters, digits and dashes (ＪＭ－２０２６－０００１, ７天) as ASCII, and the ideographic space
 * as a space: a Chinese IME types them, and every pattern here is written for ASCII. Punctuation such as
 * ，：（ stays as typed, since it ends up in notes and reasons.
 */
export function halfWidth(text: string): string {
  return text.replace(/[０-９Ａ-Ｚａ-ｚ－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

function rest(text: string, re: RegExp): string {
  return text.replace(re, '').replace(CODE_ALL_RE, ' ').replace(/\s+/g, ' ').trim();
}

function codesIn(text: string): string[] {
  return (text.match(CODE_ALL_RE) ?? []).map((c) => findRecordCode(c)!).filter(Boolean);
}

function ratingOf(text: string): { rating: VisitRating; note: string | null } | null {
  for (const [label, rating] of RATINGS) {
    const at = text.indexOf(label);
    if (at >= 0) return { rating, note: (text.slice(0, at) + text.slice(at + label.length)).trim() || null };
  }
  return null;
}

export function parseDue(text: string): { due: DueSpec | null; remainder: string } {
  return findDue(text) ?? { due: null, remainder: text };
}

/** What a correction button types where buttons can only send text, e.g. 「更正 JM-2026-0042 镇街 灌口镇」. */
export function correctionCommand(code: string, field: '分类' | '镇街', label: string): string {
  return `更正 ${code} ${field} ${label}`;
}

export function parseCommand(typed: string): Command | null {
  const text = halfWidth(typed);
  // Checked first: 协商纪要 runs over several lines, and 「办结事项」 must not read as 办结 of a record.
  const consultation = parseConsultationCommand(text);
  if (consultation) return consultation;
  // Before the length cap: a leader's 批示 may run longer than a record command.
  const writeupTracking = parseWriteupCommand(text);
  if (writeupTracking) return writeupTracking;
  if (text.length > MAX_COMMAND_CHARS) return null;
  if (HELP_RE.test(text)) return { name: 'help' };
  if (MINE_RE.test(text)) return { name: 'mine' };
  if (TODO_RE.test(text)) return { name: 'todo' };
  const confirm = CONFIRM_RE.exec(text);
  if (confirm) return { name: 'confirm', ref: confirm[1]?.toLowerCase() ?? null };
  const cancel = CANCEL_RE.exec(text);
  if (cancel) return { name: 'cancel', ref: cancel[1]?.toLowerCase() ?? null };
  if (FIGURES_RE.test(text)) return { name: 'figures' };
  if (PEOPLE_RE.test(text)) return { name: 'people' };
  const bare = BARE_VISIT_RE.exec(text);
  if (bare) return { name: 'visit', code: null, rating: ratingOf(bare[1]!)!.rating, note: null };
  const bind = BIND_RE.exec(text);
  if (bind) {
    const bindCode = bind[1]!.replace(/[\s-]/g, '').toUpperCase();
    return BIND_CODE_RE.test(bindCode) ? { name: 'bind', bindCode } : { name: 'usage', usage: USAGE.bind };
  }
  const add = ADD_PERSON_RE.exec(text);
  if (add) {
    const role: Role = add[1] === '委员' ? 'member' : add[1] === '工作人员' ? 'staff' : 'admin';
    const town = add[3] && add[3] !== '全区' ? add[3] : null;
    if (role === 'member' && !town) return { name: 'usage', usage: USAGE.addPerson };
    return { name: 'add_person', role, personName: add[2]!, town };
  }
  if (/^\s*添加(委员|工作人员|管理员)/.test(text)) return { name: 'usage', usage: USAGE.addPerson };
  const correct = CORRECT_RE.exec(text);
  if (correct) {
    const code = codesIn(correct[1]!)[0];
    if (code) return { name: 'correct', code, field: correct[2] === '分类' ? 'category' : 'town', value: correct[3]!.trim() };
  }
  if (CORRECT_LEAD_RE.test(text) && (codesIn(text).length > 0 || text.trim().length <= SHORT_COMMAND_CHARS)) return { name: 'usage', usage: USAGE.correct };
  const bulletin = BULLETIN_RE.exec(text);
  if (bulletin) return { name: 'bulletin', week: bulletin[2] === '上周' ? 'last' : 'this', town: bulletin[3]?.trim() || null };
  return parseRecordCommand(text);
}

/** Commands that act on one or more records (a code is required). */
function parseRecordCommand(text: string): Command | null {
  const codes = codesIn(text);
  const code = codes[0];
  if (!code && AGENDA_TOPIC_RE.test(text)) return { name: 'agenda', codes, topic: rest(text, AGENDA_TOPIC_RE) || null };
  // A resident's message may start with 办结/回访/合并…; without a record code only a bare command word
  // (a person asking how to use it) gets the usage text, anything longer is filed as a message.
  if (!code && text.trim().length > SHORT_COMMAND_CHARS) return null;
  if (REJECT_RE.test(text)) return code ? { name: 'reject', code, reason: rest(text, REJECT_RE) || null } : { name: 'usage', usage: USAGE.reject };
  if (CLOSE_RE.test(text)) {
    if (!code) return { name: 'usage', usage: USAGE.close };
    const body = rest(text, CLOSE_RE);
    const m = /^(已解决|未解决|解决|未能解决)了?[\s,，。:：]*(.*)$/.exec(body);
    if (!m) return { name: 'usage', usage: USAGE.close };
    return { name: 'close', code, resolved: m[1] === '已解决' || m[1] === '解决', reason: m[2]!.trim() || null };
  }
  if (VISIT_RE.test(text)) {
    const r = ratingOf(rest(text, VISIT_RE));
    return code && r ? { name: 'visit', code, ...r } : { name: 'usage', usage: USAGE.visit };
  }
  if (MERGE_RE.test(text) || /合并到|并入/.test(text)) {
    return codes.length === 2 && codes[0] !== codes[1] ? { name: 'merge', from: codes[0]!, into: codes[1]! } : { name: 'usage', usage: USAGE.merge };
  }
  if (SPLIT_RE.test(text)) {
    const n = SPLIT_SOURCE_RE.exec(rest(text, SPLIT_RE));
    const source = n ? countOf(n[1]!) : null;
    return code && codes.length === 1 && source ? { name: 'split', code, source } : { name: 'usage', usage: USAGE.split };
  }
  if (AGENDA_RE.test(text)) return { name: 'agenda', codes, topic: rest(text, AGENDA_RE) || null };
  // 「社情民意 JM-XS-2026-0001」 drafts from a consultation's records; its code must not be read as a record's.
  const consultationCode = WRITEUP_RE.test(text) ? findConsultationCode(text) : null;
  if (consultationCode) return { name: 'writeup', code: consultationCode };
  if (WRITEUP_RE.test(text)) return code ? { name: 'writeup', code } : text.trim().length <= 8 ? { name: 'usage', usage: USAGE.writeup } : null;
  // 「交办 JM-… 区住建局 7天」 and the anchors' 「JM-… 交办区住建局 时限7天」 both work.
  if (ASSIGN_LEAD_RE.test(text) && code && text.length <= 80) {
    const { due, remainder } = parseDue(rest(text, ASSIGN_RE));
    const department = remainder.replace(FILLER_RE, '').trim() || null;
    return { name: 'assign', code, department, due };
  }
  if (QUERY_RE.test(text) && code && text.length <= 40) return { name: 'query', code };
  if (QUERY_RE.test(text) && !code) return { name: 'usage', usage: USAGE.query };
  return null;
}

const HELP_MEMBER = [
  '直接发送或转发（含合并转发）群众反映的问题，我会登记、分类并确定镇街，给出编号。',
  '查询 <编号>：查看一条记录的状态和处理经过，例如「查询 JM-2026-0042」',
  '我的记录：查看我反映过的记录',
  '满意／基本满意／不满意：对已办结的记录作回访评价',
  '绑定 <绑定码>：用管理员给的 8 位绑定码关联你的账号',
  '帮助：显示本说明',
];

const HELP_STAFF = [
  '本周待办：待研判、已逾期、本周到期的记录（也可以问「这周还有啥没办」）',
  USAGE.assign,
  USAGE.close,
  USAGE.visit,
  USAGE.reject,
  USAGE.merge,
  USAGE.split,
  '拟议程 <编号…或议题>：起草微协商议程',
  '社情民意 <记录或协商编号>：起草社情民意信息',
  ...WRITEUP_HELP,
  '周报 [本周|上周] [镇街]：本周通报',
  '委员履职：委员履职统计',
  ...CONSULTATION_HELP,
  '所有修改先给出预览，回复「确认」执行、「取消」放弃（也可以点预览下的按钮）。',
];

export function helpText(role: Role | null): string {
  const lines = [...HELP_MEMBER];
  if (role === 'staff' || role === 'admin') lines.push('', '【工作人员】', ...HELP_STAFF);
  if (role === 'admin') lines.push('', '【管理员】', USAGE.addPerson, '人员：查看人员名单及绑定情况');
  return lines.join('\n');
}

/** Kept for callers that show the member help without a role. */
export const HELP_TEXT = helpText(null);
