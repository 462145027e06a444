import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, ask, JIMEI, WED_10AM } from './support/workflow-helpers.js';

const BIND_RE = /绑定 ([0-9A-Z]{8})/;

describe('people: admins add and bind, roles decide what a person may do', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ clock: new FixedClock(WED_10AM) });
    await addPerson(s, 'admin', '管理员老郑', 'admin', null);
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
  });
  afterAll(async () => {
    await s.close();
  });

  it('adds a member on confirm and binds the account that sends the one-time code', async () => {
    expect(await ask(s, 's-jm', '添加委员 李明 灌口')).toContain('只有管理员');
    const preview = await ask(s, 'admin', '添加委员 李明 灌口');
    expect(preview).toContain('请确认：添加委员 李明');
    expect(preview).toContain('灌口镇');
    expect((await s.deps.store.listPeople('member')).map((p) => p.name)).toEqual([]);
    const done = await ask(s, 'admin', '确认');
    const code = BIND_RE.exec(done)?.[1];
    expect(code).toBeDefined();
    expect((await s.deps.store.listPeople('member')).map((p) => p.name)).toEqual(['李明']);

    expect(await ask(s, 'liming', '本周待办')).toContain('供工作人员使用');
    expect(await ask(s, 'liming', `绑定 ${code}`)).toContain('绑定成功：李明，委员，灌口镇');
    expect(await s.deps.store.findPerson('http', 'http:liming')).toMatchObject({ name: '李明', role: 'member', townCode: '350211102' });
    expect(await ask(s, 'someone-else', `绑定 ${code}`)).toContain('绑定码无效');
    expect(await ask(s, 'admin', '人员')).toContain('李明｜委员｜灌口镇｜http');
    // The same account bound again with a new person's code says which binding it replaced.
    await ask(s, 'admin', '添加工作人员 李明 灌口');
    const staffCode = BIND_RE.exec(await ask(s, 'admin', '确认'))![1]!;
    expect(await ask(s, 'liming', `绑定 ${staffCode.toLowerCase().replace(/(.{4})/, '$1-')}`)).toContain('绑定成功：李明，工作人员，灌口镇。此账号原先绑定的「李明」已解除');
    expect(await s.deps.store.findPerson('http', 'http:liming')).toMatchObject({ role: 'staff' });
    expect(await ask(s, 's-jm', '人员')).toContain('只有管理员');
  });

  it('shows each role its own help', async () => {
    expect(await ask(s, 'nobody', '帮助')).not.toContain('交办');
    expect(await ask(s, 's-jm', '帮助')).toContain('交办');
    expect(await ask(s, 'admin', '帮助')).toContain('添加委员');
  });

  it('adds district staff with 全区', async () => {
    await ask(s, 'admin', '添加工作人员 王芳 全区');
    expect(await ask(s, 'admin', '确认')).toContain('已添加工作人员 王芳（全区）');
  });

  it('添加 a name that someone already has: the preview names the namesake before a second person is made', async () => {
    const preview = await ask(s, 'admin', '添加委员 集美小王 侨英');
    expect(preview).toContain('注意：已有同名人员 集美小王（工作人员，集美街道，已绑定）');
    expect(preview).toContain('如是同一人，请取消');
    expect(await ask(s, 'admin', '取消')).toContain('已取消');
    expect(await ask(s, 'admin', '添加委员 赵新 侨英')).not.toContain('同名');
    await ask(s, 'admin', '取消');
  });

  it('routes 周报 and 委员履职 to the outputs, with their own refusals', async () => {
    expect(await ask(s, 'nobody', '周报')).toContain('周报仅限');
    const staff = await ask(s, 's-jm', '周报 上周');
    expect(staff).not.toContain('暂时无法');
    expect(staff.length).toBeGreaterThan(20);
    expect(await ask(s, 'admin', '委员履职')).not.toContain('暂时无法');
  });
});
