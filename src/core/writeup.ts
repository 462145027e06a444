/**
 * 社情民意信息 write-up from the data: 标题 / 基本情况 / 存在问题 / 意见建议, one issue per piece,
 * at most 1500 characters, every suggestion answering the problem with the same number. Refused (with the
 * reason) when the exclusion rules in writeup-rules.ts hit. Input texts are already masked; residents'
 * contact details are left out of the text altogether (writeup-text.ts).
 */
import { checkExclusions, type Exclusion } from './writeup-rules.js';
import { clipSentence, firstClause, residentSentences, withoutNames } from './writeup-text.js';
import { formatShanghai } from './time.js';

export const WRITEUP_MAX_CHARS = 1500;

export interface WriteupRecord {
  code: string;
  summary: string;
  excerptMasked: string;
  affectedCount: number;
  createdAt: number;
  place: string | null;
  status: string;
  dueAt: number | null;
  department: string | null;
}

/** A decision of the 微协商 the write-up is drawn from (协商纪要's 决定：事项｜责任单位｜时限). */
export interface WriteupDecision {
  text: string;
  owner: string;
  dueAt: number | null;
  done: boolean;
}

export interface WriteupInput {
  townName: string;
  categoryLabel: string;
  departments: string[];
  records: WriteupRecord[];
  decisions?: WriteupDecision[];
  now: number;
}

export interface Writeup {
  title: string;
  basic: string;
  problems: string[];
  suggestions: string[];
  recordCodes: string[];
}

export type WriteupResult = { ok: true; writeup: Writeup; text: string } | { ok: false; exclusions: Exclusion[] };

// Topic → what fixing it usually takes; the first hit shapes suggestion 1.
const REMEDIES: ReadonlyArray<[RegExp, string]> = [
  [/路灯|照明/, '尽快修复损坏路灯，并纳入日常巡查'],
  [/噪音|噪声|扰民/, '加强执法巡查，依法查处噪声扰民行为'],
  [/停车|车位/, '挖潜增设停车泊位，规范停车秩序'],
  [/漏水|积水|内涝|排水|管网/, '排查相关管网，限期完成维修'],
  [/垃圾|清运|卫生/, '增加清运频次，落实保洁责任'],
  [/油烟|异味|臭/, '督促相关经营者安装并正常使用净化设施，加强监测'],
  [/道路|路面|坑洼|破损/, '对破损路段进行修复，设置安全警示'],
  [/红绿灯|信号灯|交通/, '优化交通组织和信号配时，增设必要的交通设施'],
];
const OPEN_LATE = new Set(['unresolved', 'reopened']);
const DAY_MS = 86_400_000;

const NUMERALS = ['一', '二', '三', '四', '五', '六'];
const SENTENCE_END_RE = /[。！!？?]+$/;
const bare = (s: string): string => s.replace(SENTENCE_END_RE, '');
const day = (ms: number): string => formatShanghai(ms).slice(0, 10);

export function draftWriteup(input: WriteupInput): WriteupResult {
  const rs = input.records;
  const allText = rs.map((r) => `${r.summary} ${r.excerptMasked}`).join('\n');
  const exclusions = checkExclusions(allText);
  if (exclusions.length) return { ok: false, exclusions };

  const reports = rs.reduce((n, r) => n + Math.max(1, r.affectedCount), 0);
  const places = [...new Set(rs.map((r) => r.place).filter((p): p is string => !!p))];
  const where = `${input.townName}${places.length ? places.join('、') : ''}`;
  const main = rs[0]!;
  const said = residentSentences(main.excerptMasked).join('');
  // The text names its town and 社区 first; the title and the problem say them once, in front.
  const words = withoutNames(said, [input.townName, ...places]);
  const subject = words ? firstClause(words) : `${input.categoryLabel}方面`;
  const first = Math.min(...rs.map((r) => r.createdAt));
  const span = Math.round((input.now - first) / DAY_MS);
  const decisions = (input.decisions ?? [])
    .map((d) => ({ ...d, text: bare(residentSentences(d.text).join('')) }))
    .filter((d) => d.text);
  const owners = [...new Set(decisions.map((d) => d.owner))];
  const dept = rs.find((r) => r.department)?.department ?? (owners.length ? owners.join('、') : null) ?? input.departments[0] ?? '相关职能部门';
  const remedy = REMEDIES.find(([re]) => re.test(allText))?.[1] ?? '开展现场核查，制定整改方案';
  const late = rs.filter((r) => OPEN_LATE.has(r.status) || (r.dueAt !== null && r.dueAt < input.now && !['resolved', 'visited', 'duplicate', 'rejected'].includes(r.status)));

  const pairs: Array<[string, string]> = [
    [`${where}${words ? bare(clipSentence(words, 40)) : `${input.categoryLabel}方面的问题`}，群众反映集中（${reports} 人次），影响日常生活。`, `由${dept}牵头，${remedy}，明确完成时限并向反映群众反馈。`],
  ];
  if (span >= 7 || rs.length > 1) {
    pairs.push([`问题自 ${day(first)} 起被反复反映，持续约 ${Math.max(1, span)} 天，尚未根本解决。`, `建立定期巡查和群众反馈机制，由${input.townName}每月通报进展，防止问题反复。`]);
  }
  if (late.length) pairs.push([`已有 ${late.length} 件超过办理时限或未能解决，办理进度滞后。`, '对超期件实行挂牌督办，承办单位说明原因并限期办结。']);
  if (decisions.length) {
    const open = decisions.filter((d) => !d.done).length;
    pairs.push([
      `微协商议定的 ${decisions.length} 项措施${open ? `尚有 ${open} 项未完成` : '已全部完成'}，需巩固成效、防止反复。`,
      `由${owners.join('、')}按协商分工${open ? '限期落实' : '巩固整改成效'}，并向反映群众反馈结果。`,
    ]);
  } else if (!rs.some((r) => r.department)) {
    pairs.push(['目前尚未明确承办单位，存在责任主体不清的情况。', `明确${input.departments.join('、') || '相关职能部门'}的牵头和配合责任，避免推诿。`]);
  }
  const agreed = decisions.length
    ? `${input.townName}已就此召开微协商，议定：${decisions.map((d) => `${d.text}（${d.owner}${d.dueAt ? `，${day(d.dueAt)} 前` : ''}${d.done ? '，已完成' : ''}）`).join('；')}。`
    : '';

  let excerptChars = 160;
  for (;;) {
    const quoted = said ? `收集到群众反映：${clipSentence(said, excerptChars)}` : `收集到群众反映的${input.categoryLabel}方面问题。`;
    const basic = `近期，区政协委员通过${input.townName}委员活动室${quoted}截至 ${day(input.now)}，共登记 ${rs.length} 件、${reports} 人次，分类为${input.categoryLabel}。${agreed}`;
    const writeup: Writeup = {
      title: `关于解决${where}${clipTitle(subject)}问题的建议`,
      basic,
      problems: pairs.map(([p]) => p),
      suggestions: pairs.map(([, s]) => s),
      recordCodes: rs.map((r) => r.code),
    };
    const text = renderWriteup(writeup);
    if (text.length <= WRITEUP_MAX_CHARS || excerptChars <= 20) return { ok: true, writeup, text: text.slice(0, WRITEUP_MAX_CHARS) };
    excerptChars = Math.floor(excerptChars / 2);
  }
}

const TITLE_SUBJECT_CHARS = 20;
const clipTitle = (s: string): string => (s.length > TITLE_SUBJECT_CHARS ? `${s.slice(0, TITLE_SUBJECT_CHARS)}…` : s);

export function renderWriteup(w: Writeup): string {
  return [
    `标题：${w.title}`,
    '', '一、基本情况', w.basic,
    '', '二、存在问题', ...w.problems.map((p, i) => `（${NUMERALS[i] ?? i + 1}）${p}`),
    '', '三、意见建议', ...w.suggestions.map((s, i) => `（${NUMERALS[i] ?? i + 1}）针对问题${NUMERALS[i] ?? i + 1}：${s}`),
    '', `来源记录：${w.recordCodes.join('、')}`,
  ].join('\n');
}

export function renderRefusal(code: string, exclusions: Exclusion[]): string {
  return [`${code} 不宜形成社情民意信息：`, ...exclusions.map((e) => `- ${e.kind}：${e.reason}（命中「${e.matched}」）`)].join('\n');
}
