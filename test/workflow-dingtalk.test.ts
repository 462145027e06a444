import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDailyReminders } from '../src/app/reminders.js';
import { type FakeDingtalk, startFakeDingtalk } from './fakes/fake-dingtalk.js';
import { chatRecordBody, chatRecordContent, postDingtalk, robotMessage, textBody } from './support/dingtalk-events.js';
import { startTestServer, type TestServer } from './support/runtime.js';

const CODE_RE = /JM-\d{4}-\d{4}/;

describe('DingTalk: previews confirmed by reply, updates to the group thread and the member 1:1', () => {
  let fake: FakeDingtalk;
  let s: TestServer;
  let n = 0;
  beforeAll(async () => {
    fake = await startFakeDingtalk();
    s = await startTestServer({ env: fake.env });
    await s.deps.store.upsertPerson({ id: 'p_staff', name: '灌口小李', role: 'staff', townCode: '350211102', identities: [{ platform: 'dingtalk', externalId: 'dingtalk:staff-01' }] }, Date.now());
    await s.deps.store.upsertPerson({ id: 'p_member_gk', name: '陈委员', role: 'member', townCode: '350211102', identities: [{ platform: 'dingtalk', externalId: 'dingtalk:member-gk' }] }, Date.now());
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  /** Sends a text as `staffId` in a conversation with its own live session; returns what the bot answered there. */
  async function send(text: string | Record<string, unknown>, o: { staffId: string; conversationId: string; group?: boolean; sid: string }) {
    n += 1;
    const body = robotMessage(typeof text === 'string' ? textBody(text) : text, { msgId: `msgWF${n}==`, conversationId: o.conversationId, staffId: o.staffId, group: o.group ?? false, session: fake.session(o.sid) });
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

  it('the town question offers all six 镇街: five buttons, every option numbered, and 6 answers it', async () => {
    const member = { staffId: 'member-03', conversationId: 'cidWFm3==', sid: 'wf-m3' };
    const question = (await send('小区门口的垃圾堆了一个星期没人清理，臭得很', member)).at(-1)!;
    expect(question.buttons).toEqual(['集美街道', '侨英街道', '杏林街道', '杏滨街道', '灌口镇']);
    for (const [i, town] of ['集美街道', '侨英街道', '杏林街道', '杏滨街道', '灌口镇', '后溪镇'].entries()) expect(question.text).toContain(`${i + 1}. ${town}`);
    expect(question.text).toContain('后溪镇没有按钮，回复序号 6 或名称即可');
    const code = CODE_RE.exec(question.text)![0];

    expect((await send('6', member)).at(-1)!.text).toContain('后溪镇');
    expect((await s.deps.store.getRecord(code))!.townName).toBe('后溪镇');
  });

  it('a receipt whose corrections do not all fit: five buttons, the rest typed, and the typed form works', async () => {
    const member = { staffId: 'member-gk', conversationId: 'cidWFgk==', sid: 'wf-gk' };
    const receipt = (await send('楼下的路灯坏了半个月，晚上出门很不方便', member)).at(-1)!;
    const code = CODE_RE.exec(receipt.text)![0];
    expect(receipt.buttons).toHaveLength(5);
    expect(receipt.text).toContain(`没有按钮的请回复「更正 ${code} 镇街 <镇街>」`);
    expect(receipt.text).toMatch(/镇街可选：[^\n]*后溪镇/);
    expect(receipt.buttons.join()).not.toContain('后溪镇');

    expect((await send(`更正 ${code} 镇街 后溪镇`, member)).at(-1)!.text).toContain('后溪镇');
    expect((await s.deps.store.getRecord(code))!.townName).toBe('后溪镇');
  });

  it('in a group, where a pressed button never reaches the bot, each message says what to type with @我, and that works', async () => {
    const group = { staffId: 'member-gk', conversationId: 'cidWFgroup2==', group: true, sid: 'wf-group2' };
    const receipt = (await send('楼道里的灯坏了好几天了，老人上下楼很危险', group)).at(-1)!;
    const code = CODE_RE.exec(receipt.text)![0];
    expect(receipt.text).toContain(`在群里按钮发不到我这里，请 @我 回复「更正 ${code} 分类 <分类>」或「更正 ${code} 镇街 <镇街>」更正`);
    expect(receipt.text).toMatch(/镇街可选：集美街道、侨英街道、杏林街道、杏滨街道、灌口镇、后溪镇/);
    const category = /分类可选：([^、；\n]+)/.exec(receipt.text)![1]!;
    expect((await send(`更正 ${code} 分类 ${category}`, group)).at(-1)!.text).toContain(category);
    expect((await s.deps.store.getRecord(code))!.categoryName).toBe(category);

    const asker = { staffId: 'member-04', conversationId: 'cidWFgroup2==', group: true, sid: 'wf-group2b' };
    const question = (await send('小区里的健身器材坏了很久，一直没人修', asker)).at(-1)!;
    expect(question.text).not.toContain('点选');
    expect(question.text).toContain('在群里按钮发不到我这里，请 @我 回复序号或名称');
    const asked = CODE_RE.exec(question.text)![0];
    await send('2', asker);
    expect((await s.deps.store.getRecord(asked))!.townName).toBe('侨英街道');

    const staff = { staffId: 'staff-01', conversationId: 'cidWFgroup2==', group: true, sid: 'wf-group2c' };
    const preview = (await send(`交办 ${code} 区市政园林局`, staff)).at(-1)!;
    const typed = /在群里按钮发不到我这里，请 @我 回复「(确认 \S+)」或「(取消 \S+)」/.exec(preview.text);
    expect(typed).not.toBeNull();
    expect((await send(typed![1]!, staff)).at(-1)!.text).toContain('已执行');
    expect((await s.deps.store.getRecord(code))!.status).toBe('assigned');
  });

  it('a chat record DingTalk sent incomplete keeps the words only its summary has, and the member is asked to forward again', async () => {
    const member = { staffId: 'member-05', conversationId: 'cidWFm5==', sid: 'wf-m5' };
    const listed = [{ name: '李四', text: '杏林街道杏林村菜市场门口污水横流' }];
    const summary = [...listed, { name: '王五', text: '臭得很，电话13800001111' }, { name: '钱七', text: '晚上还有人往沟里乱倒垃圾' }];
    const replies = await send(chatRecordBody(chatRecordContent('杏林居民群的聊天记录', listed, { summaryFor: summary })), member);
    const code = CODE_RE.exec(replies[0]!.text)![0];
    expect(replies.at(-1)!.text).toContain('聊天记录不完整');
    expect(replies.at(-1)!.text).toContain('请把聊天记录再转发给我一次');

    // Staff's text (raw export) keeps who said what and marks the lines only the summary had; every text
    // that leaves the database has those residents' words too, masked.
    const { text } = s.runtime.sqlite.sqlite.prepare('select text from records where code = ?').get(code) as { text: string };
    expect(text.split('\n')).toEqual([
      '[聊天记录] 杏林居民群的聊天记录',
      expect.stringMatching(/^李四 .*：杏林街道杏林村菜市场门口污水横流$/),
      '[以下仅见于聊天记录摘要，钉钉未转来原消息]',
      '  王五：臭得很，电话13800001111',
      '  钱七：晚上还有人往沟里乱倒垃圾',
      '（平台提示：转发的聊天记录可能不完整）',
    ]);
    const api = (await (await s.api(`/api/records/${code}`)).json()) as { record: { textMasked: string } };
    expect(api.record.textMasked).toBe('杏林街道杏林村菜市场门口污水横流\n臭得很，电话138****1111\n晚上还有人往沟里乱倒垃圾');
  });
  it("words sent as a reply to the bot's receipt are a 补充说明 on its record, not a new record; a reply quoting a person is a report", async () => {
    const member = { staffId: 'member-gk', conversationId: 'cidWFnote==', sid: 'wf-note' };
    const [receipt] = await send('灌口镇东辉社区幼儿园门口的减速带坏了，车开得很快', member);
    const code = CODE_RE.exec(receipt!.text)![0];
    const before = (await (await s.api('/api/records?limit=100')).json()) as { records: unknown[] };
    const quoting = (senderId: string, quoted: string, words: string) => ({
      msgtype: 'text',
      text: { content: words, isReplyMsg: true, repliedMsg: { msgId: 'msgQuoted==', msgType: 'text', senderId, createdAt: Date.now(), content: { text: quoted } } },
    });

    const note = (await send(quoting('$:LWCP_v1:$botTESTdingtalkId0001', receipt!.text, '补充：昨天又有孩子差点被撞 13912345678'), member)).at(-1)!;
    expect(note.text).toContain(`已将补充说明记入 ${code}`);
    const after = (await (await s.api('/api/records?limit=100')).json()) as { records: unknown[] };
    expect(after.records).toHaveLength(before.records.length);
    const staff = { staffId: 'staff-01', conversationId: 'cidWFstaff==', sid: 'wf-staff' };
    expect((await send(`查询 ${code}`, staff)).at(-1)!.text).toContain('补充说明（陈委员）：补充：昨天又有孩子差点被撞 139****5678');

    // The same words quoting a colleague who happened to name the code are the member's own message.
    const other = (await send(quoting('$:LWCP_v1:$someoneElse', `${code} 那条我也听说了`, '后溪镇后溪村村口垃圾堆了三天没人清运'), member)).at(-1)!;
    expect(other.text).not.toContain('补充说明');
    expect(other.text).toMatch(CODE_RE);
    expect(CODE_RE.exec(other.text)![0]).not.toBe(code);
  });
});
