import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type ApiMessage, importedMessageSchema } from '../../channels/http/api-message.js';
import { unknownTown } from '../../core/place-decision.js';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { acceptApiMessage } from './intake-runner.js';
import { inputStream, jsonLines, out, UsageError } from './io.js';

/** The other line shape: a title and a body, as petition systems export them; filed as one text. */
const titledSchema = z.object({ id: z.union([z.string(), z.number()]), title: z.string().default(''), body: z.string().default('') });

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : 'expected {"text", "sender"} or {"id","title","body"}';
}

/**
 * A line as the message it becomes, checked by POST /api/messages' own fields: the worker re-checks stored
 * messages with it, so a line that passed a looser check here would fail there on every retry.
 */
function toMessage(value: unknown): { message: ApiMessage } | { problem: string } {
  const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  let candidate: unknown = value;
  if (object && !('text' in object) && ('title' in object || 'body' in object)) {
    const titled = titledSchema.safeParse(object);
    if (!titled.success) return { problem: firstIssue(titled.error) };
    candidate = { text: `${titled.data.title}\n${titled.data.body}`.trim(), sender: { id: `import:${titled.data.id}` } };
  } else if (object && !('sender' in object)) {
    candidate = { ...object, sender: { id: 'import' } };
  }
  const parsed = importedMessageSchema.safeParse(candidate);
  return parsed.success ? { message: parsed.data } : { problem: firstIssue(parsed.error) };
}

/**
 * A line's message key: its content (parsed, so spacing does not matter) and, for the second and later copies
 * of the same line in one file, which copy it is. Importing a file again, or again after a crash, or with
 * lines appended, files only the lines not filed before; two files that share a line share its record.
 */
function lineKey(value: unknown, seen: Map<string, number>): string {
  const digest = createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 32);
  const copy = (seen.get(digest) ?? 0) + 1;
  seen.set(digest, copy);
  return copy === 1 ? `import:${digest}` : `import:${digest}:${copy}`;
}

/**
 * `minyi import <file.jsonl> [--skip-invalid]`: each line through the real pipeline into the configured
 * database. The whole file is checked first: a bad line imports nothing unless the operator asks to skip it.
 */
export async function importCommand(config: Config, file: string | undefined, skipInvalid = false): Promise<number> {
  if (!file) throw new UsageError('usage: minyi import <messages.jsonl> [--skip-invalid]');
  const lines: { line: number; message: ApiMessage; key: string }[] = [];
  const problems: { line: number; problem: string }[] = [];
  const seen = new Map<string, number>();
  for await (const { line, value, error } of jsonLines(inputStream(file))) {
    const checked = error ? { problem: 'not valid JSON' } : toMessage(value);
    if ('problem' in checked) problems.push({ line, problem: checked.problem });
    else lines.push({ line, message: checked.message, key: lineKey(value, seen) });
  }
  const runtime = await buildNodeRuntime(config, jsonLogger('warn'));
  try {
    // An unknown town is refused as the API refuses it, against the district this database was seeded with.
    const messages = lines.filter(({ line, message }) => {
      const problem = unknownTown(runtime.deps.district.towns, message.town);
      if (problem) problems.push({ line, problem });
      return !problem;
    });
    problems.sort((a, b) => a.line - b.line);
    for (const { line, problem } of problems) out(`line ${line}: ${problem}`);
    if (problems.length && !skipInvalid) {
      out(`nothing imported: ${problems.length} bad line(s); fix them, or pass --skip-invalid to import the other ${messages.length}`);
      return 1;
    }
    let before = 0;
    for (const { message, key } of messages) if ((await acceptApiMessage(runtime.deps, message, key)).duplicate) before++;
    await runtime.worker?.drain();
    const stats = await runtime.deps.jobs.stats(Date.now());
    const again = before ? `, ${before} imported before (not filed again)` : '';
    out(`imported ${messages.length - before} message(s)${again}, skipped ${problems.length}; jobs left: ${stats.queued} queued, ${stats.dead} failed`);
    return problems.length ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
