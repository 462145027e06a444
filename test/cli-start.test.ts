import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

  it('refuses a channel set up only in part, naming what is missing (never a value)', async () => {
    const feishu = await start({ FEISHU_APP_ID: 'cli_partial_app', DATABASE_PATH: join(dir, 'feishu.db') });
    expect(feishu.code).toBe(1);
    expect(feishu.stderr).toBe('minyi: Invalid configuration: Feishu needs FEISHU_APP_SECRET and FEISHU_VERIFICATION_TOKEN as well as FEISHU_APP_ID; '
      + 'set them, or unset FEISHU_APP_ID to run without Feishu (FEISHU_MODE=ws needs no FEISHU_VERIFICATION_TOKEN)\n');
    const dingtalk = await start({ DINGTALK_APP_KEY: 'dingpartialkey0001', DATABASE_PATH: join(dir, 'dingtalk.db') });
    expect(dingtalk.code).toBe(1);
    expect(dingtalk.stderr).toBe('minyi: Invalid configuration: DingTalk needs DINGTALK_APP_SECRET as well as DINGTALK_APP_KEY; set it, or unset DINGTALK_APP_KEY to run without DingTalk\n');
    expect(feishu.stderr + dingtalk.stderr).not.toContain('cli_partial_app');
  }, 60_000);

  it('names a bad API token and its rule, never the token itself', async () => {
    const run = await start({ MINYI_API_TOKEN: 'hunter2-secret', DATABASE_PATH: join(dir, 'token.db') });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('minyi: Invalid configuration: MINYI_API_TOKEN: must be at least 16 characters\n');
  }, 60_000);
});

/** A port nothing listens on, for a server that must start. */
function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe: Server = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => resolve(p));
    });
  });
}

describe('settings from a .env file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-envfile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts the server in `cwd` and returns what it printed once it listens, then stops it. */
  function listen(cwd: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
    return new Promise((resolve, reject) => {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['PORT', 'DATABASE_PATH', 'MINYI_API_TOKEN', 'MINYI_ENV_FILE'].includes(k)));
      // tsx by path: it is not resolvable from a directory outside the project.
      const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
      const proc = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/runtime/node.ts')], {
        cwd, env: { ...clean, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('listening')) proc.kill('SIGTERM');
      });
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.on('error', reject);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      proc.on('close', (code) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code });
      });
    });
  }

  it('reads ./.env where minyi is started; the environment wins over the file', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe: Server = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    writeFileSync(join(dir, '.env'), `# office settings\nPORT=${port}\nDATABASE_PATH=${join(dir, 'from-file.db')}\nMINYI_API_TOKEN="file-token-0123456789"\n`);
    const fromFile = await listen(dir, {});
    expect(fromFile.stdout).toContain(`listening on http://127.0.0.1:${port} (database ${join(dir, 'from-file.db')})`);
    expect(existsSync(join(dir, 'from-file.db'))).toBe(true);
    // The token came from the file too: none was generated.
    expect(fromFile.stdout).not.toContain('API token');

    const overridden = await listen(dir, { DATABASE_PATH: join(dir, 'from-env.db') });
    expect(overridden.stdout).toContain(`(database ${join(dir, 'from-env.db')})`);
  }, 60_000);

  it('says once at start that MINYI_API_TOKEN is used and an earlier generated api-token file is not', async () => {
    const cwd = mkdtempSync(join(dir, 'token-'));
    const env = { PORT: String(await freePort()), DATABASE_PATH: join(cwd, 'data', 'minyi.db') };
    const tokenFile = join(cwd, 'data', 'api-token');
    const generated = await listen(cwd, env);
    expect(generated.stdout).toContain(`API token (saved to ${tokenFile}):`);
    const configured = await listen(cwd, { ...env, MINYI_API_TOKEN: 'office-chosen-token-0123' });
    expect(configured.stdout.split('\n').filter((l) => l.startsWith('API token'))).toEqual([
      `API token: from MINYI_API_TOKEN (${tokenFile} is an older generated one and is not used)`,
    ]);
    expect(configured.stdout).not.toContain('office-chosen-token-0123');
  }, 60_000);

  it('the CLI reads the same file', async () => {
    const cli = mkdtempSync(join(dir, 'cli-'));
    writeFileSync(join(cli, '.env'), 'DISTRICT_CODE=not-a-code\n');
    const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const run = spawnSync(process.execPath, ['--import', tsx, join(ROOT, 'src/runtime/cli/main.ts'), 'stats'], { cwd: cli, encoding: 'utf8', env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DISTRICT_CODE')) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('DISTRICT_CODE');
  }, 60_000);

  it('a named settings file that is missing stops the start with one line', async () => {
    const run = await start({ MINYI_ENV_FILE: join(dir, 'missing.env'), DATABASE_PATH: join(dir, 'x.db') });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`minyi: cannot read settings file ${join(dir, 'missing.env')}: no such file\n`);
  }, 60_000);

  it('a settings file that is a directory is named as such', async () => {
    const run = await start({ MINYI_ENV_FILE: dir, DATABASE_PATH: join(dir, 'y.db') });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`minyi: cannot read settings file ${dir}: not a file\n`);
  }, 60_000);
});
