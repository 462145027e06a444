import { createReadStream } from 'node:fs';
import { z } from 'zod';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { acceptApiMessage } from './intake-runner.js';
import { jsonLines, out } from './io.js';

const lineSchema = z.union([
  z.object({ text: z.string().min(1), sender: z.object({ id: z.string(), name: z.string().optional() }).optional(), chat: z.object({ id: z.string() }).optional(), town: z.string().optional() }),
  z.object({ id: z.union([z.string(), z.number()]), title: z.string().default(''), body: z.string().default('') }),
]);

/** `minyi import <file.jsonl>`: each line through the real pipeline into the configured database. */
export async function importCommand(config: Config, file: string | undefined): Promise<number> {
  if (!file) {
    out('usage: minyi import <messages.jsonl>   (lines: {"text","sender":{"id"}} or {"id","title","body"})');
    return 2;
  }
  const runtime = await buildNodeRuntime(config, jsonLogger('warn'));
  let accepted = 0;
  let rejected = 0;
  try {
    for await (const { line, value, error } of jsonLines(createReadStream(file))) {
      const parsed = error ? null : lineSchema.safeParse(value);
      if (!parsed?.success) {
        rejected++;
        out(error ?? `line ${line}: skipped (expected {"text", "sender"} or {"id","title","body"})`);
        continue;
      }
      const v = parsed.data;
      const msg = 'text' in v
        ? { text: v.text, sender: v.sender ?? { id: 'import' }, ...(v.chat ? { chat: v.chat } : {}), ...(v.town ? { town: v.town } : {}) }
        : { text: `${v.title}\n${v.body}`.trim(), sender: { id: `import:${v.id}` } };
      await acceptApiMessage(runtime.deps, msg);
      accepted++;
    }
    await runtime.worker?.drain();
    const stats = await runtime.deps.jobs.stats(Date.now());
    out(`imported ${accepted} message(s), skipped ${rejected}; jobs left: ${stats.queued} queued, ${stats.dead} failed`);
  } finally {
    await runtime.close();
  }
  return rejected ? 1 : 0;
}
