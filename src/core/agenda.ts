/**
 * The 微协商 agenda (一事一议), drafted from the records of one problem: DESIGN.md "Outputs the bot
 * drafts". Pure: the app gathers the data (records, members, departments, pairing) and this shapes it.
 */
import { formatShanghai } from './time.js';
import { fromProblem } from './writeup-text.js';

export type ConsultationType = 'bridge' | 'expertise';
export const CONSULTATION_TYPE_LABELS: Record<ConsultationType, string> = { bridge: '牵线搭桥型', expertise: '智力支持型' };

export interface AgendaRecord {
  code: string;
  summary: string;
  excerptMasked: string;
  affectedCount: number;
  createdAt: number;
  place: string | null;
  placeName: string | null;
}

export interface AgendaInput {
  topic: string | null;
  townName: string;
  categoryLabel: string;
  departments: string[];
  memberNames: string[];
  records: AgendaRecord[];
  pairing: { party: string; expertise: string | null } | null;
  now: number;
}

export interface AgendaStep {
  name: string;
  minutes: number;
  content: string;
}

export interface Agenda {
  topic: string;
  background: string[];
  type: ConsultationType;
  typeLabel: string;
  party: string | null;
  participants: { role: string; who: string }[];
  steps: AgendaStep[];
  questions: string[];
  outcomes: string[];
  followUp: { who: string; what: string; by: string }[];
  recordCodes: string[];
}

// Problems where a plan or a policy has to be worked out, not just a department brought to the table.
const EXPERTISE_RE = /规划|设计|方案|改造|加装电梯|政策|标准|技术|治理|提升|养老|托育|教育|医疗|转型|产业/;
// Problems inside a residential estate: the property company belongs at the table.
const PROPERTY_RE = /小区|物业|业主|楼道|电梯|车库|停车位|绿化|垃圾房|化粪池|单元/;
const EXCERPT_CHARS = 60;
const WHITESPACE = /\s+/g;
const DAY_MS = 86_400_000;

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);
const LEADING_PUNCTUATION = /^[\s，,：:、。]+/;
const withoutNames = (s: string, names: string[]): string =>
  names.reduce((text, name) => (name ? text.split(name).join('') : text), s).replace(LEADING_PUNCTUATION, '');

export function buildAgenda(input: AgendaInput): Agenda {
  const rs = input.records;
  const text = rs.map((r) => `${r.summary} ${r.excerptMasked}`).join(' ') + (input.topic ?? '');
  const reports = rs.reduce((n, r) => n + Math.max(1, r.affectedCount), 0);
  const first = rs.length ? Math.min(...rs.map((r) => r.createdAt)) : input.now;
  const last = rs.length ? Math.max(...rs.map((r) => r.createdAt)) : input.now;
  const places = [...new Set(rs.flatMap((r) => [r.placeName, r.place]).filter((p): p is string => !!p))];
  // The summary usually opens with the same town and place: named once, in front (关于后溪镇城内村自来水停水…).
  // A topic starts at the problem, not at a (masked) number the resident opened with.
  const subject = rs[0] ? clip(fromProblem(withoutNames(fromProblem(rs[0].summary), [input.townName, ...places])), 24) : input.categoryLabel;
  const topic = input.topic?.trim() || `关于${input.townName}${places[0] ? places[0] : ''}${subject || input.categoryLabel}问题的微协商`;
  const type: ConsultationType = input.pairing && EXPERTISE_RE.test(text) ? 'expertise' : 'bridge';
  const property = PROPERTY_RE.test(text);
  const departments = input.departments.length ? input.departments : ['相关职能部门'];

  const background = [
    rs.length
      ? `${formatShanghai(first).slice(0, 10)} 至 ${formatShanghai(last).slice(0, 10)}，${input.townName}共登记相关社情民意 ${rs.length} 件，反映 ${reports} 人次，分类：${input.categoryLabel}${places.length ? `，涉及 ${places.join('、')}` : ''}。`
      : `由工作人员提出，分类：${input.categoryLabel}。`,
    ...rs.slice(0, 5).map((r) => `${r.code}（${r.affectedCount} 人次）：${clip(r.excerptMasked.replace(WHITESPACE, ' '), EXCERPT_CHARS)}`),
  ];

  const participants = [
    { role: '政协委员', who: input.memberNames.length ? input.memberNames.join('、') : `${input.townName}政协工作联络组委员` },
    { role: '职能部门', who: departments.join('、') },
    { role: '社区/村', who: places.length ? `${places.join('、')}负责人` : `${input.townName}相关社区/村负责人` },
    { role: '居民代表', who: `反映问题的群众代表 ${Math.min(5, Math.max(2, reports))} 名` },
    ...(property ? [{ role: '物业企业', who: '涉及小区的物业服务企业负责人' }] : []),
    ...(type === 'expertise' && input.pairing ? [{ role: '民主党派', who: `${input.pairing.party}${input.pairing.expertise ? `（${input.pairing.expertise}）` : ''}` }] : []),
  ];

  const steps: AgendaStep[] = [
    { name: '情况通报', minutes: 15, content: `委员活动室通报问题由来与群众反映情况（${rs.length} 件、${reports} 人次）` },
    { name: '提问', minutes: 15, content: '居民代表、委员提出诉求和疑问' },
    { name: '解答', minutes: 20, content: `${departments.join('、')}说明政策依据、现状和已采取的措施` },
    { name: '发言讨论', minutes: 30, content: type === 'expertise' ? `${input.pairing!.party}提出专业意见，各方讨论解决方案` : '各方围绕解决方案发言讨论' },
    { name: '形成共识', minutes: 10, content: '归纳共识，明确分工、责任单位和完成时限' },
  ];

  const questions = [
    '问题的成因是什么，责任主体是谁？',
    '近期可以采取哪些措施，由谁负责、何时完成？',
    '需要建立什么长效机制，防止问题反复？',
    ...(property ? ['物业企业、业主和社区各自承担哪些责任？'] : []),
  ];

  const outcomes = ['形成协商共识意见，明确责任单位和完成时限', '向反映群众反馈协商结果', '视情形成社情民意信息报送区政协'];
  const due = (days: number) => formatShanghai(input.now + days * DAY_MS).slice(0, 10);
  const followUp = [
    { who: departments[0]!, what: '向委员活动室书面报告落实进展', by: `协商后 15 日内（约 ${due(21)}）` },
    { who: `${input.townName}委员活动室`, what: '跟踪办理，回访反映群众满意度', by: `协商后 30 日内（约 ${due(36)}）` },
    { who: `${input.townName}政协工作联络组`, what: '在联络组例会通报办理结果', by: '下次例会' },
  ];

  return {
    topic, background, type, typeLabel: CONSULTATION_TYPE_LABELS[type], party: type === 'expertise' ? (input.pairing?.party ?? null) : null,
    participants, steps, questions, outcomes, followUp, recordCodes: rs.map((r) => r.code),
  };
}

/** Markdown-ish text (DingTalk markdown, plain text on the API, inside a Feishu card). */
export function renderAgenda(a: Agenda): string {
  const total = a.steps.reduce((n, s) => n + s.minutes, 0);
  return [
    `议题：${a.topic}`,
    '', '一、背景', ...a.background.map((b) => `- ${b}`),
    '', `二、协商类型：${a.typeLabel}${a.party ? `（结对民主党派：${a.party}）` : ''}`,
    '', '三、参加人员', ...a.participants.map((p) => `- ${p.role}：${p.who}`),
    '', `四、议程（约 ${total} 分钟）`, ...a.steps.map((s, i) => `${i + 1}. ${s.name}（${s.minutes} 分钟）：${s.content}`),
    '', '五、需协商的问题', ...a.questions.map((q, i) => `${i + 1}. ${q}`),
    '', '六、预期成果', ...a.outcomes.map((o) => `- ${o}`),
    '', '七、后续跟踪', ...a.followUp.map((f) => `- ${f.who}：${f.what}，${f.by}`),
    ...(a.recordCodes.length ? ['', `关联记录：${a.recordCodes.join('、')}`] : []),
  ].join('\n');
}
