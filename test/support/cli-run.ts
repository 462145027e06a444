import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'src/runtime/cli/bin.mjs');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout's non-empty lines. */
  lines: string[];
}

/** `npx minyi …` as an operator runs it (the package's bin), with `input` on stdin. */
export function minyi(args: string[], env: Record<string, string>, input = '', cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, lines: stdout.split('\n').filter((l) => l.trim() !== '') }));
    child.stdin.end(input);
  });
}
