import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { acceptApiMessage, type IntakeInput } from './intake-runner.js';
import { jsonLines, out } from './io.js';

const lineSchema = z.union([
  z.object({ text: z.string().min(1), sender: z.object({ id: z.string(), name: z.string().optional() }).optional(), chat: z.object({ id: z.string() }).optional(), town: z.string().optional() }),
  z.object({ id: z.union([z.string(), z.number()]), title: z.string().default(''), body: z.string().default('') }),
]);

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
  if (!file) {
    out('usage: minyi import <messages.jsonl> [--skip-invalid]   (lines: {"text","sender":{"id"}} or {"id","title","body"})');
    return 2;
  }
  const messages: { message: IntakeInput; key: string }[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for await (const { line, value, error } of jsonLines(createReadStream(file))) {
    const parsed = error ? null : lineSchema.safeParse(value);
    if (!parsed?.success) {
      problems.push(error ?? `line ${line}: expected {"text", "sender"} or {"id","title","body"}`);
      continue;
    }
    const v = parsed.data;
    const message = 'text' in v
      ? { text: v.text, sender: v.sender ?? { id: 'import' }, ...(v.chat ? { chat: v.chat } : {}), ...(v.town ? { town: v.town } : {}) }
      : { text: `${v.title}\n${v.body}`.trim(), sender: { id: `import:${v.id}` } };
    messages.push({ message, key: lineKey(value, seen) });
  }
  for (const p of problems) out(p);
  if (problems.length && !skipInvalid) {
    out(`nothing imported: ${problems.length} bad line(s); fix them, or pass --skip-invalid to import the other ${messages.length}`);
    return 1;
  }
  const runtime = await buildNodeRuntime(config, jsonLogger('warn'));
  try {
    let before = 0;
    for (const { message, key } of messages) if ((await acceptApiMessage(runtime.deps, message, key)).duplicate) before++;
    await runtime.worker?.drain();
    const stats = await runtime.deps.jobs.stats(Date.now());
    const again = before ? `, ${before} imported before (not filed again)` : '';
    out(`imported ${messages.length - before} message(s)${again}, skipped ${problems.length}; jobs left: ${stats.queued} queued, ${stats.dead} failed`);
  } finally {
    await runtime.close();
  }
  return problems.length ? 1 : 0;
}
