import type Database from 'better-sqlite3';

/**
 * Group commit for one better-sqlite3 connection: writes made during the same turn of the event loop share a
 * single BEGIN IMMEDIATE … COMMIT, committed at the next `setImmediate`. Why: a commit costs far more than the
 * small inserts of one message (each touches the WAL and every index page again), so filing many messages
 * per commit is what makes hundreds a second possible. Why by hand: neither drizzle nor better-sqlite3
 * offers group commit, and better-sqlite3's own transactions are synchronous (they cannot span awaits).
 *
 * Statements run while a group is open join it; better-sqlite3 turns the repositories' own transactions into
 * savepoints inside it, so each stays all-or-nothing. A group never spans real I/O: the commit runs on the
 * first turn of the loop that is not this synchronous work, which is exactly when a caller awaits a socket.
 */
export interface GroupCommit {
  /** Opens a group now if none is open, waiting for the write lock in place (the job thread). */
  open(): void;
  /**
   * Opens or joins a group without blocking the event loop while another connection holds the write lock
   * (the acknowledging thread). Resolves when the caller's writes may run; `committed` settles when they are
   * on disk.
   */
  enter(): Promise<{ committed: Promise<void> }>;
  /** What the open group's commit will settle with; null when no group is open. */
  pending(): Promise<void> | null;
  /** Commits the open group now (shutdown). */
  flush(): void;
  /**
   * After a statement in the group failed: when SQLite rolled back the whole transaction (it may, after
   * SQLITE_FULL, IOERR, BUSY or NOMEM), every write of the group is gone, so the group ends here and its
   * writers get `error`. Left open, later writers would join it and run outside any transaction, then be told
   * their commit failed after all.
   */
  abandon(error: unknown): void;
  /** True while the server thread waits for or holds the write lock: the job worker should commit and yield. */
  contended(): boolean;
}

/**
 * Writer priority between the two threads of `npm start`, over shared memory: `shared[0]` counts the server
 * thread's groups waiting or in progress. Why: SQLite's write lock is not fair, and its busy handler sleeps
 * 1, 2, 5 … 100 ms between tries; a job thread that commits and begins again at once kept acknowledgements
 * waiting up to a second. The server announces itself and retries every millisecond without blocking; the
 * job worker commits at its next job boundary and does not begin again until the server is done (bounded,
 * so it never starves).
 */
export interface WriterPriority {
  shared: Int32Array;
  role: 'server' | 'jobs';
}

/** The longest the job thread defers to the server thread before it queues for the lock like anyone else. */
const MAX_DEFER_MS = 50;
/** How long `enter()` keeps retrying before it reports the database busy (the connection's busy_timeout). */
const ENTER_TIMEOUT_MS = 5000;
const BUSY_RE = /SQLITE_BUSY|database is locked/;
/**
 * While other write requests are in flight on this thread (their bodies still being read or checked), a new
 * group stays open up to this long for them, so one commit carries several: a commit costs about as much
 * CPU as the inserts of four messages. It commits as soon as every request in flight has joined, and at once
 * when it is the only one: a message arriving alone is not made to wait for company.
 */
const GATHER_MS = 2;

/** What became of each group: `failed` also for a group ended by a failed statement (abandon). */
export interface GroupEvents {
  failed(error: unknown): void;
  committed(): void;
}

/**
 * `inFlight` counts this thread's write requests under way (the server's POSTs), the writers a new group may
 * wait for; without it groups commit on the next turn.
 */
export function groupCommit(sqlite: Database.Database, events: GroupEvents, priority?: WriterPriority, inFlight?: () => number): GroupCommit {
  interface Group {
    committed: Promise<void>;
    settle: (error?: unknown) => void;
    /** Server requests in the group; 0 for the job thread's, which never gathers. */
    writers: number;
    /** Waiting (at most GATHER_MS) for the requests in flight to join. */
    gathering: boolean;
    /** Commits this group if it is still the open one (a late timer must not cut a later group short). */
    flushIfOpen: () => void;
  }
  let open: Group | null = null;
  let entering: Promise<{ committed: Promise<void> }> | null = null;
  /** Callers waiting on `entering`: they join the group it opens. */
  let queued = 0;
  let lastCommitAt = -Infinity;
  let lastWriters = 0;
  const server = priority?.role === 'server' ? priority.shared : null;
  const jobs = priority?.role === 'jobs' ? priority.shared : null;

  const announce = () => server && Atomics.add(server, 0, 1);
  const withdraw = () => {
    if (!server) return;
    Atomics.sub(server, 0, 1);
    Atomics.notify(server, 0);
  };

  const flush = () => {
    const group = open;
    if (!group) return;
    open = null;
    try {
      sqlite.exec('COMMIT');
      lastCommitAt = performance.now();
      lastWriters = group.writers;
      events.committed();
      group.settle();
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      events.failed(error);
      group.settle(error);
    } finally {
      withdraw();
    }
  };

  const opened = (writers: number) => {
    let settle!: (error?: unknown) => void;
    const committed = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // A caller that does not wait for durability must not turn a failed commit into an unhandled rejection.
    committed.catch(() => undefined);
    // Requests still in the kernel's buffers are not counted in flight yet: when groups of several follow one
    // another closely (a flood), the next group waits its full time for them.
    const flood = lastWriters > 1 && performance.now() - lastCommitAt < GATHER_MS;
    const group: Group = {
      committed, settle, writers,
      gathering: writers > 0 && !flood && (inFlight?.() ?? 0) > writers,
      flushIfOpen: () => {
        if (open === group) flush();
      },
    };
    open = group;
    if (writers > 0 && (flood || group.gathering)) setTimeout(group.flushIfOpen, GATHER_MS);
    else setImmediate(group.flushIfOpen);
    return { committed };
  };
  /** A writer joins the open group: once every request in flight is in it, waiting longer gains nothing. */
  const join = (group: Group) => {
    group.writers += 1;
    if (group.gathering && (inFlight?.() ?? 0) <= group.writers) {
      group.gathering = false;
      setImmediate(group.flushIfOpen);
    }
    return { committed: group.committed };
  };

  /** One try without SQLite's sleeping busy handler; false when another connection holds the lock. */
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  // exec, not pragma(): the setting takes effect as the statement compiles either way, and pragma() also
  // builds a statement object and a result array, twice per try of a server thread that tries every millisecond.
  const noWait = 'PRAGMA busy_timeout = 0';
  const wait = `PRAGMA busy_timeout = ${busyTimeout}`;
  const tryBegin = (): boolean => {
    sqlite.exec(noWait);
    try {
      sqlite.exec('BEGIN IMMEDIATE');
      return true;
    } catch (error) {
      if (error instanceof Error && BUSY_RE.test(error.message)) return false;
      throw error;
    } finally {
      sqlite.exec(wait);
    }
  };

  return {
    open() {
      if (open) return;
      announce();
      // Blocking is allowed here: the job worker runs in a worker thread, never on the main thread.
      const deadline = jobs ? performance.now() + MAX_DEFER_MS : 0;
      while (jobs && Atomics.load(jobs, 0) > 0 && performance.now() < deadline) Atomics.wait(jobs, 0, Atomics.load(jobs, 0), 1);
      // Someone else's synchronous transaction cannot be open here: better-sqlite3 finishes those before returning.
      try {
        sqlite.exec('BEGIN IMMEDIATE');
      } catch (error) {
        withdraw();
        throw error;
      }
      opened(0);
    },
    enter() {
      if (open) return Promise.resolve(join(open));
      if (entering) {
        queued += 1;
        return entering;
      }
      const attempt = (async () => {
        announce();
        try {
          const deadline = performance.now() + ENTER_TIMEOUT_MS;
          while (!tryBegin()) {
            if (performance.now() > deadline) throw new Error('SQLITE_BUSY: database is locked (write lock not free after 5 s)');
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        } catch (error) {
          queued = 0;
          withdraw();
          throw error;
        }
        const writers = 1 + queued;
        queued = 0;
        return opened(writers);
      })();
      // Cleared once settled, not inside the attempt: a first try that succeeds finishes before `entering` is set.
      entering = attempt;
      const clear = () => {
        if (entering === attempt) entering = null;
      };
      attempt.then(clear, clear);
      return attempt;
    },
    pending: () => open?.committed ?? null,
    flush,
    abandon(error) {
      const group = open;
      if (!group || sqlite.inTransaction) return;
      open = null;
      events.failed(error);
      group.settle(error);
      withdraw();
    },
    contended: () => (jobs ? Atomics.load(jobs, 0) > 0 : false),
  };
}
