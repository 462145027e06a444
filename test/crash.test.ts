import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, waitForExit } from './support/child-server.js';

const TOKEN = 'crash-test-token-0123456789';
const TOWNS = ['灌口镇', '后溪镇', '杏林街道', '侨英街道', '杏滨街道', '集美街道'];
const PROBLEMS = ['路灯不亮', '垃圾清运不及时', '下水道堵塞', '路面塌陷', '噪音扰民', '违章停车', '公交站台破损', '绿化带枯死'];

/** Messages across towns and problems; repeats of a problem in a town may join as "+1" (dedupe). */
function message(i: number): string {
  return `${TOWNS[i % TOWNS.length]}第${i}号反映：${PROBLEMS[i % PROBLEMS.length]}，编号${i * 7919}的位置附近，情况已持续${(i % 9) + 1}天，${'请尽快处理'.repeat((i % 3) + 1)}`;
}

describe('crash safety of the embedded default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every accepted message becomes exactly one record after kill -9 and a restart', async () => {
    const env = { DATABASE_PATH: join(dir, 'minyi.db'), MINYI_API_TOKEN: TOKEN };
    const first = await spawnServer(env);
    const accepted: string[] = [];
    const total = 400;
    await Promise.all(Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < total; i += 8) {
        const res = await fetch(`${first.url}/api/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: message(i), sender: { id: `r${i}` } }),
        });
        if (res.status === 202) accepted.push(((await res.json()) as { id: string }).id);
      }
    }));
    first.proc.kill('SIGKILL');
    await waitForExit(first.proc);

    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const pendingAtCrash = (db.prepare("select count(*) n from inbound_messages where state != 'done'").get() as { n: number }).n;
    db.close();

    const second = await spawnServer(env);
    try {
      for (let i = 0; i < 600; i++) {
        const db2 = new Database(env.DATABASE_PATH, { readonly: true });
        const left = (db2.prepare("select count(*) n from inbound_messages where state != 'done'").get() as { n: number }).n;
        db2.close();
        if (left === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      second.proc.kill('SIGTERM');
      await waitForExit(second.proc);
    }

    const check = new Database(env.DATABASE_PATH, { readonly: true });
    const inbound = check.prepare('select id, state from inbound_messages').all() as { id: string; state: string }[];
    const perMessage = check.prepare('select inbound_message_id id, count(*) n from record_sources group by inbound_message_id').all() as { id: string; n: number }[];
    const records = (check.prepare('select count(*) n from records').get() as { n: number }).n;
    const joined = (check.prepare("select count(*) n from record_events where type = 'plus_one'").get() as { n: number }).n;
    const created = (check.prepare("select count(*) n from record_events where type = 'created'").get() as { n: number }).n;
    const integrity = (check.prepare('pragma integrity_check').get() as { integrity_check: string }).integrity_check;
    check.close();

    expect(accepted).toHaveLength(total);
    // The kill really interrupted work, or this test proves nothing.
    expect(pendingAtCrash).toBeGreaterThan(0);
    expect(new Set(inbound.map((m) => m.id))).toEqual(new Set(accepted));
    expect(inbound.every((m) => m.state === 'done')).toBe(true);
    expect(perMessage).toHaveLength(total);
    expect(perMessage.every((m) => m.n === 1)).toBe(true);
    // Each message either filed one record or joined one as a "+1"; nothing twice.
    expect(records).toBe(created);
    expect(records + joined).toBe(total);
    expect(integrity).toBe('ok');
  }, 120_000);
});
