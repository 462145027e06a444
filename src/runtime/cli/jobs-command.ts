import { existsSync } from 'node:fs';
import { JOB_CLUSTER_CHECK, JOB_DAILY_REMINDER, JOB_PROCESS_MESSAGE, JOB_SEND_REPLY, JOB_WEEKLY_BULLETIN } from '../../app/deps.js';
import { maskPersonalData } from '../../core/masking.js';
import type { JobInfo, JobState } from '../../core/ports.js';
import { formatShanghai } from '../../core/time.js';
import { SqlJobQueue } from '../../store/sql-job-queue.js';
import { openSqlite } from '../../store/sqlite-driver.js';
import type { Config } from '../config.js';
import { err, limitOption, out, pad, UsageError } from './io.js';

export const RETRY_SYNOPSIS = 'retry <job-id>… | retry --dead [--type t]';
const STATES: readonly JobState[] = ['dead', 'queued', 'running'];
/** The types src/app/job-handlers.ts runs: a misspelt --type would match nothing and look like "no dead jobs". */
const TYPES: readonly string[] = [JOB_PROCESS_MESSAGE, JOB_SEND_REPLY, JOB_CLUSTER_CHECK, JOB_WEEKLY_BULLETIN, JOB_DAILY_REMINDER];

function checkType(type: string | undefined): void {
  if (type !== undefined && !TYPES.includes(type)) throw new UsageError(`unknown job type: ${type} (one of ${TYPES.join(', ')})`);
}
/** Enough to tell one failure from another; --json carries the whole line. */
const ERROR_COLUMN_CHARS = 160;

/**
 * Its own connection, not the server's runtime: safe beside a running server (WAL; SQLite's busy timeout
 * waits out the job thread's short commits). A missing file is refused, or a mistyped DATABASE_PATH would
 * create an empty database and report no dead jobs.
 */
async function withQueue(config: Config, use: (queue: SqlJobQueue) => Promise<number>): Promise<number> {
  if (!existsSync(config.DATABASE_PATH)) {
    err(`no database at ${config.DATABASE_PATH} (set DATABASE_PATH)`);
    return 1;
  }
  const handle = openSqlite(config.DATABASE_PATH);
  try {
    return await use(new SqlJobQueue(handle.db));
  } finally {
    handle.close();
  }
}

/** One line, masked: errors can quote a resident's words, and a stack's newlines would break the columns. */
function errorLine(error: string | null): string {
  return error === null ? '' : maskPersonalData(error.replace(/\s+/g, ' ').trim(), { houseNumbers: true }).text;
}

function cut(s: string, max: number): string {
  return [...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`;
}

function asJson(j: JobInfo): string {
  return JSON.stringify({
    id: j.id, type: j.type, state: j.state, attempts: j.attempts, lastError: errorLine(j.lastError) || null,
    updated: formatShanghai(j.updatedAt), updatedAt: j.updatedAt, runAt: j.runAt, createdAt: j.createdAt,
    inboundId: j.inbound?.id ?? null, inboundState: j.inbound ? j.inbound.state ?? 'missing' : null,
  });
}

function messageCell(j: JobInfo): string {
  return j.inbound ? `${j.inbound.id} (${j.inbound.state ?? 'missing'})` : '-';
}

/** Columns as wide as their longest cell; the error last, as it is the one that varies most. */
function table(jobs: JobInfo[]): string[] {
  const rows = jobs.map((j) => [j.id, j.type, String(j.attempts), j.state, formatShanghai(j.updatedAt), messageCell(j), cut(errorLine(j.lastError), ERROR_COLUMN_CHARS) || '-']);
  const head = ['id', 'type', 'attempts', 'state', 'updated', 'message', 'last error'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]!))).join('  '));
}

/** `minyi jobs`: which jobs are dead (or waiting, or running), why, and for which message. */
export async function jobsCommand(config: Config, opts: { state?: string; type?: string; limit?: string; json?: boolean }): Promise<number> {
  const state = (opts.state ?? 'dead') as JobState;
  if (!STATES.includes(state)) throw new UsageError(`unknown job state: ${opts.state} (one of ${STATES.join(', ')})`);
  checkType(opts.type);
  const limit = limitOption(opts.limit, 50, 1000);
  return withQueue(config, async (queue) => {
    const jobs = await queue.list({ state, limit, ...(opts.type !== undefined && { type: opts.type }) });
    if (opts.json) {
      for (const j of jobs) out(asJson(j));
      return 0;
    }
    const ofType = opts.type === undefined ? '' : ` of type ${opts.type}`;
    if (jobs.length === 0) {
      out(`no ${state} jobs${ofType}`);
      return 0;
    }
    for (const line of table(jobs)) out(line);
    out(`${jobs.length} ${state} job(s)${ofType}${jobs.length === limit ? ` (the ${limit} most recent; --limit for more)` : ''}`);
    return 0;
  });
}

/** `minyi retry <id…> | --dead [--type t]`: dead jobs run again now, once their cause is fixed. */
export async function retryCommand(config: Config, ids: string[], opts: { dead?: boolean; type?: string }): Promise<number> {
  const usage = (problem: string) => new UsageError(`retry: ${problem}\nusage: minyi ${RETRY_SYNOPSIS}`);
  if (ids.length > 0 && opts.dead) throw usage('give job ids or --dead, not both');
  if (ids.length === 0 && !opts.dead) throw usage('give job ids or --dead');
  if (opts.type !== undefined && !opts.dead) throw usage('--type goes with --dead');
  checkType(opts.type);
  return withQueue(config, async (queue) => {
    const which = opts.dead ? (opts.type === undefined ? {} : { type: opts.type }) : { ids };
    const result = await queue.requeueDead(which, Date.now());
    if (result.refused.length) {
      for (const r of result.refused) err(r.state === null ? `job ${r.id} does not exist` : `job ${r.id} is ${r.state}, not dead`);
      err('nothing requeued');
      return 2;
    }
    const messages = result.messages ? ` (${result.messages} message(s) back to queued)` : '';
    out(`requeued ${result.requeued.length} job(s)${messages}`);
    return 0;
  });
}
