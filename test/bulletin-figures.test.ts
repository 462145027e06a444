import { describe, expect, it } from 'vitest';
import { type BulletinData, type BulletinGroup, buildBulletin, typicalCodes } from '../src/core/bulletin.js';

const WEEK_START = Date.parse('2026-07-06T00:00:00+08:00');

function data(week: BulletinGroup[]): BulletinData {
  return {
    scopeName: '集美区', weekStart: WEEK_START, weekEnd: WEEK_START + 7 * 86_400_000, week, prevWeekCount: 4, cumulative: 100,
    assigned: 0, closed: 0, closedOnTime: 0, openPastDue: 0, consultationsHeld: 0, consultationsPlanned: 0, writeupsSubmitted: 0, writeupsAdopted: 0,
  };
}

const group = (categoryName: string, townName: string | null, affectedCount: number, records: number, firstCode: string): BulletinGroup =>
  ({ categoryCode: categoryName === '城乡建设' ? '01.01' : '02.01', categoryName, townName, affectedCount, records, firstCode });

/** The store hands the bulletin groups of records (category, town, affected count); counts must come out as per record. */
describe('bulletin figures from grouped records', () => {
  const week = [
    group('城乡建设', '灌口镇', 1, 3, 'JM-2026-0007'),
    group('城乡建设', '后溪镇', 1, 2, 'JM-2026-0003'),
    group('城乡建设', '灌口镇', 4, 1, 'JM-2026-0012'),
    group('环境保护', null, 1, 2, 'JM-2026-0001'),
  ];

  it('counts records, not groups, by category and town, and 人次 by each record’s reports', () => {
    const b = buildBulletin(data(week), new Map());
    expect(b.newCount).toBe(8);
    expect(b.changePct).toBe(100);
    expect(b.byCategory).toEqual([{ name: '城乡建设', count: 6 }, { name: '环境保护', count: 2 }]);
    expect(b.byTown).toEqual([{ name: '灌口镇', count: 4 }, { name: '后溪镇', count: 2 }, { name: '待确认', count: 2 }]);
    expect(b.hot.map((h) => [h.category, h.records, h.reports])).toEqual([['城乡建设', 6, 9], ['环境保护', 2, 2]]);
  });

  it('quotes the most reported record as typical, across towns, and the lowest code when reports tie', () => {
    expect(typicalCodes(week)).toEqual(['JM-2026-0012', 'JM-2026-0001']);
    const tied = week.filter((g) => g.affectedCount === 1);
    expect(typicalCodes(tied)).toEqual(['JM-2026-0003', 'JM-2026-0001']);
    const b = buildBulletin(data(tied), new Map([['JM-2026-0003', '后溪镇路灯不亮']]));
    expect(b.hot[0]!.typical).toEqual({ code: 'JM-2026-0003', text: '后溪镇路灯不亮' });
  });
});
