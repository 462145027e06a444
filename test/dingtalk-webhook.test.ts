import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDingtalk, startFakeDingtalk } from './fakes/fake-dingtalk.js';
import { chatRecordBody, chatRecordContent, type MessageOptions, postDingtalk, robotMessage, textBody } from './support/dingtalk-events.js';
import { startTestServer, type TestServer } from './support/runtime.js';

describe('DingTalk through the real server', () => {
  let fake: FakeDingtalk;
  let s: TestServer;
  let n = 0;

  beforeAll(async () => {
    fake = await startFakeDingtalk();
    s = await startTestServer({ env: fake.env });
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  const sql = <T>(q: string, ...args: unknown[]) => s.runtime.sqlite.sqlite.prepare(q).all(...args) as T[];
  const inbound = (key: string) => sql<{ id: string; state: string; outcome: string | null }>('select id, state, outcome from inbound_messages where platform = ? and message_key = ?', 'dingtalk', key);
  const sessionOf = (id: string) => fake.deliveries.filter((d) => d.to === id);
  const post = (body: unknown, o: { timestamp?: number; headers?: Record<string, string | undefined> } = {}) => postDingtalk(s.url, body, { secret: fake.appSecret, ...o });

  /** A message in its own conversation with its own live session; returns the msgId and session id. */
  function message(typed: Record<string, unknown>, o: MessageOptions = {}) {
    n += 1;
    const sid = `sess-${n}`;
    const msgId = `msgT${n}==`;
    const body = robotMessage(typed, { msgId, conversationId: `cidT${n}==`, session: fake.session(sid), ...o });
    return { body, msgId, sid };
  }

  async function recordOf(msgId: string) {
    const [row] = inbound(msgId);
    const outcome = JSON.parse(row!.outcome ?? '{}') as { items?: Array<{ code: string }> };
    const code = outcome.items?.[0]?.code;
    expect(code).toBeTruthy();
    return (await (await s.api(`/api/records/${code}`)).json()) as { record: { code: string; textMasked: string; townName: string | null }; sources: unknown[] };
  }

  it('a signed text is persisted, answered 200, filed, and receipted in markdown through the session webhook', async () => {
    const m = message(textBody('灌口镇上头村路口下雨就积水，路灯也坏了两个月，晚上出行很危险'));
    const res = await post(m.body);
    expect(res.status).toBe(200);
    expect(inbound(m.msgId)).toHaveLength(1);
    await s.settle();
    const { record } = await recordOf(m.msgId);
    const [receipt, ...rest] = sessionOf(m.sid);
    expect(rest).toHaveLength(0);
    expect(receipt!.text).toContain(record.code);
    expect(receipt!.text).toContain('已登记');
    expect(['markdown', 'actionCard']).toContain(receipt!.msgKey);
  });

  it('a correction button on the receipt (it sends 「更正 …」 as the member) changes the record', async () => {
    const m = message(textBody('小区门口的人行道砖松动，老人走路容易摔倒，侨英街道'));
    await post(m.body);
    await s.settle();
    const { record } = await recordOf(m.msgId);
    expect(record.townName).toBe('侨英街道');
    const [receipt] = sessionOf(m.sid);
    expect(decodeURIComponent(JSON.stringify(receipt))).toContain(`更正 ${record.code}`);
    const fix = robotMessage(textBody(`更正 ${record.code} 镇街 杏林街道`), { msgId: `msgFix${n}==`, conversationId: `cidT${n}==`, session: fake.session(`sess-fix-${n}`) });
    await post(fix);
    await s.settle();
    const after = (await (await s.api(`/api/records/${record.code}`)).json()) as { record: { townName: string }; events: Array<{ type: string }> };
    expect(after.record.townName).toBe('杏林街道');
    expect(after.events.map((e) => e.type)).toContain('town');
    expect(sessionOf(`sess-fix-${n}`)[0]!.text).toContain('杏林街道');
  });

  it('a bad signature, missing headers and an hour-old timestamp get 401 and write nothing', async () => {
    const bad = message(textBody('坏签名'));
    expect((await post(bad.body, { headers: { sign: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } })).status).toBe(401);
    expect((await post(bad.body, { headers: { sign: undefined } })).status).toBe(401);
    expect((await post(bad.body, { headers: { timestamp: undefined, sign: undefined } })).status).toBe(401);
    expect((await post(bad.body, { timestamp: Date.now() - 3600_000 - 60_000 })).status).toBe(401);
    expect(inbound(bad.msgId)).toHaveLength(0);
  });

  it('a signed body that is not JSON gets 400 and writes nothing', async () => {
    const before = sql<{ n: number }>('select count(*) as n from inbound_messages')[0]!.n;
    expect((await post('{not json')).status).toBe(400);
    expect(sql<{ n: number }>('select count(*) as n from inbound_messages')[0]!.n).toBe(before);
  });

  it('the same msgId three times is one record and one reply', async () => {
    const m = message(textBody('杏林街道杏前路的井盖松动，车辆经过哐哐响，担心有人摔倒'));
    for (let i = 0; i < 3; i++) expect((await post(m.body)).status).toBe(200);
    await s.settle();
    expect(inbound(m.msgId)).toHaveLength(1);
    await recordOf(m.msgId);
    expect(sessionOf(m.sid)).toHaveLength(1);
  });

  it('a nested chat record becomes ONE record whose text keeps every resident\'s words', async () => {
    const inner = chatRecordContent('楼栋群的聊天记录', [{ name: '王阿姨', text: '后溪镇新村3号楼电梯又坏了三天' }, { name: '赵师傅', text: '物业电话一直打不通' }]);
    const m = message(chatRecordBody(chatRecordContent('后溪镇居民群的聊天记录', [
      { name: '李四', text: '后溪镇新村电梯经常停运' },
      { name: '王五', type: 'chatRecord', content: JSON.stringify(inner) },
      { name: '孙六', text: '老人上下楼很困难，希望尽快修' },
    ])));
    expect((await post(m.body)).status).toBe(200);
    await s.settle();
    const { record } = await recordOf(m.msgId);
    const outcome = JSON.parse(inbound(m.msgId)[0]!.outcome!) as { items: unknown[] };
    expect(outcome.items).toHaveLength(1);
    for (const words of ['电梯经常停运', '电梯又坏了三天', '物业电话一直打不通', '老人上下楼很困难']) expect(record.textMasked).toContain(words);
    // Who said what stays in the database for staff; the API shows the words, the residents' names masked.
    expect(record.textMasked).not.toMatch(/王阿姨|孙六|聊天记录/);
    const [raw] = sql<{ text: string }>('select text from records where code = ?', record.code);
    for (const who of ['王阿姨', '孙六', '后溪镇居民群的聊天记录']) expect(raw!.text).toContain(who);
    expect(sessionOf(m.sid)[0]!.text).toContain(record.code);
  });

  it('richText and recognised audio are filed; picture, file, video and unknownMsgType get a polite answer', async () => {
    const rich = message({ msgtype: 'richText', content: { richText: [{ text: '集美街道龙船河边垃圾堆积发臭' }, { type: 'picture', downloadCode: 'dl-1' }] } });
    const audio = message({ msgtype: 'audio', content: { downloadCode: 'dl-a', recognition: '侨英街道叶厝社区夜市噪音扰民到凌晨', duration: 5 } });
    const polite = [
      message({ msgtype: 'picture', content: { downloadCode: 'dl-p' } }),
      message({ msgtype: 'file', content: { fileName: '诉求.docx', downloadCode: 'dl-f' } }),
      message({ msgtype: 'video', content: { downloadCode: 'dl-v', duration: 3 } }),
      message({ msgtype: 'unknownMsgType', content: { unknownMsgType: '用户发送了一条消息，机器人暂不支持接收。' } }),
    ];
    for (const m of [rich, audio, ...polite]) expect((await post(m.body)).status).toBe(200);
    await s.settle();
    for (const m of [rich, audio]) expect((await recordOf(m.msgId)).record.code).toMatch(/^JM-/);
    expect((await recordOf(rich.msgId)).record.textMasked).toContain('[图片]');
    for (const m of polite) {
      expect(inbound(m.msgId)[0]!.state).toBe('done');
      const [reply, ...rest] = sessionOf(m.sid);
      expect(rest).toHaveLength(0);
      expect(reply!.text).toContain('暂时无法读取');
    }
  });

  it('an expired session webhook falls back to the OpenAPI: 1:1 to the member, group to the conversation', async () => {
    const p2p = message(textBody('杏滨街道碧溪社区停车位太少，晚上车都停到人行道上'), { staffId: 'staff-9' });
    fake.refuseSession(p2p.sid);
    (p2p.body as Record<string, unknown>).sessionWebhookExpiredTime = Date.now() - 1000;
    const grp = message(textBody('灌口镇东辉村的路灯坏了很久，晚上黑漆漆的'), { group: true });
    fake.refuseSession(grp.sid);
    (grp.body as Record<string, unknown>).sessionWebhookExpiredTime = Date.now() - 1000;
    for (const m of [p2p, grp]) expect((await post(m.body)).status).toBe(200);
    await s.settle();
    const p2pCode = (await recordOf(p2p.msgId)).record.code;
    const grpCode = (await recordOf(grp.msgId)).record.code;
    expect(fake.deliveries.filter((d) => d.route === 'user' && d.to === 'staff-9').map((d) => d.text).join()).toContain(p2pCode);
    expect(fake.deliveries.filter((d) => d.route === 'group' && d.to === (grp.body as { conversationId: string }).conversationId).map((d) => d.text).join()).toContain(grpCode);
    expect(sessionOf(p2p.sid)).toHaveLength(0);
  });

  it('a group reply to a chat record files its summary and asks for the record 1:1', async () => {
    const m = message({ msgtype: 'text', text: { content: ' 请登记', isReplyMsg: true, repliedMsg: { msgId: 'x', msgType: 'chatRecord', content: { title: '侨英街道居民群的聊天记录', summary: '李四:侨英街道叶厝社区垃圾三天没人清\n王五:臭得不行' } } } }, { group: true });
    expect((await post(m.body)).status).toBe(200);
    await s.settle();
    const { record } = await recordOf(m.msgId);
    expect(record.textMasked).toContain('垃圾三天没人清');
    const texts = sessionOf(m.sid).map((d) => d.text);
    expect(texts).toHaveLength(2);
    expect(texts.join('\n')).toContain(record.code);
    expect(texts.join('\n')).toContain('单独转发给我');
  });

  it('a group message that does not @ the robot is kept but not answered', async () => {
    const m = message(textBody('大家好'), { group: true, atBot: false });
    expect((await post(m.body)).status).toBe(200);
    await s.settle();
    expect(inbound(m.msgId)[0]!.state).toBe('ignored');
    expect(sessionOf(m.sid)).toHaveLength(0);
  });
});
