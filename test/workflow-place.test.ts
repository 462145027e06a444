import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/core/types.js';
import { bundleItem, buildFeishuEvent, type FeishuHarness, messageId, replyTo, startFeishuHarness } from './support/feishu-events.js';
import { FixedClock } from './support/runtime.js';

const TOWN = { 集美: '350211001', 侨英: '350211002', 杏林: '350211003', 杏滨: '350211004', 灌口: '350211102', 后溪: '350211103' } as const;
const TOWNSHIPS = ['集美街道', '侨英街道', '杏林街道', '杏滨街道', '灌口镇', '后溪镇'];
const CODE_RE = /[A-Z]{1,6}-\d{4}-\d{4,}/;

const WU = 'ou_m_wu'; // 灌口镇
const ZHENG = 'ou_m_zheng'; // no town
const LIN = 'ou_m_lin'; // 集美街道
const STAFF_JM = 'ou_s_jm';
const XU = 'ou_m_xu'; // 集美街道, only chats here

describe('Feishu: where a problem is — questions, assumptions and corrections', () => {
  let h: FeishuHarness;
  const clock = new FixedClock(Date.now());

  beforeAll(async () => {
    h = await startFeishuHarness({ server: { clock } });
    const people: Array<[string, string, Role, string | null]> = [
      [WU, '吴委员', 'member', TOWN.灌口], [ZHENG, '郑委员', 'member', null], [LIN, '林委员', 'member', TOWN.集美], [STAFF_JM, '集美小王', 'staff', TOWN.集美],
      [XU, '许委员', 'member', TOWN.集美],
    ];
    for (const [openId, name, role, townCode] of people) {
      h.fake.users.set(openId, name);
      await h.server.deps.store.upsertPerson({ id: `p_${openId}`, name, role, townCode, identities: [{ platform: 'feishu', externalId: `feishu:${openId}` }] }, clock.now());
    }
  });
  afterAll(async () => {
    await h.close();
  });

  /** A 1:1 message from `from`; each arrives a little after the one before, as people type. */
  async function send(from: string, text: string, afterMs = 2000) {
    clock.advance(afterMs);
    const id = messageId('m');
    await h.post(buildFeishuEvent({ messageId: id, senderOpenId: from, chatId: `oc_p2p_${from}`, content: { text } }));
    await h.server.settle();
    const [card] = replyTo(h.fake, id);
    if (!card) throw new Error(`no reply to 「${text}」`);
    return card;
  }

  async function forward(from: string, items: Array<[string, string]>) {
    clock.advance(2000);
    const root = messageId('bundle');
    const t0 = clock.now() - 3_600_000;
    h.fake.addMessage([
      bundleItem(root, undefined, 'merge_forward', 'Merged and Forwarded Message', from, t0 + 100_000),
      ...items.map(([who, text], i) => bundleItem(`${root}_c${i}`, root, 'text', { text }, who, t0 + i * 1000)),
    ]);
    await h.post(buildFeishuEvent({ messageId: root, senderOpenId: from, chatId: `oc_p2p_${from}`, messageType: 'merge_forward', content: 'Merged and Forwarded Message' }));
    await h.server.settle();
    return replyTo(h.fake, root)[0]!;
  }

  const codeIn = (text: string) => CODE_RE.exec(text)![0];
  const rec = async (code: string) => (await h.server.deps.store.getRecord(code))!;
  const records = () => h.count('records');
  const townButtons = (buttons: string[]) => buttons.filter((b) => b.startsWith('镇街改为：')).map((b) => b.slice('镇街改为：'.length));

  it('asks which of the towns the text names when the member\'s own town is not one of them, and numbers the choices as shown', async () => {
    const q = await send(WU, '杏林街道和后溪镇交界那条路上的大货车超速很严重');
    expect(q.text).toContain('提到杏林街道、后溪镇，发生在哪个镇街');
    expect(q.text).not.toContain('推定');
    expect(q.buttons).toEqual(['杏林街道', '后溪镇']);
    const code = codeIn(q.text);
    expect(await rec(code)).toMatchObject({ status: 'awaiting_info', townCode: null });

    // 「2」 is the second choice shown (后溪镇), not the district's second town.
    const answered = await send(WU, '2');
    expect(answered.text).toContain('镇街：后溪镇');
    expect(await rec(code)).toMatchObject({ status: 'registered', townCode: TOWN.后溪, townAssumed: false });
    // 查询 shows the whole way: asked back (待补充), the town answered, registered.
    const history = (await send(WU, `查询 ${code}`)).text.split('处理经过：')[1]!;
    expect(history).toMatch(/登记 → 待补充[^\n]*\n.*更正镇街 → 后溪镇[^\n]*\n.*状态 → 已登记（吴委员）/);
  });

  it('asks between the spelled-out town and the 社区\'s own town when an address contradicts itself', async () => {
    // 孙厝社区 is in 侨英街道, not 集美街道: the bot must not file it under either without asking.
    const q = await send(WU, '集美街道孙厝社区凤林路的路灯坏了一个多星期，晚上一片漆黑');
    expect(q.text).toContain('提到集美街道、侨英街道，发生在哪个镇街');
    expect(q.buttons).toEqual(['集美街道', '侨英街道']);
    const code = codeIn(q.text);
    expect(await rec(code)).toMatchObject({ status: 'awaiting_info', townCode: null });

    const answered = await send(WU, '侨英街道');
    expect(answered.text).toContain('镇街：侨英街道');
    expect(await rec(code)).toMatchObject({ status: 'registered', townCode: TOWN.侨英, townAssumed: false, place: '孙厝社区' });
    expect(answered.text).toContain('侨英街道 · 孙厝社区');
  });

  it('lets the member\'s own town choose only among the towns named, and offers the others on the receipt', async () => {
    const receipt = await send(WU, '灌口镇和后溪镇交界的路段大货车很多，晚上很吵');
    expect(receipt.text).toContain('镇街：灌口镇（推定');
    expect(townButtons(receipt.buttons)).toEqual(['后溪镇']);
  });

  it('does not file a bundle whose residents name other towns under the member\'s own town', async () => {
    // The second resident leans on the first one's words, so the bundle is one problem naming two towns (a bundle
    // of two problems, one at each place, is a record each: bundle-items.test.ts).
    const q = await forward(WU, [
      ['ou_r1', '杏林街道杏北社区电梯经常停运，老人上下楼困难'],
      ['ou_r2', '集美街道岑西社区也是这样，电梯老坏'],
    ]);
    expect(q.text).toContain('请补充');
    expect(q.text).not.toContain('灌口镇');
    expect(q.buttons).toEqual(['集美街道', '杏林街道']);
    expect((await rec(codeIn(q.text))).townCode).toBeNull();
  });

  it('answers a place outside the district, or no place, with the question again and files nothing', async () => {
    const q = await send(ZHENG, '楼下餐馆油烟太大，排到居民窗户里');
    const code = codeIn(q.text);
    // The 镇街 are buttons; the farm units are named, to be typed.
    expect(q.buttons).toEqual(TOWNSHIPS);
    expect(q.text).toContain('天马华侨农场');
    const before = records();

    const outside = await send(ZHENG, '海沧');
    expect(outside.text).toContain('海沧不在本区（集美区）');
    expect(outside.text).toContain(code);
    expect(outside.buttons).toEqual(TOWNSHIPS);
    const unsure = await send(ZHENG, '不知道');
    expect(unsure.text).toContain('先保留为待补充');
    expect(unsure.buttons).toEqual(TOWNSHIPS);
    const broad = await send(ZHENG, '集美区');
    expect(broad.text).toContain('请具体到镇街');
    expect(records()).toBe(before);
    expect(await rec(code)).toMatchObject({ status: 'awaiting_info', townCode: null });

    // The question is still open: the next answer files the complaint itself.
    const answered = await send(ZHENG, '灌口');
    expect(answered.text).toContain('摘要：楼下餐馆油烟太大');
    expect(await rec(code)).toMatchObject({ status: 'registered', townCode: TOWN.灌口 });
    expect(records()).toBe(before);
  });

  it('reads an option number typed full-width as the option', async () => {
    const q = await send(WU, '杏林街道和后溪镇交界的桥下垃圾堆了很久没人清理');
    const code = codeIn(q.text);
    const answered = await send(WU, '２');
    expect(answered.text).toContain('镇街：后溪镇');
    expect(await rec(code)).toMatchObject({ status: 'registered', townCode: TOWN.后溪 });
  });

  it('files nothing for a message that is only a place or a courtesy, says what it needs, and keeps staff\'s 待办 clean', async () => {
    const before = records();
    const todoBefore = (await send(STAFF_JM, '本周待办')).text;
    const says = async (text: string) => (await send(XU, text)).text.replace(/^民意助手\n/, '');
    expect(await says('灌口')).toBe('请说明「灌口」发生了什么问题，例如「灌口镇…路灯坏了」。');
    expect(await says('在后溪那边')).toBe('请说明「后溪」发生了什么问题，例如「后溪镇…路灯坏了」。');
    expect(await says('海沧')).toBe('海沧不在本区（集美区），没有登记。反映本区的问题，请说明在哪里、发生了什么，例如「集美街道…路灯坏了」。');
    for (const text of ['好的', '收到', '不知道']) expect(await says(text)).toBe('好的。有新的社情民意，请说明在哪里、发生了什么，直接发给我即可。');
    expect(await says('谢谢！')).toBe('不客气。有新的社情民意，直接发给我即可。');
    expect(records()).toBe(before);
    expect((await send(STAFF_JM, '本周待办')).text).toBe(todoBefore);

    // Saying what is wrong, however briefly, is a report.
    const report = await send(XU, '灌口路灯坏了');
    expect(report.text).toContain('摘要：灌口路灯坏了');
    expect(records()).toBe(before + 1);
  });

  it('after a 推定 receipt, files nothing for a place outside the district or a courtesy, and still takes the correction', async () => {
    const receipt = await send(LIN, '小区门口的快递柜占了消防通道');
    const code = codeIn(receipt.text);
    const before = records();
    expect((await send(LIN, '海沧')).text).toContain('海沧不在本区（集美区），没有登记');
    expect((await send(LIN, '收到')).text).toContain('好的。');
    expect(records()).toBe(before);
    expect(await rec(code)).toMatchObject({ townCode: TOWN.集美, townAssumed: true });

    const corrected = await send(LIN, '在后溪那边');
    expect(corrected.text).toContain(`已更正 ${code}`);
    expect(await rec(code)).toMatchObject({ townCode: TOWN.后溪, townAssumed: false });
    expect(records()).toBe(before);
  });

  it('takes a farm unit typed by name as the answer', async () => {
    const q = await send(ZHENG, '宿舍楼的自来水发黄，烧开了还有沉淀');
    await send(ZHENG, '天马华侨农场');
    expect((await rec(codeIn(q.text))).townName).toBe('天马华侨农场');
  });

  it('offers the 镇街, not the farm units, as buttons on a 推定 receipt', async () => {
    const receipt = await send(LIN, '小区后面的健身器材坏了，一直没人修');
    expect(receipt.text).toContain('镇街：集美街道（推定');
    expect(townButtons(receipt.buttons)).toEqual(TOWNSHIPS.filter((t) => t !== '集美街道'));
  });

  it('corrects the town it just assumed when the member answers with a place only', async () => {
    const receipt = await send(LIN, '小区楼下的垃圾桶满了没人倒，臭味很大');
    const code = codeIn(receipt.text);
    const before = records();
    const reply = await send(LIN, '在后溪那边');
    expect(reply.text).toContain(`已更正 ${code}`);
    expect(reply.text).toContain('集美街道（推定）→ 后溪镇');
    expect(records()).toBe(before);
    expect(await rec(code)).toMatchObject({ townCode: TOWN.后溪, townAssumed: false });
    const events = await h.server.deps.store.recordEvents((await rec(code)).id);
    expect(events.at(-1)).toMatchObject({ type: 'town', from: '集美街道', to: '后溪镇', actorId: `feishu:${LIN}` });
  });

  it('corrects only within a few minutes, only a place-only reply, and only an assumed town', async () => {
    const late = codeIn((await send(LIN, '小区门口的人行道砖松动了，老人容易摔倒')).text);
    await send(LIN, '在后溪那边', 6 * 60_000);
    expect(await rec(late)).toMatchObject({ townCode: TOWN.集美, townAssumed: true });

    const report = codeIn((await send(LIN, '小区里流浪狗很多，晚上叫个不停')).text);
    const other = await send(LIN, '后溪那边井盖也丢了');
    expect(codeIn(other.text)).not.toBe(report);
    expect(await rec(report)).toMatchObject({ townCode: TOWN.集美, townAssumed: true });

    const named = codeIn((await send(LIN, '侨英街道孙厝社区的路灯坏了好几盏')).text);
    await send(LIN, '在后溪那边');
    expect(await rec(named)).toMatchObject({ townCode: TOWN.侨英, place: '孙厝社区' });
  });

  it('clears a 社区 that is not in the new town and tells staff who moved a record out of their town who has it now', async () => {
    const code = codeIn((await send(LIN, '集美街道岑西社区路口路灯坏了一个多月，晚上很黑')).text);
    const moved = await send(STAFF_JM, `更正 ${code} 镇街 灌口镇`);
    expect(moved.text).toContain('原社区/村「岑西社区」不属于灌口镇，已清除');
    expect(moved.text).toContain('现由灌口镇的工作人员办理');
    expect(moved.text).not.toContain('灌口镇 · 岑西社区');
    expect(await rec(code)).toMatchObject({ townCode: TOWN.灌口, place: null });
    const events = await h.server.deps.store.recordEvents((await rec(code)).id);
    expect(events.at(-1)).toMatchObject({ type: 'town', to: '灌口镇', note: '原社区/村「岑西社区」不属于灌口镇，已清除' });
    expect((await send(STAFF_JM, `查询 ${code}`)).text).toContain('没有找到你可查看的记录');
  });
});
