import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';
import { addPerson, ask, events, JIMEI, say, WED_10AM } from './support/workflow-helpers.js';

/**
 * The database keeps what people typed; nothing the API answers shows it unmasked: staff notes, the bot's
 * replies (text and payload), names, excerpts, in the record, its history, the list and the message view.
 */
const PHONE = '13812345678';
const ID_CARD = '350211199001011234';
const NAME_PHONE = '13800001111';

describe('API answers mask personal data in every text field', () => {
  let s: TestServer;
  let code = '';
  let filedId = '';
  let previewId = '';
  const get = async (path: string) => {
    const res = await s.api(path);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    s = await startTestServer({ clock: new FixedClock(WED_10AM) });
    await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
    const filed = await say(s, 'r1', `小区门口的人行道砖松动好几块，老人走路容易绊倒，电话${PHONE}`, { town: '集美', name: `李四 ${NAME_PHONE}` });
    code = filed.outcome!.items![0]!.code;
    filedId = filed.id;
    const preview = await say(s, 's-jm', `不予受理 ${code} 已联系居民张三${PHONE}，身份证${ID_CARD}，不属实`);
    previewId = preview.id;
    expect(await ask(s, 's-jm', '确认')).toContain('已执行');
  });
  afterAll(async () => {
    await s.close();
  });

  const expectMasked = (body: string) => {
    expect(body).not.toContain(PHONE);
    expect(body).not.toContain(ID_CARD);
    expect(body).not.toContain(NAME_PHONE);
  };

  it('GET /api/records/:code: the staff note, the filer, the actor and the source sender', async () => {
    const body = await get(`/api/records/${code}`);
    expectMasked(body);
    const rec = JSON.parse(body) as { record: { code: string; filedByName: string }; events: Array<{ type: string; note: string | null }>; sources: Array<{ senderName: string }> };
    expect(rec.record.code).toBe(code);
    expect(rec.record.filedByName).toBe('李四 138****1111');
    expect(rec.sources[0]!.senderName).toBe('李四 138****1111');
    expect(rec.events.at(-1)!.note).toBe('已联系居民张三138****5678，身份证3502**********1234，不属实');
    // Stored as typed: staff with database access still have it.
    expect((await events(s, code)).at(-1)!.note).toContain(PHONE);
  });

  it('GET /api/records: names in the list', async () => {
    const body = await get('/api/records');
    expectMasked(body);
    expect(body).toContain('李四 138****1111');
  });

  it('GET /api/messages/:id: the bot\'s replies, as text and as payload', async () => {
    const preview = await get(`/api/messages/${previewId}`);
    expectMasked(preview);
    expect(preview).toContain('138****5678');
    const receipt = await get(`/api/messages/${filedId}`);
    expectMasked(receipt);
    const parsed = JSON.parse(receipt) as { id: string; outcome: { items: Array<{ code: string }> }; replies: Array<{ payload: { record: { code: string; id: string } } }> };
    // References a caller uses again are returned as they are.
    expect(parsed.id).toBe(filedId);
    expect(parsed.outcome.items[0]!.code).toBe(code);
    expect(parsed.replies[0]!.payload.record.id).toBe((await s.deps.store.getRecord(code))!.id);
  });
});
