import { createInterface } from 'node:readline';

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

/** Pads by display width: CJK characters take two columns in a terminal. */
export function pad(s: string, width: number): string {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return s + ' '.repeat(Math.max(0, width - w));
}
