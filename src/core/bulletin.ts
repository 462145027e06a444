/**
 * The weekly bulletin (通报) from figures the store counted: 新增/累计 with 环比, by category, by 镇街,
 * hot problems with a typical (masked) case, 交办/办结/逾期, 按时办结率, 微协商, 社情民意.
 *
 * 按时办结率 is the honest formula (DESIGN.md): closed on time / (closed + open past due). Closing late
 * counts against the rate, and so does an item left open past its due date — which a rate over closed
 * items alone would hide. "Closed" means 已办结 (resolved or unresolved, visited after); duplicates and
 * rejections are neither. The rate is null (shown as "—") when nothing was due, never 100 %.
 */

/**
 * The week's records of one category and town with the same affected count: how many, and the lowest code
 * among them. Enough for every count and for the typical case (most reported, then lowest code), and a
 * district's week at a million records is about a thousand of these instead of six thousand records.
 */
export interface BulletinGroup {
  categoryCode: string;
  categoryName: string;
  townName: string | null;
  affectedCount: number;
  records: number;
  firstCode: string;
}

/** A group as the store reads it; the bulletin counts it under its level-1 category and town name. */
export type WeekGroup = Omit<BulletinGroup, 'townName'> & { townCode: string | null };

export interface BulletinData {
  scopeName: string;
  weekStart: number;
  weekEnd: number;
  /** Records created in the week, grouped. */
  week: BulletinGroup[];
  prevWeekCount: number;
  cumulative: number;
  assigned: number;
  /** Closed in the week: how many by their due date. */
  closed: number;
  closedOnTime: number;
  /** Open at the end of the week (or now, if earlier) and past their due date. */
  openPastDue: number;
  consultationsHeld: number;
  consultationsPlanned: number;
  writeupsSubmitted: number;
  writeupsAdopted: number;
}

export interface BulletinRow {
  name: string;
  count: number;
}

export interface HotProblem {
  category: string;
  records: number;
  reports: number;
  typical: { code: string; text: string };
}

/** The figures as the store counts them: the week's groups not yet named. */
export type BulletinFigures = Omit<BulletinData, 'week'> & { week: WeekGroup[] };

/** How the bulletin names its week: the running week, the one before it, or an earlier one. */
export type WeekWord = '本周' | '上周' | '该周';

export interface Bulletin {
  title: string;
  period: string;
  weekWord: WeekWord;
  newCount: number;
  prevCount: number;
  /** Week-on-week change in percent; null when last week had none. */
  changePct: number | null;
  cumulative: number;
  byCategory: BulletinRow[];
  byTown: BulletinRow[];
  hot: HotProblem[];
  assigned: number;
  closed: number;
  closedOnTime: number;
  openPastDue: number;
  onTimeRate: number | null;
  consultations: { held: number; planned: number };
  writeups: { submitted: number; adopted: number };
}

const HOT_LIMIT = 3;
const TYPICAL_CHARS = 60;
const DAY_MS = 86_400_000;
const WHITESPACE = /\s+/g;

function countBy(groups: BulletinGroup[], key: (g: BulletinGroup) => string): BulletinRow[] {
  const m = new Map<string, number>();
  for (const g of groups) m.set(key(g), (m.get(key(g)) ?? 0) + g.records);
  return [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

const recordsIn = (groups: BulletinGroup[]) => groups.reduce((n, g) => n + g.records, 0);

function ymd(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The week's hottest categories: records, reports, and the typical case (most reported, ties by lowest code). */
function hotCategories(week: BulletinGroup[]): { name: string; records: number; reports: number; typicalCode: string }[] {
  return countBy(week, (g) => g.categoryName).slice(0, HOT_LIMIT).map((row) => {
    const groups = week.filter((g) => g.categoryName === row.name);
    const typical = groups.reduce((best, g) => (g.affectedCount > best.affectedCount || (g.affectedCount === best.affectedCount && g.firstCode.localeCompare(best.firstCode) < 0) ? g : best));
    return {
      name: row.name, records: row.count, reports: groups.reduce((n, g) => n + g.records * Math.max(1, g.affectedCount), 0),
      typicalCode: typical.firstCode,
    };
  });
}

/** The records whose text the bulletin quotes as typical cases: the store reads only these texts. */
export function typicalCodes(week: BulletinGroup[]): string[] {
  return hotCategories(week).map((c) => c.typicalCode);
}

/** `excerpts`: the masked text of each of `typicalCodes(d.week)`. */
export function buildBulletin(d: BulletinData, excerpts: ReadonlyMap<string, string>, weekWord: WeekWord = '本周'): Bulletin {
  const hot = hotCategories(d.week).map(({ name, records, reports, typicalCode }) => {
    const text = (excerpts.get(typicalCode) ?? '').replace(WHITESPACE, ' ');
    return {
      category: name, records, reports,
      typical: { code: typicalCode, text: text.length > TYPICAL_CHARS ? `${text.slice(0, TYPICAL_CHARS)}…` : text },
    };
  });
  const newCount = recordsIn(d.week);
  const denominator = d.closed + d.openPastDue;
  return {
    title: `${d.scopeName}社情民意周报`,
    period: `${ymd(d.weekStart)} 至 ${ymd(d.weekEnd - DAY_MS)}`,
    weekWord,
    newCount,
    prevCount: d.prevWeekCount,
    changePct: d.prevWeekCount === 0 ? null : Math.round(((newCount - d.prevWeekCount) / d.prevWeekCount) * 1000) / 10,
    cumulative: d.cumulative,
    byCategory: countBy(d.week, (g) => g.categoryName),
    byTown: countBy(d.week, (g) => g.townName ?? '待确认'),
    hot,
    assigned: d.assigned,
    closed: d.closed,
    closedOnTime: d.closedOnTime,
    openPastDue: d.openPastDue,
    onTimeRate: denominator === 0 ? null : Math.round((d.closedOnTime / denominator) * 1000) / 10,
    consultations: { held: d.consultationsHeld, planned: d.consultationsPlanned },
    writeups: { submitted: d.writeupsSubmitted, adopted: d.writeupsAdopted },
  };
}

function change(b: Bulletin): string {
  if (b.changePct === null) return b.prevCount === 0 && b.newCount > 0 ? '无法计算环比' : '持平';
  if (b.changePct === 0) return '环比持平';
  return `环比${b.changePct > 0 ? '上升' : '下降'} ${Math.abs(b.changePct)}%`;
}

/** Plain text with markdown-friendly bullets (DingTalk markdown, the API, a Feishu card's text); the title goes separately. */
export function renderBulletin(b: Bulletin): string {
  const rows = (rs: BulletinRow[]) => (rs.length ? rs.map((r) => `- ${r.name}：${r.count} 件`) : ['- 无']);
  const week = b.weekWord;
  // The week before this one: 上周 only when this one is the running week.
  const before = week === '本周' ? '上周' : '前一周';
  return [
    `一、总体情况：${week}新增 ${b.newCount} 件（${before} ${b.prevCount} 件，${change(b)}），累计 ${b.cumulative} 件。`,
    '', '二、分类分布', ...rows(b.byCategory),
    '', '三、镇街分布', ...rows(b.byTown),
    '', '四、热点问题', ...(b.hot.length ? b.hot.map((h, i) => `${i + 1}. ${h.category}：${h.records} 件、${h.reports} 人次；典型案例 ${h.typical.code}：${h.typical.text}`) : ['- 无']),
    '', `五、办理情况：交办 ${b.assigned} 件，办结 ${b.closed} 件（按时 ${b.closedOnTime} 件），逾期未办结 ${b.openPastDue} 件；按时办结率 ${b.onTimeRate === null ? '—' : `${b.onTimeRate}%`}（按时办结 ÷（办结 + 逾期未办结））。`,
    '', `六、微协商：${week}召开 ${b.consultations.held} 场，已安排 ${b.consultations.planned} 场。`,
    '', `七、社情民意信息：${week}报送 ${b.writeups.submitted} 篇，采用 ${b.writeups.adopted} 篇。`,
  ].join('\n');
}

/** A Feishu card chart element (VChart spec): new records by category. */
export function bulletinChart(b: Bulletin): Record<string, unknown> {
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'bar',
      title: { text: `${b.weekWord}新增（按分类）` },
      data: { values: b.byCategory.map((r) => ({ category: r.name, count: r.count })) },
      xField: 'category',
      yField: 'count',
    },
  };
}
