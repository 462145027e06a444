import { describe, expect, it } from 'vitest';
import { BotError } from '../src/core/errors.js';
import { findRecordCode, formatRecordCode, parseRecordCode } from '../src/core/record-code.js';
import { allowedNext, assertTransition, isOpen, statusLabel } from '../src/core/status.js';
import { shanghaiDate, shanghaiWeek } from '../src/core/time.js';

describe("the record's life", () => {
  it('follows the documented path from 已登记 to 已回访 and 重办', () => {
    expect(() => assertTransition('registered', 'assigned')).not.toThrow();
    expect(() => assertTransition('assigned', 'in_progress')).not.toThrow();
    expect(() => assertTransition('in_progress', 'resolved')).not.toThrow();
    expect(() => assertTransition('resolved', 'visited')).not.toThrow();
    expect(() => assertTransition('visited', 'reopened', '群众不满意')).not.toThrow();
    expect(() => assertTransition('registered', 'in_consultation')).not.toThrow();
  });

  it('refuses jumps the process does not allow and names the allowed ones', () => {
    expect(() => assertTransition('registered', 'visited')).toThrow(BotError);
    try {
      assertTransition('registered', 'resolved');
    } catch (e) {
      expect((e as BotError).code).toBe('invalid_transition');
      expect((e as BotError).message).toContain('已交办');
    }
    expect(allowedNext('duplicate')).toEqual([]);
    expect(allowedNext('rejected')).toEqual([]);
  });

  it('requires a reason for 未解决, 不予受理 and 重办', () => {
    expect(() => assertTransition('in_progress', 'unresolved')).toThrow(/原因/);
    expect(() => assertTransition('registered', 'rejected', '  ')).toThrow(/原因/);
    expect(() => assertTransition('in_progress', 'unresolved', '涉及历史遗留问题')).not.toThrow();
  });

  it('knows which statuses are open', () => {
    expect(isOpen('registered')).toBe(true);
    expect(isOpen('awaiting_info')).toBe(true);
    expect(isOpen('reopened')).toBe(true);
    expect(isOpen('resolved')).toBe(false);
    expect(isOpen('duplicate')).toBe(false);
    expect(statusLabel('unresolved')).toBe('已办结·未解决');
  });
});

describe('record codes', () => {
  it('formats and parses JM-2026-0042', () => {
    expect(formatRecordCode('JM', 2026, 42)).toBe('JM-2026-0042');
    expect(formatRecordCode('JM', 2026, 12345)).toBe('JM-2026-12345');
    expect(parseRecordCode('JM-2026-0042')).toEqual({ prefix: 'JM', year: 2026, seq: 42 });
    expect(parseRecordCode('JM-26-42')).toBeNull();
  });

  it('finds a code typed loosely in chat', () => {
    expect(findRecordCode('查询 jm-2026-42 的进度')).toBe('JM-2026-0042');
    expect(findRecordCode('查询JM - 2026 - 0042')).toBe('JM-2026-0042');
    expect(findRecordCode('路灯坏了 2026 年')).toBeNull();
  });
});

describe('Asia/Shanghai calendar', () => {
  it('puts 2026-11-26 23:30 Beijing time on Thursday, in the week starting Monday 11-23', () => {
    const t = Date.UTC(2026, 10, 26, 15, 30); // 23:30 +08:00
    expect(shanghaiDate(t)).toMatchObject({ year: 2026, month: 11, day: 26, weekday: 4 });
    const w = shanghaiWeek(t);
    expect(new Date(w.start).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(w.end - w.start).toBe(7 * 86_400_000);
  });

  it('treats Sunday 23:59 as the end of the week, and Monday 00:00 as a new one', () => {
    const sunday = Date.UTC(2026, 10, 29, 15, 59);
    const monday = Date.UTC(2026, 10, 29, 16, 0);
    expect(shanghaiWeek(sunday).start).toBe(Date.UTC(2026, 10, 22, 16, 0));
    expect(shanghaiWeek(monday).start).toBe(Date.UTC(2026, 10, 29, 16, 0));
    expect(shanghaiWeek(monday, -1).start).toBe(shanghaiWeek(sunday).start);
  });

  it('dates a record filed at 00:30 on 1 January Beijing time in the new year', () => {
    expect(shanghaiDate(Date.UTC(2026, 11, 31, 16, 30)).year).toBe(2027);
  });
});
