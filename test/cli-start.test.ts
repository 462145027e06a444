import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** `npm start` as an operator runs it: what it prints on stderr and how it exits. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/runtime/node.ts')], {
      cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    // A server that did start would run forever: stop it, and the test fails on its exit code.
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a start that cannot go ahead stops with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the port already in use, without a stack trace', async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      const run = await start({ PORT: String(port), DATABASE_PATH: join(dir, 'port.db') });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`minyi: failed to start: port ${port} on 127.0.0.1 is in use\n`);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('names a bad API token and its rule, never the token itself', async () => {
    const run = await start({ MINYI_API_TOKEN: 'hunter2-secret', DATABASE_PATH: join(dir, 'token.db') });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('minyi: Invalid configuration: MINYI_API_TOKEN: must be at least 16 characters\n');
  }, 60_000);
});
