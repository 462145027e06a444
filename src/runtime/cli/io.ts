import { closeSync, createReadStream, fstatSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isStatus, RECORD_STATUSES, type RecordStatus } from '../../core/status.js';

/** Reads JSON lines from a stream; reports the line number of a bad line instead of stopping. */
export async function* jsonLines(input: NodeJS.ReadableStream): AsyncGenerator<{ line: number; value: unknown; error?: string }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch {
      yield { line, value: null, error: `line ${line}: not valid JSON` };
    }
  }
}

export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A failure, on stderr: what a command prints on stdout stays its result, safe to pipe. */
export function err(line: string): void {
  process.stderr.write(`minyi: ${line}\n`);
}

/** Pads by display width: CJK characters take two columns in a terminal. */
export function pad(s: string, width: number): string {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return s + ' '.repeat(Math.max(0, width - w));
}

/** What went wrong with a path, as an operator fixes it; Node's own text (ENOENT: …, open '…') names neither. */
const READ_REASONS: Record<string, string> = {
  ENOENT: 'no such file', EISDIR: 'is a directory', EACCES: 'permission denied', EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory', ELOOP: 'too many symbolic links',
};
const WRITE_REASONS: Record<string, string> = {
  ...READ_REASONS, ENOENT: 'no such directory', ENOSPC: 'no space left on the disk', EROFS: 'read-only file system',
};

/** One line naming the file and the reason, for every command that reads or writes one. */
function fileError(doing: 'read' | 'write', file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = (code && (doing === 'read' ? READ_REASONS : WRITE_REASONS)[code]) ?? (error instanceof Error ? error.message : String(error));
  return new Error(`cannot ${doing} ${file}: ${reason}`);
}

/** Opened before anything runs: a directory opens fine on Linux and only fails at the first read. */
function openForReading(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw fileError('read', file, error);
  }
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd);
    throw fileError('read', file, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
  }
  return fd;
}

/** A file's lines as a stream; a file that cannot be read is refused here, in one line. */
export function inputStream(file: string): NodeJS.ReadableStream {
  return createReadStream('', { fd: openForReading(file) });
}

export function readInputFile(file: string): string {
  const fd = openForReading(file);
  try {
    return readFileSync(fd, 'utf8');
  } catch (error) {
    throw fileError('read', file, error);
  } finally {
    closeSync(fd);
  }
}

/** For a file read by another library (SQLite's own errors say "disk I/O error" for a directory). */
export function checkInputFile(file: string): void {
  closeSync(openForReading(file));
}

/** For a file written by another library, before the work that produces it: its directory must be there. */
export function checkOutputFile(file: string): void {
  const enoent = Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  let directory;
  try {
    directory = statSync(dirname(resolve(file)));
  } catch (error) {
    throw fileError('write', file, error);
  }
  if (!directory.isDirectory()) throw fileError('write', file, enoent);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw fileError('write', file, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
}

export function writeOutputFile(file: string, data: string | Uint8Array): void {
  try {
    writeFileSync(file, data);
  } catch (error) {
    throw fileError('write', file, error);
  }
}

/** A bad option value: `main` prints it and exits with 2. */
export class UsageError extends Error {}

/** `--status a,b`, checked as GET /api/records checks it: an unknown status is an error, not an empty list. */
export function statusesOption(value: string | undefined): RecordStatus[] | undefined {
  if (value === undefined) return undefined;
  const statuses = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = statuses.find((s) => !isStatus(s));
  if (unknown !== undefined) throw new UsageError(`unknown status: ${unknown} (one of ${RECORD_STATUSES.join(', ')})`);
  return statuses as RecordStatus[];
}

/** `--limit n`: a whole number from 1 to `max`. */
export function limitOption(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--limit: expected a whole number from 1 to ${max}, got "${value}"`);
  return n;
}
