import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCardAction, buildFeishuEvent, FEISHU, type FeishuHarness, messageId, recordFromReceipt, replyTo, startFeishuHarness } from './support/feishu-events.js';

const STAFF = 'ou_staff_wang';

describe('Feishu: preview cards with 确认/取消 buttons and the 回访 buttons', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness();
    h.fake.users.set(STAFF, '王干事');
    await h.server.deps.store.upsertPerson({ id: 'p_staff', name: '王干事', role: 'staff', townCode: null, identities: [{ platform: 'feishu', externalId: `feishu:${STAFF}` }] }, Date.now());
  });
  afterAll(async () => {
    await h.close();
  });

  async function staffSays(text: string) {
    const id = messageId('staff');
    await h.post(buildFeishuEvent({ messageId: id, senderOpenId: STAFF, chatId: 'oc_staff_p2p', content: { text } }));
    await h.server.settle();
    return replyTo(h.fake, id);
  }

  async function press(value: Record<string, string>, operator: string) {
    const res = await h.post(buildCardAction(value, { operatorOpenId: operator }));
    await h.server.settle();
    return (await res.json()) as { toast?: { type: string; content: string } };
  }

  it('交办 → card with buttons → 确认 applies it and posts the update into the member\'s thread', async () => {
    const original = messageId('member');
    await h.post(buildFeishuEvent({ messageId: original, content: { text: '灌口镇上头村路口的路灯坏了两个月，晚上很黑' } }));
    await h.server.settle();
    const rec = await recordFromReceipt(h, original);

    const [preview] = await staffSays(`交办 ${rec.code} 区市政园林局 7天`);
    expect(preview!.buttons).toEqual(['确认', '取消']);
    const confirm = preview!.values[0]!;
    expect(confirm.action).toBe('confirm');
    // Someone else pressing the author's button changes nothing.
    expect((await press(confirm, FEISHU.memberOpenId)).toast?.type).toBe('error');
    expect((await h.server.deps.store.getRecord(rec.code))!.status).toBe('registered');

    const ok = await press(confirm, STAFF);
    expect(ok.toast).toMatchObject({ type: 'success' });
    expect((await h.server.deps.store.getRecord(rec.code))!.status).toBe('assigned');
    expect((await press(confirm, STAFF)).toast?.type).toBe('error'); // a second click does nothing
    const thread = replyTo(h.fake, original).map((c) => c.text);
    expect(thread.at(-1)).toContain('已登记 → 已交办');

    await staffSays(`办结 ${rec.code} 已解决 已更换灯具`);
    await staffSays('确认');
    const visit = replyTo(h.fake, original).at(-1)!;
    expect(visit.buttons).toEqual(['满意', '基本满意', '不满意']);
    expect((await press(visit.values[2]!, 'ou_someone_else')).toast?.type).toBe('error');
    expect((await press(visit.values[2]!, FEISHU.memberOpenId)).toast?.type).toBe('success');
    const after = await h.server.deps.store.getRecord(rec.code);
    expect(after!.status).toBe('reopened');
    const evs = await h.server.deps.store.recordEvents(after!.id);
    expect(evs.map((e) => `${e.type}:${e.to ?? ''}:${e.actorId}`)).toEqual([
      'created:registered:feishu:ou_member_zhang',
      `status:assigned:feishu:${STAFF}`,
      `status:resolved:feishu:${STAFF}`,
      'visit:visited:feishu:ou_member_zhang',
      'status:reopened:feishu:ou_member_zhang',
    ]);
  });

  it('a record forwarded in a group: the update goes into the group thread and 1:1 to the member', async () => {
    const original = messageId('group_member');
    await h.post(buildFeishuEvent({
      messageId: original, chatType: 'group', chatId: 'oc_town_group',
      content: { text: '@_user_1 杏林街道杏北社区垃圾站满了没人清运' }, mentions: [{ key: '@_user_1', openId: FEISHU.botOpenId, name: '民意助手' }],
    }));
    await h.server.settle();
    const rec = await recordFromReceipt(h, original);
    await staffSays(`交办 ${rec.code} 区市政园林局 5天`);
    await staffSays('确认');
    expect(replyTo(h.fake, original).at(-1)!.text).toContain('已登记 → 已交办');
    const direct = h.fake.posted.filter((p) => p.via === 'create' && p.receiveIdType === 'open_id' && p.chatId === FEISHU.memberOpenId);
    expect(direct).toHaveLength(1);
    expect(direct[0]!.content).toContain(rec.code);
  });

  it('取消 on the card discards the preview', async () => {
    const original = messageId('member2');
    await h.post(buildFeishuEvent({ messageId: original, content: { text: '后溪镇城内村垃圾站臭味很大，夏天苍蝇多' } }));
    await h.server.settle();
    const rec = await recordFromReceipt(h, original);
    const [preview] = await staffSays(`不予受理 ${rec.code} 已由12345受理`);
    expect((await press(preview!.values[1]!, STAFF)).toast?.content).toContain('已取消');
    expect((await press(preview!.values[0]!, STAFF)).toast?.type).toBe('error');
    expect((await h.server.deps.store.getRecord(rec.code))!.status).toBe('registered');
  });
});
