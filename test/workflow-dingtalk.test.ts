import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDailyReminders } from '../src/app/reminders.js';
import { type FakeDingtalk, startFakeDingtalk } from './fakes/fake-dingtalk.js';
import { postDingtalk, robotMessage, textBody } from './support/dingtalk-events.js';
import { startTestServer, type TestServer } from './support/runtime.js';

const CODE_RE = /JM-\d{4}-\d{4}/;

describe('DingTalk: previews confirmed by reply, updates to the group thread and the member 1:1', () => {
  let fake: FakeDingtalk;
  let s: TestServer;
  let n = 0;
  beforeAll(async () => {
    fake = await startFakeDingtalk();
    s = await startTestServer({ env: { DINGTALK_APP_KEY: fake.appKey, DINGTALK_APP_SECRET: fake.appSecret, DINGTALK_API_BASE: fake.url } });
    await s.deps.store.upsertPerson({ id: 'p_staff', name: '灌口小李', role: 'staff', townCode: '350211102', identities: [{ platform: 'dingtalk', externalId: 'dingtalk:staff-01' }] }, Date.now());
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  /** Sends a text as `staffId` in a conversation with its own live session; returns what the bot answered there. */
  async function send(text: string, o: { staffId: string; conversationId: string; group?: boolean; sid: string }) {
    n += 1;
    const body = robotMessage(textBody(text), { msgId: `msgWF${n}==`, conversationId: o.conversationId, staffId: o.staffId, group: o.group ?? false, session: fake.session(o.sid) });
    expect((await postDingtalk(s.url, body, { secret: fake.appSecret })).status).toBe(200);
    await s.settle();
    return fake.deliveries.filter((d) => d.to === o.sid);
  }

  it('交办 previews with 确认/取消 buttons, 确认 applies it, the group thread and the member hear of it', async () => {
    const group = { staffId: 'member-01', conversationId: 'cidWFgroup==', group: true, sid: 'wf-group' };
    const staff = { staffId: 'staff-01', conversationId: 'cidWFstaff==', sid: 'wf-staff' };
    const [receipt] = await send('灌口镇上头村路口的路灯坏了两个月，晚上很黑', group);
    const code = CODE_RE.exec(receipt!.text)![0];

    const preview = (await send(`交办 ${code} 区市政园林局 7天`, staff)).at(-1)!;
    expect(preview.text).toContain('请确认：交办');
    expect(preview.buttons).toEqual(['确认', '取消']);
    expect((await s.deps.store.getRecord(code))!.status).toBe('registered');

    expect((await send('确认', staff)).at(-1)!.text).toContain('已执行');
    expect((await s.deps.store.getRecord(code))!).toMatchObject({ status: 'assigned', department: '区市政园林局' });
    expect(fake.deliveries.filter((d) => d.to === 'wf-group').at(-1)!.text).toContain('已交办');
    expect(fake.deliveries.filter((d) => d.route === 'user' && d.to === 'member-01').map((d) => d.text).join()).toContain('已交办');

    // A reminder with no staff chat for 灌口 goes to its staff member 1:1, by bare staff id.
    const later = Date.now() + 8 * 86_400_000;
    expect(await sendDailyReminders(s.deps, later)).toBeGreaterThan(0);
    await s.settle();
    expect(fake.deliveries.filter((d) => d.route === 'user' && d.to === 'staff-01').map((d) => d.text).join()).toContain(code);
  });

  /** What pressing a button makes the DingTalk client type: the `content` of its dtmd:// link. */
  const pressed = (d: { buttons: string[]; urls: string[] }, title: string) =>
    new URL(d.urls[d.buttons.indexOf(title)]!).searchParams.get('content')!;

  it('each button names what it answers: an older preview\'s 确认 and an older 回访 prompt act on their own item', async () => {
    const member = { staffId: 'member-02', conversationId: 'cidWFm2==', sid: 'wf-m2' };
    const staff = { staffId: 'staff-01', conversationId: 'cidWFstaff2==', sid: 'wf-staff2' };
    const a = CODE_RE.exec((await send('灌口镇上头村菜市场门口污水横流，臭味很大', member))[0]!.text)![0];
    const b = CODE_RE.exec((await send('灌口镇上头村公交站的雨棚被风刮坏了', member)).at(-1)!.text)![0];

    // Two previews: the first one's own 确认 button no longer applies anything.
    const older = (await send(`不予受理 ${a} 不属实`, staff)).at(-1)!;
    expect((await send(`交办 ${b} 区交通运输局`, staff)).at(-1)!.text).toContain('请确认');
    expect((await send(pressed(older, '确认'), staff)).at(-1)!.text).toContain('已被之后的预览取代');
    expect((await s.deps.store.getRecord(a))!.status).toBe('registered');
    expect((await send('确认', staff)).at(-1)!.text).toContain('已执行');
    for (const command of [`办结 ${b} 已解决 雨棚已修复`, `交办 ${a} 区环保局`, `办结 ${a} 已解决 已清理`]) {
      expect((await send(command, staff)).at(-1)!.text).toContain('请确认');
      expect((await send('确认', staff)).at(-1)!.text).toContain('已执行');
    }

    // B's 回访 prompt came first, A's last: 不满意 pressed on B's prompt rates B, not the newest.
    const prompts = fake.deliveries.filter((d) => d.to === 'wf-m2' && d.buttons.includes('不满意'));
    const promptB = prompts.find((d) => d.text.includes(b))!;
    expect(prompts.at(-1)!.text).toContain(a);
    const preview = (await send(pressed(promptB, '不满意'), member)).at(-1)!;
    expect(preview.text).toContain(`回访 ${b}`);
    expect((await send(pressed(preview, '确认'), member)).at(-1)!.text).toContain(`已记录回访：${b}`);
    expect((await s.deps.store.getRecord(b))!.status).toBe('reopened');
    expect((await s.deps.store.getRecord(a))!.status).toBe('resolved');
  });
});
