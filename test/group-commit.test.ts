import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { counters } from '../db/schema.js';
import { groupCommit } from '../src/store/group-commit.js';
import { openSqlite, type SqliteHandle } from '../src/store/sqlite-driver.js';

/**
 * The acknowledging thread commits the writes of one event-loop turn together, waits for SQLite's write lock
 * without blocking the loop, and answers only once its rows are on disk; the job thread defers to it.
 */
describe('group commit', () => {
  let dir: string;
  let server: SqliteHandle;
  let reader: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'minyi-group-'));
    server = openSqlite(join(dir, 'db.sqlite'), { commits: 'group' });
    reader = new Database(join(dir, 'db.sqlite'));
  });
  afterEach(() => {
    reader.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (name: string) => server.db.insert(counters).values({ name, value: 1 });
  const visible = () => (reader.prepare("select name from counters where name like 't%' order by name").all() as { name: string }[]).map((r) => r.name);

  it('commits one turn\'s writes together and resolves each only once they are durable', async () => {
    const a = server.atomic([put('t1')]);
    const b = server.atomic([put('t2')]);
    expect(visible()).toEqual([]);
    await Promise.all([a, b]);
    expect(visible()).toEqual(['t1', 't2']);
    // The next turn opens a new group of its own (a group left half-closed once wrote outside any transaction).
    const c = server.atomic([put('t3')]);
    await Promise.resolve();
    expect(server.sqlite.inTransaction).toBe(true);
    await c;
    expect(server.sqlite.inTransaction).toBe(false);
    expect(visible()).toEqual(['t1', 't2', 't3']);
  });

  it('a full disk: a writer told its write failed has nothing stored, one told it succeeded has its row, and the next turn commits', async () => {
    await server.atomic([put('t0')]);
    server.sqlite.pragma(`max_page_count = ${server.sqlite.pragma('page_count', { simple: true }) as number}`);
    // A row too large for the pages the file has: SQLite answers SQLITE_FULL and may roll back the whole group.
    const large = server.db.insert(counters).values({ name: `t-large-${'满'.repeat(20_000)}`, value: 1 });
    const writes = { t1: server.atomic([put('t1')]), large: server.atomic([large]), t2: server.atomic([put('t2')]) };
    const outcomes = Object.fromEntries(await Promise.all(Object.entries(writes).map(async ([name, w]) => [name, await w.then(() => 'stored', (e: { code?: string }) => e.code)])));
    expect(outcomes.large).toBe('storage_full');
    const stored = visible();
    for (const name of ['t1', 't2']) expect(stored.includes(name)).toBe(outcomes[name] === 'stored');
    expect(server.sqlite.inTransaction).toBe(false);

    server.sqlite.pragma('max_page_count = 1073741823');
    await server.atomic([put('t3')]);
    expect(visible()).toContain('t3');
    expect(server.storageFull()).toBe(false);
  });

  it('the job thread: a write refused for space outside atomic() is storage_full, and only a commit without one ends the full state', async () => {
    const changes: boolean[] = [];
    const jobs = openSqlite(join(dir, 'db.sqlite'), { commits: 'group-jobs', storageChanged: (full) => changes.push(full) });
    try {
      const large = () => jobs.db.insert(counters).values({ name: `t-large-${'满'.repeat(20_000)}`, value: 1 });
      await jobs.atomic([put('t0')]); // the schema's pages exist before the file is capped
      jobs.sqlite.pragma(`max_page_count = ${jobs.sqlite.pragma('page_count', { simple: true }) as number}`);

      // A job's group: a direct write fails for lack of space, the job records its failure in place, the group commits.
      jobs.group.open();
      await expect(large()).rejects.toMatchObject({ code: 'storage_full' });
      await jobs.db.update(counters).set({ value: 2 }).where(eq(counters.name, 't0'));
      jobs.group.flush();
      expect(jobs.storageFull()).toBe(true);
      expect(changes).toEqual([true]);

      // Space again: the next group without a refusal ends the state, and says so once.
      jobs.sqlite.pragma('max_page_count = 1073741823');
      jobs.group.open();
      await large();
      jobs.group.flush();
      expect(jobs.storageFull()).toBe(false);
      expect(changes).toEqual([true, false]);
      expect(visible()).toContain(`t-large-${'满'.repeat(20_000)}`);
    } finally {
      jobs.close();
    }
  });

  it('keeps a group open for the write requests in flight, and only for them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the gathering wait; setImmediate stays real
    const handle = openSqlite(join(dir, 'gather.sqlite'), { commits: 'group', inFlight: () => inFlight });
    const seen = new Database(join(dir, 'gather.sqlite'));
    const names = () => (seen.prepare("select name from counters where name like 'g%' order by name").all() as { name: string }[]).map((r) => r.name);
    const write = (name: string) => handle.atomic([handle.db.insert(counters).values({ name, value: 1 })]);
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    let inFlight = 1;
    try {
      // Alone: committed on the next turn, no waiting for company.
      const alone = write('g1');
      await turn();
      await turn();
      expect(names()).toEqual(['g1']);
      await alone;

      // Two requests under way: the first waits for the second, then both commit at once.
      inFlight = 2;
      const first = write('g2');
      await turn();
      await turn();
      expect(names()).toEqual(['g1']);
      const second = write('g3');
      await turn();
      await turn();
      expect(names()).toEqual(['g1', 'g2', 'g3']);
      await Promise.all([first, second]);

      // A request under way that never writes (a duplicate, a 401) holds a group no longer than the gathering wait.
      const last = write('g4');
      await turn();
      expect(names()).not.toContain('g4');
      vi.advanceTimersByTime(2);
      await last;
      expect(names()).toContain('g4');
    } finally {
      vi.useRealTimers();
      seen.close();
      handle.close();
    }
  });

  it('waits for a lock held elsewhere without blocking the event loop, then writes', async () => {
    const holder = new Database(join(dir, 'db.sqlite'));
    holder.exec('BEGIN IMMEDIATE');
    let settled = false;
    const write = server.atomic([put('t9')]).then(() => (settled = true));
    let ticks = 0;
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5)).then(() => ticks++);
    expect(ticks).toBe(5);
    expect(settled).toBe(false);
    holder.exec('COMMIT');
    holder.close();
    await write;
    expect(visible()).toEqual(['t9']);
  });

  it('tells the job thread to yield while the server waits, and lets it in again afterwards', async () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const serverDb = new Database(join(dir, 'db.sqlite'));
    const jobsDb = new Database(join(dir, 'db.sqlite'));
    const serverGroup = groupCommit(serverDb, { failed: () => undefined, committed: () => undefined }, { shared, role: 'server' });
    const jobsGroup = groupCommit(jobsDb, { failed: () => undefined, committed: () => undefined }, { shared, role: 'jobs' });
    jobsGroup.open();
    expect(jobsGroup.contended()).toBe(false);
    const entered = serverGroup.enter();
    expect(jobsGroup.contended()).toBe(true);
    jobsGroup.flush(); // the job worker's yield
    const { committed } = await entered;
    serverDb.exec("INSERT INTO counters (name, value) VALUES ('t5', 1)");
    await committed;
    expect(jobsGroup.contended()).toBe(false);
    jobsGroup.open();
    expect(jobsDb.inTransaction).toBe(true);
    jobsGroup.flush();
    serverDb.close();
    jobsDb.close();
    expect(visible()).toEqual(['t5']);
  });
});
