import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnServer, waitForExit } from './support/child-server.js';

/** The nice value of each thread of a process (field 19 of /proc/<pid>/task/<tid>/stat, after the name). */
function niceByThread(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

describe.runIf(process.platform === 'linux')('thread priorities of npm start', () => {
  it('runs the job thread below the acknowledging thread, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minyi-nice-'));
    const server = await spawnServer({ DATABASE_PATH: join(dir, 'db.sqlite'), MINYI_API_TOKEN: 'nice-test-token-0123456789' });
    try {
      const pid = server.proc.pid!;
      const nice = niceByThread(pid);
      // Relative to however the test itself was started (a CI runner may already be niced).
      const base = nice.get(pid)!;
      const lowered = [...nice].filter(([, n]) => n !== base);
      expect(lowered.map(([, n]) => n)).toEqual([Math.max(base, 10)].filter((n) => n !== base));
    } finally {
      server.proc.kill('SIGTERM');
      await waitForExit(server.proc);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
