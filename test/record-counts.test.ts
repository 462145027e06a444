import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/db.js';
import { bulletinData } from '../src/store/outputs-queries.js';
import { MIGRATIONS_DIR } from '../src/store/sqlite-driver.js';

const WEEK = 7 * 86_400_000;
const T0 = 1_780_000_000_000;
const TOWNS = ['350211001', '350211002', '350211003'];

/**
 * The weekly bulletin's 累计 comes from per-town totals that triggers keep (migration 0003) less what was filed
 * after the week. Whatever happens to records — filed, merged as duplicates, moved to another town, deleted,
 * or filed before the migration existed — it must equal a plain count.
 */
describe('the bulletin total (累计)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-counts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The migrations folder up to and including `last` (journal trimmed to match). */
  function migrationsUpTo(last: number): string {
    const out = join(dir, `migrations-${last}`);
    cpSync(MIGRATIONS_DIR, out, { recursive: true });
    const journalPath = join(out, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx <= last);
    writeFileSync(journalPath, JSON.stringify(journal));
    return out;
  }

  let n = 0;
  function insert(sqlite: Database.Database, townCode: string | null, createdAt: number, status = 'registered') {
    n += 1;
    sqlite.prepare(`INSERT INTO records (id, code, status, category_code, category_name, category_source, appeal_type, town_code, town_assumed,
      place_evidence, summary, text, text_masked, urgency, confidence, rationale, affected_count, fingerprint, filed_by, source_platform,
      source_chat_id, reply_target, created_at, updated_at) VALUES (?, ?, ?, '01', '城乡建设', 'local', '求助', ?, 0, '[]', 's', 't', 't', 'normal',
      0.9, 'r', 1, 'fp', 'http:u', 'http', 'http:c', '{}', ?, ?)`).run(`rec_${n}`, `JM-2026-${String(n).padStart(4, '0')}`, status, townCode, createdAt, createdAt);
    return `rec_${n}`;
  }

  function plainCount(sqlite: Database.Database, townCode: string | null, before: number): number {
    return (sqlite.prepare(`SELECT count(*) AS c FROM records WHERE status <> 'duplicate' AND created_at < ? ${townCode ? 'AND town_code = ?' : ''}`)
      .get(...(townCode ? [before, townCode] : [before])) as { c: number }).c;
  }

  async function cumulative(db: Db, townCode: string | null, weekEnd: number): Promise<number> {
    return (await bulletinData(db, townCode, 'x', weekEnd - WEEK, weekEnd, weekEnd)).cumulative;
  }

  it('equals a plain count through filings, duplicates, moves and deletions, before and after the migration', async () => {
    const sqlite = new Database(join(dir, 'db.sqlite'));
    const db = drizzle(sqlite) as unknown as Db;
    migrate(drizzle(sqlite), { migrationsFolder: migrationsUpTo(2) });
    // Records an office already had when it upgraded: the migration counts them.
    for (let i = 0; i < 30; i++) insert(sqlite, i % 7 === 0 ? null : TOWNS[i % 3]!, T0 + i * 86_400_000, i % 5 === 0 ? 'duplicate' : 'registered');
    migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_DIR });

    const check = async () => {
      for (const weekEnd of [T0 + 2 * WEEK, T0 + 5 * WEEK, T0 + 60 * WEEK]) {
        for (const town of [...TOWNS, null]) expect(await cumulative(db, town, weekEnd), `${town} before ${weekEnd}`).toBe(plainCount(sqlite, town, weekEnd));
      }
    };
    await check();

    const later = [...Array(12).keys()].map((i) => insert(sqlite, TOWNS[i % 3]!, T0 + (30 + i) * 86_400_000));
    await check();
    sqlite.prepare(`UPDATE records SET status = 'duplicate' WHERE id IN (?, ?)`).run(later[0], later[1]);
    sqlite.prepare(`UPDATE records SET status = 'registered' WHERE id = ?`).run('rec_1');
    await check();
    sqlite.prepare(`UPDATE records SET town_code = ? WHERE id = ?`).run(TOWNS[2], later[3]);
    sqlite.prepare(`UPDATE records SET town_code = ?, status = 'duplicate' WHERE id = ?`).run(TOWNS[0], later[4]);
    sqlite.prepare(`UPDATE records SET town_code = ? WHERE id = ?`).run(TOWNS[1], 'rec_8'); // filed with no town, placed later
    await check();
    sqlite.prepare('DELETE FROM records WHERE id IN (?, ?, ?)').run(later[5], later[0], 'rec_2');
    await check();
    expect(await cumulative(db, null, T0 + 60 * WEEK)).toBe((sqlite.prepare(`SELECT count(*) AS c FROM records WHERE status <> 'duplicate'`).get() as { c: number }).c);
    sqlite.close();
  });
});
