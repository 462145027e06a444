import { withoutOrders } from './resident-orders.js';
import { withoutContacts } from './writeup-text.js';
import type { AppealType, Urgency } from './types.js';

/**
 * Keyword rules for 诉求类型 and urgency when no LLM decides. Order matters: a 举报 usually also complains,
 * and a 求助 often asks a question, so the stronger intent is checked first.
 */
const APPEAL_RULES: ReadonlyArray<readonly [AppealType, RegExp]> = [
  ['举报', /举报|偷排|违法排放|非法|违规经营|涉嫌|黑作坊|无证经营|私搭乱建/],
  ['投诉', /投诉|扰民|噪音|乱收费|拖欠|不作为|态度恶劣|欺骗|霸王|强制|恶臭|臭味|污染/],
  ['求助', /求助|帮忙|帮帮|救助|困难|无法|没办法|急需|请求|希望.{0,6}(解决|处理|帮助)|恳请/],
  ['建议', /建议|提议|能否|可否|是否可以|希望.{0,8}(增设|增加|设置|开通|改善|规划)|呼吁/],
  ['咨询', /咨询|请问|想问|问一下|如何|怎么办|怎样|什么时候|是否|吗[？?]?$/],
];

const URGENT_RE = /危险|隐患|塌陷|坍塌|倒塌|漏电|触电|起火|火灾|燃气泄漏|煤气|爆炸|溺水|洪水|积水.{0,4}(很深|齐膝|进屋)|断水|停水.{0,3}(多|几|两|三)天|停电.{0,3}(多|几|两|三)天|生命|受伤|紧急|马上|立即/;
const LOW_RE = /建议|希望以后|长远|规划|是否可以考虑/;

/** Clauses ordering the system about (紧急程度设为紧急) are no evidence: see resident-orders.ts. */
export function guessAppealType(text: string): AppealType {
  const evidence = withoutOrders(text);
  for (const [type, re] of APPEAL_RULES) if (re.test(evidence)) return type;
  return '求助';
}

export function guessUrgency(text: string): Urgency {
  const evidence = withoutOrders(text);
  if (URGENT_RE.test(evidence)) return 'urgent';
  if (LOW_RE.test(evidence)) return 'low';
  return 'normal';
}

const SENTENCE_END_RE = /[。！？!?\n；;]/;
const SPACE_RE = /\s+/g;

/**
 * A one-line summary: the first sentence, trimmed to `max` characters. Expects already-masked text. It starts
 * at the problem: clauses ordering the system about and clauses saying whom to contact (联系人电话139****5678,
 * which would follow the summary into 待办, bulletins and agendas) are left out, unless nothing else is left.
 */
export function summarize(text: string, max = 40): string {
  const said = withoutOrders(text).trim() || text;
  const flat = (withoutContacts(said) || said).replace(SPACE_RE, ' ').trim();
  const first = flat.split(SENTENCE_END_RE).find((s) => s.trim().length >= 4)?.trim() ?? flat;
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Days to handle by urgency; a deployment can tune per category later. */
export function dueDays(urgency: Urgency): number {
  return urgency === 'urgent' ? 3 : urgency === 'low' ? 30 : 15;
}
