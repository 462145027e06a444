import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openSqlite } from '../src/store/sqlite-driver.js';

/** The migration history as it stood before migration `upTo` (exclusive), in a folder of its own. */
function historyBefore(upTo: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx < upTo);
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) copyFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  return dir;
}

describe('upgrading a database in use', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('0007: a message whose job died before the upgrade reads failed, with the job\'s error; filed ones stay done', () => {
    const old = historyBefore(7);
    const data = mkdtempSync(join(tmpdir(), 'minyi-upgrade-'));
    dirs.push(old, data);
    const path = join(data, 'minyi.db');
    const before = new Database(path);
    migrate(drizzle(before), { migrationsFolder: old });
    const message = before.prepare(`INSERT INTO inbound_messages (id, platform, message_key, chat_id, sender_id, raw, state, received_at, updated_at)
      VALUES (?, 'feishu', ?, 'feishu:oc_1', 'feishu:ou_1', '{}', ?, 1, 1)`);
    const job = before.prepare(`INSERT INTO jobs (id, type, payload, state, attempts, run_at, last_error, created_at, updated_at)
      VALUES (?, ?, ?, ?, 16, 1, ?, 1, 2)`);
    message.run('msg_dead', 'om_dead', 'queued');
    job.run('job_dead', 'process_message', JSON.stringify({ inboundId: 'msg_dead' }), 'dead', 'channel feishu is not configured');
    message.run('msg_filed', 'om_filed', 'done');
    job.run('job_cluster', 'cluster_check', JSON.stringify({ inboundId: 'msg_filed' }), 'dead', 'boom');
    message.run('msg_waiting', 'om_waiting', 'queued');
    job.run('job_waiting', 'process_message', JSON.stringify({ inboundId: 'msg_waiting' }), 'queued', null);
    before.close();
    expect(readdirSync(old)).not.toContain('0007_dead-job-messages.sql');

    const after = openSqlite(path);
    const state = (id: string) => after.sqlite.prepare('SELECT state, error FROM inbound_messages WHERE id = ?').get(id);
    expect(state('msg_dead')).toEqual({ state: 'failed', error: 'channel feishu is not configured' });
    expect(state('msg_filed')).toEqual({ state: 'done', error: null });
    expect(state('msg_waiting')).toEqual({ state: 'queued', error: null });
    after.close();
  });
});
