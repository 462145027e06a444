import { type ChatBody, completion, type FakeReply } from './fake-llm-server.js';

/**
 * A deterministic stand-in for a model that reads the prompt minyi sent: the code tables from the system
 * message, the numbered segments inside the data fence of the last user message. Keyword rules pick a
 * category; a segment starting with 另外/还有 starts a new problem. Good enough to exercise every path.
 */
const RULES: [RegExp, string][] = [
  [/油烟|噪音|噪声|污染|垃圾|臭|排污|焚烧/, '环境保护'],
  [/公交|停车|红绿灯|交通|站牌|车辆|拥堵/, '交通运输'],
  [/学校|幼儿园|教育|学位|体育|图书/, '教育文体'],
  [/工资|社保|养老|就业|欠薪|医保/, '劳动和社会保障'],
  [/医院|疫苗|卫生|诊所|看病/, '卫生计生'],
  [/商场|旅游|景区|市场|价格|消费/, '商贸旅游'],
  [/路灯|道路|施工|水管|停水|供水|井盖|违建|楼|小区/, '城乡建设'],
];
const NEW_PROBLEM_RE = /^(另外|还有|此外|再有)/;
const SEGMENT_RE = /^\[(\d+)\] (.*)$/;
const CODE_LINE_RE = /^(\S+) (?:.+ \/ )?(\S+)$/;

export function section(system: string, title: string): Map<string, string> {
  const lines = system.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  const out = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    const m = CODE_LINE_RE.exec(line);
    if (!m || line.endsWith('：') || line.startsWith('只输出')) break;
    out.set(m[2]!, m[1]!);
  }
  return out;
}

export function segmentsOf(body: ChatBody): string[] {
  // The last fenced message: a repair request comes after it and holds no segments.
  const last = body.messages.filter((m) => m.role === 'user' && m.content.includes('[1] ')).at(-1)?.content ?? '';
  return last.split('\n').map((l) => SEGMENT_RE.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => m[2]!);
}

export function modelAnswer(body: ChatBody): Record<string, unknown> {
  return { items: answerSegments(body.messages[0]!.content, segmentsOf(body)) };
}

function answerSegments(system: string, segs: string[]): Record<string, unknown>[] {
  const cats = section(system, '分类代码');
  const towns = section(system, '镇街代码');
  const groups: number[][] = [];
  segs.forEach((s, i) => {
    if (groups.length === 0 || NEW_PROBLEM_RE.test(s)) groups.push([]);
    groups[groups.length - 1]!.push(i + 1);
  });
  const fallbackCode = cats.get('其他') ?? [...cats.values()][0]!;
  const items = groups.map((g) => {
    const text = g.map((i) => segs[i - 1]).join('');
    const name = RULES.find(([re]) => re.test(text))?.[1];
    const townName = [...towns.keys()].find((t) => text.includes(t) || text.includes(t.slice(0, 2)));
    return {
      segments: g,
      category: (name && cats.get(name)) ?? fallbackCode,
      appealType: /投诉|扰民/.test(text) ? '投诉' : /建议/.test(text) ? '建议' : '求助',
      town: townName ? towns.get(townName)! : null,
      place: null,
      urgency: /停水|危险|安全/.test(text) ? 'urgent' : 'normal',
      summary: text.replace(/\s+/g, '').slice(0, 28) || '（无内容）',
      confidence: 0.88,
      rationale: name ? `关键词指向${name}` : '未见明确类别',
    };
  });
  return items;
}

const ENTRY_RE = /^条目 id=(\S+)$/;

/** A batch prompt's entries (id → numbered segments), read from the last user message like a model would. */
export function batchEntries(body: ChatBody): Map<string, string[]> {
  const last = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of last.split('\n')) {
    const id = ENTRY_RE.exec(line);
    if (id) out.set(id[1]!, (current = []));
    const seg = SEGMENT_RE.exec(line);
    if (seg && current) current.push(seg[2]!);
  }
  return out;
}

export const isBatch = (body: ChatBody): boolean => batchEntries(body).size > 0;

/** The answer to a batch prompt: one result per entry id, each answered like a single message. */
export function batchAnswer(body: ChatBody): { results: { id: string; items: Record<string, unknown>[] }[] } {
  const system = body.messages[0]!.content;
  return { results: [...batchEntries(body)].map(([id, segs]) => ({ id, items: answerSegments(system, segs) })) };
}

export const smartModel = (body: ChatBody): FakeReply =>
  completion(JSON.stringify(isBatch(body) ? batchAnswer(body) : modelAnswer(body)), body);
