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
