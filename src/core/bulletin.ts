/**
 * The weekly bulletin (通报) from figures the store counted: 新增/累计 with 环比, by category, by 镇街,
 * hot problems with a typical (masked) case, 交办/办结/逾期, 按时办结率, 微协商, 社情民意.
 *
 * 按时办结率 is the honest formula (DESIGN.md): closed on time / (closed + open past due). Closing late
 * counts against the rate, and so does an item left open past its due date — which a rate over closed
 * items alone would hide. "Closed" means 已办结 (resolved or unresolved, visited after); duplicates and
 * rejections are neither. The rate is null (shown as "—") when nothing was due, never 100 %.
 */
export interface BulletinRecord {
  code: string;
  categoryCode: string;
  categoryName: string;
  townName: string | null;
  affectedCount: number;
}

/** A week's record as the store reads it; the bulletin counts it under its level-1 category and town name. */
export type WeekRecord = Omit<BulletinRecord, 'townName'> & { townCode: string | null };

export interface BulletinData {
  scopeName: string;
  weekStart: number;
  weekEnd: number;
  /** Records created in the week. */
  week: BulletinRecord[];
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

/** The figures as the store counts them: the week's records not yet named. */
export type BulletinFigures = Omit<BulletinData, 'week'> & { week: WeekRecord[] };

export interface Bulletin {
  title: string;
  period: string;
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

function countBy(rows: BulletinRecord[], key: (r: BulletinRecord) => string): BulletinRow[] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

function ymd(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The week's hottest categories, each with its records, the most reported first (ties by code). */
function hotCategories(week: BulletinRecord[]): { name: string; records: BulletinRecord[] }[] {
  return countBy(week, (r) => r.categoryName).slice(0, HOT_LIMIT).map((row) => ({
    name: row.name,
    records: week.filter((r) => r.categoryName === row.name).sort((a, b) => b.affectedCount - a.affectedCount || a.code.localeCompare(b.code)),
  }));
}

/** The records whose text the bulletin quotes as typical cases: the store reads only these texts. */
export function typicalCodes(week: BulletinRecord[]): string[] {
  return hotCategories(week).map((c) => c.records[0]!.code);
}

/** `excerpts`: the masked text of each of `typicalCodes(d.week)`. */
export function buildBulletin(d: BulletinData, excerpts: ReadonlyMap<string, string>): Bulletin {
  const hot = hotCategories(d.week).map(({ name, records }) => {
    const t = records[0]!;
    const text = (excerpts.get(t.code) ?? '').replace(WHITESPACE, ' ');
    return {
      category: name, records: records.length, reports: records.reduce((n, r) => n + Math.max(1, r.affectedCount), 0),
      typical: { code: t.code, text: text.length > TYPICAL_CHARS ? `${text.slice(0, TYPICAL_CHARS)}…` : text },
    };
  });
  const denominator = d.closed + d.openPastDue;
  return {
    title: `${d.scopeName}社情民意周报`,
    period: `${ymd(d.weekStart)} 至 ${ymd(d.weekEnd - DAY_MS)}`,
    newCount: d.week.length,
    prevCount: d.prevWeekCount,
    changePct: d.prevWeekCount === 0 ? null : Math.round(((d.week.length - d.prevWeekCount) / d.prevWeekCount) * 1000) / 10,
    cumulative: d.cumulative,
    byCategory: countBy(d.week, (r) => r.categoryName),
    byTown: countBy(d.week, (r) => r.townName ?? '待确认'),
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
  return [
    `一、总体情况：本周新增 ${b.newCount} 件（上周 ${b.prevCount} 件，${change(b)}），累计 ${b.cumulative} 件。`,
    '', '二、分类分布', ...rows(b.byCategory),
    '', '三、镇街分布', ...rows(b.byTown),
    '', '四、热点问题', ...(b.hot.length ? b.hot.map((h, i) => `${i + 1}. ${h.category}：${h.records} 件、${h.reports} 人次；典型案例 ${h.typical.code}：${h.typical.text}`) : ['- 无']),
    '', `五、办理情况：交办 ${b.assigned} 件，办结 ${b.closed} 件（按时 ${b.closedOnTime} 件），逾期未办结 ${b.openPastDue} 件；按时办结率 ${b.onTimeRate === null ? '—' : `${b.onTimeRate}%`}（按时办结 ÷（办结 + 逾期未办结））。`,
    '', `六、微协商：本周召开 ${b.consultations.held} 场，已安排 ${b.consultations.planned} 场。`,
    '', `七、社情民意信息：本周报送 ${b.writeups.submitted} 篇，采用 ${b.writeups.adopted} 篇。`,
  ].join('\n');
}

/** A Feishu card chart element (VChart spec): new records by category. */
export function bulletinChart(b: Bulletin): Record<string, unknown> {
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'bar',
      title: { text: '本周新增（按分类）' },
      data: { values: b.byCategory.map((r) => ({ category: r.name, count: r.count })) },
      xField: 'category',
      yField: 'count',
    },
  };
}
