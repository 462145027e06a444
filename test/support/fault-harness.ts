import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { FakeFeishu } from '../fakes/fake-feishu.js';
import { spawnServer, waitForExit } from './child-server.js';
import { buildFeishuEvent, FEISHU, postFeishu, signed } from './feishu-events.js';

export const TOKEN = 'fault-test-token-0123456789';
const TOWNS = ['灌口镇', '后溪镇', '杏林街道', '侨英街道', '杏滨街道', '集美街道'];
const PROBLEMS = ['路灯不亮', '垃圾清运不及时', '下水道堵塞', '路面塌陷', '噪音扰民', '违章停车', '公交站台破损', '绿化带枯死'];

export function text(run: number, i: number): string {
  return `${TOWNS[i % TOWNS.length]}第${run}-${i}号反映：${PROBLEMS[(i + run) % PROBLEMS.length]}，编号${(run * 1000 + i) * 7919}附近，已持续${(i % 9) + 1}天`;
}

export async function startFake(): Promise<FakeFeishu> {
  const fake = await new FakeFeishu({ appId: FEISHU.appId, appSecret: FEISHU.appSecret, botOpenId: FEISHU.botOpenId }).start();
  fake.users.set(FEISHU.memberOpenId, '张委员');
  return fake;
}

export function serverEnv(dbPath: string, fake: FakeFeishu, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: dbPath, MINYI_API_TOKEN: TOKEN, FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret,
    FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken, FEISHU_ENCRYPT_KEY: FEISHU.encryptKey, FEISHU_DOMAIN: fake.url,
    // Each message comes from its own chat here; the flood rules are tested in throttle.test.ts.
    THROTTLE_SENDER_PER_MIN: '100000', THROTTLE_CHAT_PER_MIN: '100000', ...extra,
  };
}

/** Posts signed, encrypted Feishu events over `lanes` connections; returns the message ids acknowledged 200. */
export async function postMessages(url: string, run: number, n: number, lanes = 6, onAck: (count: number) => void = () => {}): Promise<string[]> {
  const acked: string[] = [];
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let i = lane; i < n; i += lanes) {
      const id = `om_fault_${run}_${i}`;
      const event = buildFeishuEvent({ messageId: id, chatId: `oc_p2p_${run}_${i}`, content: { text: text(run, i) } });
      try {
        const res = await postFeishu(url, await signed(event));
        if (res.status === 200) {
          acked.push(id);
          onAck(acked.length);
        }
      } catch {
        // the server was killed under us: not acknowledged, so not promised
      }
    }
  }));
  return acked;
}

export function kill9(proc: ChildProcess): Promise<void> {
  proc.kill('SIGKILL');
  return waitForExit(proc);
}

function count(db: Database.Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

/** Waits until every inbound message is processed and every reply sent (or the timeout passes). */
export async function waitQuiet(dbPath: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const db = new Database(dbPath, { readonly: true });
    const left = count(db, "select count(*) n from inbound_messages where state not in ('done','ignored')")
      + count(db, "select count(*) n from replies where state != 'sent'");
    db.close();
    if (left === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Invariants {
  integrity: string;
  /** Acknowledged messages that are not exactly one record source. */
  notOneSource: string[];
  /** Acknowledged messages whose thread did not get exactly one reply (members see distinct uuids). */
  notOneReply: string[];
  /** Raw send requests the fake received (≥ replies: a send in flight at the kill is sent again). */
  sendRequests: number;
  replies: number;
  records: number;
  plusOnes: number;
  /**
   * Stored messages that were filed (one source each). A message stored in the instant before a kill may not
   * have had its 200 yet: it is filed all the same, and the platform's redelivery finds it so.
   */
  filed: number;
  /** Stored messages that are more than one record source. */
  filedTwice: string[];
}

export function checkInvariants(dbPath: string, fake: FakeFeishu, acked: string[]): Invariants {
  const db = new Database(dbPath, { readonly: true });
  try {
    const sources = new Map((db.prepare(`select i.message_key k, count(s.id) n from inbound_messages i left join record_sources s on s.inbound_message_id = i.id where i.platform = 'feishu' group by i.id`).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
    const perThread = new Map<string, number>();
    for (const p of fake.posted) if (p.parentId) perThread.set(p.parentId, (perThread.get(p.parentId) ?? 0) + 1);
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      notOneSource: acked.filter((k) => sources.get(k) !== 1),
      notOneReply: acked.filter((k) => perThread.get(k) !== 1),
      sendRequests: fake.requests.filter((r) => r.method === 'POST' && r.path.includes('/reply')).length,
      replies: fake.posted.filter((p) => p.via === 'reply').length,
      records: count(db, 'select count(*) n from records'),
      plusOnes: count(db, "select count(*) n from record_events where type = 'plus_one'"),
      filed: [...sources.values()].filter((n) => n >= 1).length,
      filedTwice: [...sources].filter(([, n]) => n > 1).map(([k]) => k),
    };
  } finally {
    db.close();
  }
}

export { spawnServer };
