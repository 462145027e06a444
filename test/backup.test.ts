import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { minyi, ROOT } from './support/cli-run.js';
import { spawnServer, waitForExit } from './support/child-server.js';

const TOKEN = 'backup-test-token-0123456789';

function codesIn(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('select code from records order by code').all() as { code: string }[]).map((r) => r.code);
  } finally {
    db.close();
  }
}

async function post(url: string, i: number): Promise<number> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: `灌口镇第${i}号：路段${i}的路灯坏了${(i % 7) + 1}天，晚上看不见，编号${i * 131}`, sender: { id: `b${i}` } }),
  });
  return res.status;
}

describe('backup and restore of the SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up while the server writes, and a restored copy serves the same records', async () => {
    const live = { DATABASE_PATH: join(dir, 'live.db'), MINYI_API_TOKEN: TOKEN };
    const server = await spawnServer(live);
    const backupFile = join(dir, 'snapshot.db');
    let writing = true;
    let sent = 0;
    const writer = (async () => {
      while (writing) expect(await post(server.url, sent++)).toBe(202);
    })();
    try {
      while (sent < 30) await new Promise((r) => setTimeout(r, 20));
      const backup = await minyi(['backup', backupFile], live);
      expect(backup.code).toBe(0);
      // One file: no leftovers of the copy beside it.
      expect(readdirSync(dir).filter((f) => f.startsWith('snapshot'))).toEqual(['snapshot.db']);

      // A backup onto the live database, however it is named, is refused and leaves the file in place.
      symlinkSync(live.DATABASE_PATH, join(dir, 'link.db'));
      const inode = statSync(live.DATABASE_PATH).ino;
      for (const target of [live.DATABASE_PATH, relative(ROOT, join(dir, '.', 'live.db')), join(dir, 'link.db'), `${live.DATABASE_PATH}-wal`]) {
        const onto = await minyi(['backup', target], live);
        expect(onto.code, target).toBe(1);
        expect(onto.stderr, target).toMatch(/^minyi: refusing to back up: .* is the live database \(.*\); choose another file\n$/);
        expect(onto.stdout, target).toBe('');
      }
      expect(statSync(live.DATABASE_PATH).ino).toBe(inode);
      // The server was writing during the backup and keeps doing so.
      const before = sent;
      while (sent < before + 10) await new Promise((r) => setTimeout(r, 20));

      // A running server refuses a restore over its database.
      const refused = await minyi(['restore', backupFile, '--force'], live);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('refusing to restore');
    } finally {
      writing = false;
      await writer;
      server.proc.kill('SIGKILL');
      await waitForExit(server.proc);
    }

    const snapshot = codesIn(backupFile);
    expect(snapshot.length).toBeGreaterThan(0);
    const check = new Database(backupFile, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const inboundInBackup = (check.prepare('select count(*) n from inbound_messages').get() as { n: number }).n;
    check.close();
    expect(inboundInBackup).toBeLessThan(sent);

    const fresh = { DATABASE_PATH: join(dir, 'restored', 'minyi.db'), MINYI_API_TOKEN: TOKEN };
    expect((await minyi(['restore', backupFile], fresh)).code).toBe(0);
    // Restoring over an existing database needs --force, and never from the database itself.
    expect((await minyi(['restore', backupFile], fresh)).code).toBe(1);
    const onto = await minyi(['restore', fresh.DATABASE_PATH, '--force'], fresh);
    expect(onto.code).toBe(1);
    expect(onto.stderr).toContain('is the database itself');
    const restored = await spawnServer(fresh);
    try {
      // The restored server finishes what was queued at backup time; the records filed before it are intact.
      const served: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await fetch(`${restored.url}/api/records?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        const page = (await res.json()) as { records: { code: string }[]; nextCursor: string | null };
        served.push(...page.records.map((r) => r.code));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      for (const code of snapshot) expect(served).toContain(code);
    } finally {
      restored.proc.kill('SIGKILL');
      await waitForExit(restored.proc);
    }
    // Eleven processes started one after another (two servers, nine CLI runs): on a busy two-core machine that alone took 57 s.
  }, 180_000);
});
