import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeekBulletin, bulletinReply } from '../src/app/bulletins.js';
import { containsUnmaskedPii } from '../src/core/masking.js';
import { renderText } from '../src/core/render-text.js';
import { createApp } from '../src/http/app.js';
import { parseConfig } from '../src/runtime/config.js';
import { DEMO_MESSAGES } from '../src/runtime/cli/demo-messages.js';
import { jsonLogger } from '../src/runtime/logger.js';
import { buildNodeRuntime, type NodeRuntime } from '../src/runtime/node-deps.js';
import { FakeFeishu } from './fakes/fake-feishu.js';
import { smartModel } from './fakes/fake-llm-model.js';
import { type FakeLlm, startFakeLlm } from './fakes/fake-llm-server.js';
import { buildFeishuEvent, FEISHU, postFeishu, signed } from './support/feishu-events.js';

const TOKEN = 'pii-scan-token-0123456789abcdef';
/** The demo plus the kinds it lacks: a bank card, a phone with separators, an ID with an X. */
const EXTRA = [
  '侨英街道居民反映工资卡6222 0212 3456 7890 128被冻结，请帮忙联系银行，电话139-0692-5678。',
  '灌口镇村民身份证35021119900307123X办理低保被拒，手机号15859201234，请协调民政。',
  // As residents really write them: odd dashes, numerals, a mistyped id, contacts.
  '杏林街道杏林村路口井盖丢了，电话一三八 一二三四 五六七八，138—1234—5679，身份证35021119900101123，邮箱wangxm@163.com，微信lxy_1990。',
];
const WATCHED = new Set(['phone', 'landline', 'id_card', 'bank_card', 'email', 'im_account', 'passport']);
/** Pieces of EXTRA's last message that must never be readable outside the database. */
const RAW = ['一二三四 五六七八', '1234—5679', '35021119900101123', 'wangxm@', 'lxy_1990'];
const leaks = (where: string, text: string) => containsUnmaskedPii(text).filter((k) => WATCHED.has(k)).map((k) => `${where}: ${k} in ${text.slice(0, 200)}`);

describe('personal data never leaves the database unmasked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-pii-'));
  const logs: string[] = [];
  let fake: FakeFeishu;
  let llm: FakeLlm;
  let runtime: NodeRuntime;
  let server: ServerType;
  let url = '';
  const ids: string[] = [];

  beforeAll(async () => {
    fake = await new FakeFeishu({ appId: FEISHU.appId, appSecret: FEISHU.appSecret, botOpenId: FEISHU.botOpenId }).start();
    llm = await startFakeLlm(smartModel);
    const config = parseConfig({
      DATABASE_PATH: join(dir, 'minyi.db'), MINYI_API_TOKEN: TOKEN, LOG_LEVEL: 'debug',
      FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret, FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
      FEISHU_ENCRYPT_KEY: FEISHU.encryptKey, FEISHU_DOMAIN: fake.url,
      LLM_BASE_URL: llm.baseURL, LLM_API_KEY: 'k', LLM_MODEL: 'fake', LLM_LOCAL_CONFIDENCE: '1',
    });
    const log = jsonLogger('debug', (line) => logs.push(line));
    runtime = await buildNodeRuntime(config, log);
    const app = createApp(runtime.deps, { apiToken: TOKEN, webhooks: runtime.platforms.map((p) => p.verifier) });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

    const texts = [...DEMO_MESSAGES.map((m) => m.text), ...EXTRA];
    for (const [i, text] of texts.entries()) {
      // Half through Feishu, half through the API, so both channels' replies are scanned.
      if (i % 2 === 0) {
        const id = `om_pii_${i}`;
        expect((await postFeishu(url, await signed(buildFeishuEvent({ messageId: id, senderOpenId: `ou_p${i}`, chatId: `oc_p${i}`, content: { text } })))).status).toBe(200);
      } else {
        const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ text, sender: { id: `p${i}` } }) });
        ids.push(((await res.json()) as { id: string }).id);
      }
    }
    // Identifiers an API caller chose can be personal data too: they are logged (inbound.accepted) and must be masked there.
    const chosen = await fetch(`${url}/api/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'key-13612345678' },
      body: JSON.stringify({ text: '杏林街道路灯坏了', sender: { id: '13812345678', name: '王13912345678' }, chat: { id: 'chat-13712345678' } }),
    });
    expect(chosen.status).toBe(202);
    await runtime.worker?.drain();
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    await runtime.close();
    await fake.close();
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

  it('the input really held personal data (or this test proves nothing)', () => {
    expect(EXTRA.flatMap((t) => leaks('input', t)).length).toBeGreaterThanOrEqual(8);
    for (const raw of RAW) expect(EXTRA.at(-1)).toContain(raw);
  });

  it('replies and cards the fake Feishu received', () => {
    expect(fake.posted.length).toBeGreaterThan(5);
    expect(fake.posted.flatMap((p) => leaks('feishu', p.content))).toEqual([]);
    expect(RAW.filter((raw) => fake.posted.some((p) => p.content.includes(raw)))).toEqual([]);
  });

  it('LLM prompts', () => {
    expect(llm.requests.length).toBeGreaterThan(5);
    expect(llm.requests.flatMap((r) => r.messages.flatMap((m) => leaks('llm', m.content)))).toEqual([]);
    expect(RAW.filter((raw) => JSON.stringify(llm.requests).includes(raw))).toEqual([]);
  });

  it('API answers: message replies and the record list', async () => {
    const found: string[] = [];
    for (const id of ids) found.push(...leaks(`/api/messages/${id}`, await get(`/api/messages/${id}`)));
    const list = await get('/api/records?limit=500');
    found.push(...leaks('/api/records', list));
    found.push(...RAW.filter((raw) => list.includes(raw)));
    for (const r of (JSON.parse(list) as { records: { code: string }[] }).records) found.push(...leaks(`/api/records/${r.code}`, await get(`/api/records/${r.code}`)));
    expect(found).toEqual([]);
  });

  it('the weekly bulletin', async () => {
    const now = Date.now();
    for (const town of [null, ...runtime.deps.district.towns.map((t) => t.code)]) {
      const b = await buildWeekBulletin(runtime.deps, town, { start: now - 7 * 86_400_000, end: now + 86_400_000 });
      expect(leaks(`bulletin ${town}`, renderText(bulletinReply(b)) + JSON.stringify(b))).toEqual([]);
    }
  });

  it('the xlsx export (default, masked)', async () => {
    const res = await fetch(`${url}/api/export.xlsx`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.text)))));
    expect(cells.length).toBeGreaterThan(10);
    expect(cells.flatMap((c) => leaks('xlsx', c))).toEqual([]);
  });

  it('logs: one JSON object per line, no personal data, no message text', () => {
    expect(logs.length).toBeGreaterThan(10);
    for (const line of logs) expect(() => JSON.parse(line)).not.toThrow();
    expect(logs.flatMap((l) => leaks('log', l))).toEqual([]);
    expect(logs.some((l) => l.includes('138****5678'))).toBe(true);
    expect(logs.filter((l) => /13812345678|13612345678|13712345678/.test(l))).toEqual([]);
    // Message text stays out of logs entirely, masked or not.
    const snippets = [...DEMO_MESSAGES.map((m) => m.text), ...EXTRA].map((t) => t.slice(4, 16));
    expect(logs.filter((l) => snippets.some((s) => l.includes(s)))).toEqual([]);
    // Filing is traceable by record code and message key.
    expect(logs.some((l) => l.includes('"event":"inbound.filed"') && /[A-Z]+-\d{4}-\d{4}/.test(l) && l.includes('"key"'))).toBe(true);
  });
});
