import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DrizzleError, is, SQL, StringChunk } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.js';
import { BotError, isBotError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import type { Atomic, Db } from './db.js';
import { type GroupCommit, groupCommit, type WriterPriority } from './group-commit.js';
import { storageState } from './storage-state.js';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

export interface SqliteHandle {
  db: Db;
  atomic: Atomic;
  sqlite: Database.Database;
  group: GroupCommit;
  /** True from a write refused for lack of disk space until a write succeeds again (GET /healthz). */
  storageFull(): boolean;
  close(): void;
}

/**
 * How writes commit (store/group-commit.ts):
 * - `each`: every write is its own transaction (CLI commands, store tests);
 * - `group`: writes in one turn of the event loop share a commit and each resolves once it is durable — for
 *   a thread that answers HTTP after writing (an acknowledged message must be on disk);
 * - `group-jobs`: writes join a group the job worker opens as each job starts and resolve at once; the group
 *   commits at the worker's next yield, and always between two leased batches, so a reply is on disk before
 *   the job that delivers it runs.
 */
export type CommitMode = 'each' | 'group' | 'group-jobs';

interface SyncRunnable {
  run(): unknown;
}

/** Rows a statement changed, from better-sqlite3's run() result (drizzle passes it through). */
function changesOf(result: unknown): number {
  const changes = (result as { changes?: unknown } | null)?.changes;
  return typeof changes === 'number' ? changes : 0;
}

function isSyncRunnable(q: unknown): q is SyncRunnable {
  return typeof q === 'object' && q !== null && typeof (q as SyncRunnable).run === 'function';
}

const STATEMENT_CACHE_SIZE = 500;
/**
 * 64 MB of WAL between the job thread's checkpoints, not SQLite's default 4 MB: a page written many times
 * between two checkpoints (an index's last leaf, the counters, the jobs table) is copied to the database once.
 */
const JOBS_CHECKPOINT_PAGES = 16_000;
/**
 * 256 MB of WAL, four times the job thread's threshold: a checkpoint the job thread could not finish (readers
 * still on old pages) is retried at its next commits long before an acknowledgement would have to do it.
 */
const SERVER_CHECKPOINT_PAGES = 64_000;

/**
 * Keeps compiled statements by SQL text. Why by hand: drizzle compiles (sqlite3_prepare) every query it runs
 * unless the caller builds a `.prepare()`d query, and better-sqlite3 has no statement cache; compiling was
 * about a tenth of the intake's time. Reusing a statement is safe because better-sqlite3 runs one at a time on
 * this connection; `raw` is reset because drizzle switches a statement into array mode for mapped reads.
 * `compiled` sees each statement once, as it is compiled.
 */
function cacheStatements(sqlite: Database.Database, compiled: (stmt: Database.Statement) => void): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source); // re-inserted below: Map order is the LRU order
      if (stmt.reader) stmt.raw(false);
    } else {
      stmt = compile(source);
      compiled(stmt);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  }) as typeof sqlite.prepare;
}

/** A template's text, kept by its first literal; `parts` tells two templates that begin alike apart. */
interface TemplateText {
  parts: string[];
  text: string;
}

/** The session methods `db.run/all/get(sql…)` end in on the synchronous driver. */
interface SyncSession {
  run(query: SQL): unknown;
  all(query: SQL): unknown;
  get(query: SQL): unknown;
}

/**
 * Runs plain `sql` templates (literal text and values, nothing nested) straight on their cached statements,
 * as drizzle would run them: the same text (literals joined by `?`), the same parameters, the same errors. Why
 * by hand: drizzle rebuilds a template's text and a prepared-query object on every call, about three times a
 * small statement's own cost, and filing one message runs a dozen such statements. A template's literals are
 * the same string objects on every call, so its text is found by its first literal without being rebuilt.
 * Anything else (query builders, nested SQL, columns, objects as values) goes the drizzle way.
 */
function runPlainTemplates(session: SyncSession, sqlite: Database.Database): void {
  const texts = new Map<string, TemplateText>();
  const plain = (query: SQL): { text: string; params: unknown[] } | null => {
    const chunks = query.queryChunks;
    // Inlined parameters (`.inlineParams()`) become literals in drizzle's text: drizzle builds those.
    if (chunks.length % 2 === 0 || (query as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return null;
    const params: unknown[] = [];
    for (let i = 1; i < chunks.length; i += 2) {
      const v = chunks[i];
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') return null;
      params.push(v);
    }
    const first = chunks[0];
    if (!(first instanceof StringChunk) || first.value.length !== 1) return null;
    const known = texts.get(first.value[0]!);
    let same = known !== undefined && known.parts.length === params.length + 1;
    for (let i = 0; same && i < chunks.length; i += 2) {
      const c = chunks[i];
      same = c instanceof StringChunk && c.value.length === 1 && c.value[0] === known!.parts[i / 2];
    }
    if (same) return { text: known!.text, params };
    const parts: string[] = [];
    for (let i = 0; i < chunks.length; i += 2) {
      const c = chunks[i];
      if (!(c instanceof StringChunk) || c.value.length !== 1) return null;
      parts.push(c.value[0]!);
    }
    if (texts.size >= STATEMENT_CACHE_SIZE) texts.clear();
    const entry = { parts, text: parts.join('?') };
    texts.set(parts[0]!, entry);
    return { text: entry.text, params };
  };
  const drizzleRun = session.run.bind(session);
  const drizzleAll = session.all.bind(session);
  const drizzleGet = session.get.bind(session);
  session.run = (query) => {
    const q = plain(query);
    if (!q) return drizzleRun(query);
    try {
      return sqlite.prepare(q.text).run(...q.params);
    } catch (error) {
      throw new DrizzleError({ cause: error, message: `Failed to run the query '${q.text}'` });
    }
  };
  session.all = (query) => {
    const q = plain(query);
    return q ? sqlite.prepare(q.text).all(...q.params) : drizzleAll(query);
  };
  session.get = (query) => {
    const q = plain(query);
    return q ? sqlite.prepare(q.text).get(...q.params) : drizzleGet(query);
  };
}

/** How long a client is told to wait when the disk is full: an operator has to free space first. */
const STORAGE_FULL_RETRY_SECONDS = 60;

function storageFullError(cause: unknown): BotError {
  // A stable code for callers: HTTP 503 + Retry-After, so the platforms deliver the message again later.
  return new BotError('storage_full', `the database disk is full: nothing was stored; retry after ${STORAGE_FULL_RETRY_SECONDS} s`, {
    cause, details: { retryAfterSeconds: STORAGE_FULL_RETRY_SECONDS },
  });
}

/**
 * Every statement, not only the writes under `atomic()`, reports a full disk as `storage_full` (`refuse`
 * says what to throw). Readers too: SQLite calls COMMIT read-only, yet in WAL mode that is where the pages
 * are written. Wrapped per statement, as it is compiled: better-sqlite3 has no hook for this, and drizzle
 * calls the statement's methods directly.
 */
function reportRefusals(stmt: Database.Statement, refuse: (error: unknown) => unknown): void {
  const methods = stmt as unknown as Record<'run' | 'get' | 'all', (...params: unknown[]) => unknown>;
  for (const method of ['run', 'get', 'all'] as const) {
    const call = methods[method];
    methods[method] = function (this: Database.Statement, ...params: unknown[]) {
      try {
        return call.apply(this, params);
      } catch (error) {
        throw refuse(error);
      }
    };
  }
}

export interface SqliteOptions {
  commits?: CommitMode;
  log?: Logger;
  priority?: WriterPriority;
  /** The server thread's write requests under way, whom a group may wait for (store/group-commit.ts). */
  inFlight?: () => number;
  /** Told when this connection's writes start or stop being refused for lack of space (the job thread's /healthz share). */
  storageChanged?: (full: boolean) => void;
}

/** Opens (creating if needed) a SQLite file in WAL mode and applies pending migrations. */
export function openSqlite(path: string, opts: SqliteOptions = {}): SqliteHandle {
  const commits = opts.commits ?? 'each';
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // An automatic checkpoint runs inside the commit that crosses the threshold, fsyncs included, and stalls
  // that thread for tens of milliseconds. The acknowledging thread leaves the work to the job thread, whose
  // commits follow every acknowledgement anyway; its own threshold stays only as a bound on the WAL.
  if (commits === 'group') sqlite.pragma(`wal_autocheckpoint = ${SERVER_CHECKPOINT_PAGES}`);
  if (commits === 'group-jobs') sqlite.pragma(`wal_autocheckpoint = ${JOBS_CHECKPOINT_PAGES}`);
  const storage = storageState(path, opts.log, opts.storageChanged);
  // A group whose commit carries a refused write's neighbours proves no room: the full state outlives it.
  let refusedInGroup = false;
  // Waiting writers get the error themselves; the log is for groups nobody waits on (the job thread's). A
  // job thread's writes are durable only when its group commits, so that is where a full disk ends.
  const group = groupCommit(sqlite, {
    failed: (error) => {
      refusedInGroup = false;
      if (!storage.failed(error)) opts.log?.error('db.group_commit_failed', { error: String(error) });
    },
    committed: () => {
      if (!refusedInGroup) storage.written();
      refusedInGroup = false;
    },
  }, opts.priority, opts.inFlight);
  const refuse = (error: unknown) => {
    if (!storage.failed(error)) return error;
    if (group.pending()) refusedInGroup = true;
    return storageFullError(error);
  };
  cacheStatements(sqlite, (stmt) => reportRefusals(stmt, refuse));
  const db = drizzle(sqlite, { schema });
  runPlainTemplates((db as unknown as { session: SyncSession }).session, sqlite);
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } catch (error) {
    // On SQLITE_FULL SQLite has rolled back already, so drizzle's own ROLLBACK fails and its error hides why.
    if (!storage.full()) throw error;
    throw new BotError('storage_full', `the database disk is full: the schema could not be set up in ${path}`, { cause: error });
  }
  // Inside a commit group every atomic() is a savepoint, and SQLite keeps each page it changes as it was, so
  // the savepoint can roll back alone: in a temp file once they pass 64 KiB, which for a filed message was
  // about 60 pwrite calls, twice its WAL writes (strace). In memory each is a copy. The group's commit or
  // rollback drops them, so nothing durable depends on where they are kept. After the migrations: this also
  // keeps sorts in memory, and a new index on a large table sorts every row of it.
  if (commits !== 'each') sqlite.pragma('temp_store = MEMORY');
  // better-sqlite3 runs statements synchronously, so a sync transaction cannot interleave with other
  // requests' statements on the same connection (an async BEGIN…COMMIT could).
  const runAll = sqlite.transaction((statements: SyncRunnable[]) => statements.map((s) => changesOf(s.run())));
  const runStatements = (runnable: SyncRunnable[]): number[] => {
    try {
      return runAll(runnable);
    } catch (error) {
      group.abandon(error);
      throw error;
    }
  };
  const runAtomic = async (runnable: SyncRunnable[]): Promise<number[]> => {
    if (commits !== 'group') return runStatements(runnable);
    let { committed } = await group.enter();
    // Another writer's failure may have ended the group this one entered (abandon): then it needs a new one.
    if (!sqlite.inTransaction) ({ committed } = await group.enter());
    const changes = runStatements(runnable);
    await committed;
    return changes;
  };
  const atomic: Atomic = async (statements) => {
    const runnable = statements.map((s) => {
      if (is(s, SQL)) return { run: () => db.run(s) };
      if (!isSyncRunnable(s)) throw new Error('atomic(): statement is not a better-sqlite3 query builder');
      return s;
    });
    let changes: number[];
    try {
      changes = await runAtomic(runnable);
    } catch (error) {
      // A statement's own refusal is storage_full already; a failed group commit (the server's) is not yet.
      throw isBotError(error) ? error : refuse(error);
    }
    // Inside a job group the write is not on disk yet: the group's commit says so.
    if (!sqlite.inTransaction) storage.written();
    return changes;
  };
  return {
    db: db as unknown as Db, atomic, sqlite, group,
    storageFull: storage.full,
    close: () => {
      group.flush();
      sqlite.close();
    },
  };
}
