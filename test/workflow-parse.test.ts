import { describe, expect, it } from 'vitest';
import { parseCommand, USAGE } from '../src/core/commands.js';
import { shanghaiDateTime } from '../src/core/consultation-commands.js';
import { endOfLocalDay, resolveDue } from '../src/core/due-dates.js';
import { mayChange, maySee, workScope } from '../src/core/permissions.js';
import { formatShanghai } from '../src/core/time.js';
import type { Person, RecordView } from '../src/core/types.js';

const WED = Date.UTC(2026, 4, 13, 2, 0, 0); // 2026-05-13 10:00 Asia/Shanghai

describe('commands typed in chat', () => {
  it.each(['本周待办', '这周还有啥没办', '待办', '这周还有什么没办？', '本周的待办事项'])('reads 「%s」 as 本周待办', (text) => {
    expect(parseCommand(text)).toEqual({ name: 'todo' });
  });

  it('reads 交办 with a department and a 时限 in either order of code and verb', () => {
    expect(parseCommand('交办 JM-2026-0042 区市政园林局 7天')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区市政园林局', due: { days: 7 } });
    expect(parseCommand('jm-2026-42 交办区住建局 时限3日')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区住建局', due: { days: 3 } });
    expect(parseCommand('交办 JM-2026-0042 区建设局 2026-12-05')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区建设局', due: { date: '2026-12-05' } });
    expect(parseCommand('交办 JM-2026-0042')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: null, due: null });
  });

  it('reads 办结, 回访, 不予受理, 合并 and the admin commands', () => {
    expect(parseCommand('办结 JM-2026-0001 已解决 路灯已修复')).toEqual({ name: 'close', code: 'JM-2026-0001', resolved: true, reason: '路灯已修复' });
    expect(parseCommand('办结 JM-2026-0001 未解决 涉及规划调整')).toEqual({ name: 'close', code: 'JM-2026-0001', resolved: false, reason: '涉及规划调整' });
    expect(parseCommand('回访 JM-2026-0001 基本满意')).toMatchObject({ name: 'visit', code: 'JM-2026-0001', rating: 'basic' });
    expect(parseCommand('不满意')).toEqual({ name: 'visit', code: null, rating: 'unsatisfied', note: null });
    expect(parseCommand('不予受理 JM-2026-0001 属信访事项')).toEqual({ name: 'reject', code: 'JM-2026-0001', reason: '属信访事项' });
    expect(parseCommand('合并 JM-2026-0002 到 JM-2026-0001')).toEqual({ name: 'merge', from: 'JM-2026-0002', into: 'JM-2026-0001' });
    expect(parseCommand('添加工作人员 王芳 全区')).toEqual({ name: 'add_person', role: 'staff', personName: '王芳', town: null });
    expect(parseCommand('添加委员 李明 灌口')).toEqual({ name: 'add_person', role: 'member', personName: '李明', town: '灌口' });
    expect(parseCommand('绑定 k7m3-q9xp')).toEqual({ name: 'bind', bindCode: 'K7M3Q9XP' });
    expect(parseCommand('绑定 123456')).toEqual({ name: 'bind', bindCode: '123456' });
    expect(parseCommand('绑定 12345')).toEqual({ name: 'usage', usage: USAGE.bind });
    // A resident's words that begin with 绑定 are not a command.
    expect(parseCommand('绑定银行卡后被扣了两笔钱')).toBeNull();
    expect(parseCommand('周报 上周 灌口')).toEqual({ name: 'bulletin', week: 'last', town: '灌口' });
    expect(parseCommand('拟议程 JM-2026-0001 JM-2026-0002')).toEqual({ name: 'agenda', codes: ['JM-2026-0001', 'JM-2026-0002'], topic: null });
  });

  it('answers a half-typed write with its usage instead of filing it as a resident problem', () => {
    expect(parseCommand('办结 JM-2026-0001')).toMatchObject({ name: 'usage' });
    expect(parseCommand('合并 JM-2026-0001')).toMatchObject({ name: 'usage' });
    expect(parseCommand('拆分 JM-2026-0042 2')).toEqual({ name: 'split', code: 'JM-2026-0042', source: 2 });
    expect(parseCommand('拆出 JM-2026-0042 第3条')).toEqual({ name: 'split', code: 'JM-2026-0042', source: 3 });
    expect(parseCommand('拆分 JM-2026-0042 第２条')).toEqual({ name: 'split', code: 'JM-2026-0042', source: 2 });
    expect(parseCommand('拆分 JM-2026-0042 第二条')).toEqual({ name: 'split', code: 'JM-2026-0042', source: 2 });
    expect(parseCommand('拆分 JM-2026-0042 第十二条反映')).toEqual({ name: 'split', code: 'JM-2026-0042', source: 12 });
    expect(parseCommand('拆分 JM-2026-0042 二十三')).toEqual({ name: 'split', code: 'JM-2026-0042', source: 23 });
    expect(parseCommand('拆分 JM-2026-0042 十')).toEqual({ name: 'split', code: 'JM-2026-0042', source: 10 });
    expect(parseCommand('拆分 JM-2026-0042 二三')).toMatchObject({ name: 'usage' });
    expect(parseCommand('拆分 JM-2026-0042')).toMatchObject({ name: 'usage' });
    expect(parseCommand('拆分 JM-2026-0042 JM-2026-0043')).toMatchObject({ name: 'usage' });
    expect(parseCommand('拆分 JM-2026-0042 路灯那条')).toMatchObject({ name: 'usage' });
  });

  it('reads what a Chinese IME types: full-width codes and digits, Chinese numerals, a space inside 确认', () => {
    expect(parseCommand('查询 ＪＭ－２０２６－０００１')).toEqual({ name: 'query', code: 'JM-2026-0001' });
    expect(parseCommand('交办 JM-2026-0042 区市政园林局 ７天')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区市政园林局', due: { days: 7 } });
    expect(parseCommand('交办 JM-2026-0042 区交通运输局 七天')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区交通运输局', due: { days: 7 } });
    expect(parseCommand('交办 JM-2026-0042 区住建局 时限10个工作日')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区住建局', due: { workdays: 10 } });
    expect(parseCommand('交办 JM-2026-0042 区住建局 一个月')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区住建局', due: { months: 1 } });
    expect(parseCommand('交办 JM-2026-0042 区住建局 两周内')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区住建局', due: { days: 14 } });
    expect(parseCommand('交办 JM-2026-0042 区住建局 12月5日前')).toEqual({ name: 'assign', code: 'JM-2026-0042', department: '区住建局', due: { month: 12, day: 5 } });
    expect(parseCommand('确 认')).toEqual({ name: 'confirm', ref: null });
    expect(parseCommand('取 消')).toEqual({ name: 'cancel', ref: null });
    expect(parseCommand('办结 JM-2026-0001 解决了')).toEqual({ name: 'close', code: 'JM-2026-0001', resolved: true, reason: null });
    expect(parseCommand('办结 JM-2026-0001 已解决了，路灯已换')).toEqual({ name: 'close', code: 'JM-2026-0001', resolved: true, reason: '路灯已换' });
  });

  it('answers a command word it cannot complete with its usage, never files it as a report', () => {
    expect(parseCommand('查询')).toEqual({ name: 'usage', usage: USAGE.query });
    expect(parseCommand('更正 JM-2026-0001 灌口镇')).toEqual({ name: 'usage', usage: USAGE.correct });
    expect(parseCommand('更正')).toEqual({ name: 'usage', usage: USAGE.correct });
    // 安排协商's time is checked when it is previewed: month 13 is not rolled over into January.
    expect(shanghaiDateTime('2026-13-05 15:00')).toBeNull();
    expect(shanghaiDateTime('2026-02-30 15:00')).toBeNull();
    expect(shanghaiDateTime('2026-12-05 15:00')).toBe(Date.UTC(2026, 11, 5, 7, 0));
    // The documented 「拟议程 <议题>」: a topic, no code.
    expect(parseCommand('拟议程 老旧小区加装电梯')).toEqual({ name: 'agenda', codes: [], topic: '老旧小区加装电梯' });
  });

  it('leaves residents\' words alone', () => {
    expect(parseCommand('通报一下，我们小区的路灯坏了两个月了，晚上很黑')).toBeNull();
    expect(parseCommand('查询了好几次社保缴费记录都显示异常，窗口让我们自己想办法')).toBeNull();
    expect(parseCommand('更正一下，刚才说的是后溪镇那边的路口积水')).toBeNull();
    expect(parseCommand('社情民意：后溪镇垃圾站臭味大，希望尽快处理，居民意见很大')).toBeNull();
    expect(parseCommand('小区门口待办证件的人排队太长')).toBeNull();
  });
});

describe('due dates', () => {
  it('ends a 时限 at the end of the local day, and refuses a date in the past', () => {
    expect(formatShanghai(resolveDue({ days: 7 }, WED))).toBe('2026-05-20 23:59');
    expect(formatShanghai(resolveDue({ date: '2026-12-05' }, WED))).toBe('2026-12-05 23:59');
    expect(() => resolveDue({ date: '2026-05-01' }, WED)).toThrow(/已经过去/);
    expect(formatShanghai(endOfLocalDay(WED))).toBe('2026-05-13 23:59');
  });

  it('counts working days Monday to Friday, months by the calendar, and a month and day as the next one', () => {
    // Wednesday 05-13: 10 working days end on Wednesday 05-27, not on 05-23.
    expect(formatShanghai(resolveDue({ workdays: 10 }, WED))).toBe('2026-05-27 23:59');
    expect(formatShanghai(resolveDue({ workdays: 3 }, WED))).toBe('2026-05-18 23:59');
    expect(formatShanghai(resolveDue({ months: 1 }, WED))).toBe('2026-06-13 23:59');
    expect(formatShanghai(resolveDue({ months: 1 }, Date.UTC(2026, 0, 31, 2)))).toBe('2026-02-28 23:59');
    expect(formatShanghai(resolveDue({ month: 12, day: 5 }, WED))).toBe('2026-12-05 23:59');
    expect(formatShanghai(resolveDue({ month: 5, day: 1 }, WED))).toBe('2027-05-01 23:59');
    expect(formatShanghai(resolveDue({ month: 5, day: 13 }, WED))).toBe('2026-05-13 23:59');
    expect(() => resolveDue({ month: 2, day: 30 }, WED)).toThrow(/无效日期/);
    expect(() => resolveDue({ date: '2026-13-05' }, WED)).toThrow(/无效日期/);
    expect(() => resolveDue({ workdays: 0 }, WED)).toThrow(/工作日/);
  });
});

describe('permissions', () => {
  const rec = { filedBy: 'http:m1', townCode: '350211001' } as RecordView;
  const p = (role: Person['role'], townCode: string | null): Person => ({ id: 'x', name: 'x', role, townCode });
  it('lets members see the records they reported only (filed, or joined as "+1"), and staff change only their town (district staff all)', () => {
    const filed = [{ senderId: 'http:m1' }];
    expect(maySee('http:m1', p('member', '350211001'), rec, filed)).toBe(true);
    expect(maySee('http:m2', p('member', '350211001'), rec, filed)).toBe(false);
    expect(maySee('http:m2', p('member', '350211001'), rec, [...filed, { senderId: 'http:m2' }])).toBe(true);
    expect(mayChange(p('member', '350211001'), rec)).toBe(false);
    expect(mayChange(p('staff', '350211001'), rec)).toBe(true);
    expect(mayChange(p('staff', '350211102'), rec)).toBe(false);
    expect(mayChange(p('staff', null), rec)).toBe(true);
    expect(workScope(p('admin', '350211102'))).toEqual({ kind: 'district' });
    expect(workScope(null)).toEqual({ kind: 'none' });
  });
});
