import { z } from 'zod';

const inputSchema = z.union([
  z.object({ id: z.union([z.string(), z.number()]), text: z.string() }),
  z.object({ id: z.union([z.string(), z.number()]), title: z.string().default(''), body: z.string().default('') }),
]);

/**
 * One input line of `minyi classify` (offline and --llm alike), as the item to classify or the error line
 * printed in its place. A line with no words is an error like a line without an id: classifying nothing
 * would print a category and a confidence that mean nothing.
 */
export function classifyInput(line: number, value: unknown, error?: string): { id: string | number; text: string } | { error: string } {
  const parsed = error ? null : inputSchema.safeParse(value);
  if (!parsed?.success) return { error: error ?? `line ${line}: expected {"id","text"} or {"id","title","body"}` };
  const v = parsed.data;
  const text = 'text' in v ? v.text : `${v.title}\n${v.body}`.trim();
  if (!text.trim()) return { error: `line ${line}: no text to classify (give "text", or "title" and "body")` };
  return { id: v.id, text };
}
