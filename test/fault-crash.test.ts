import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FakeFeishu } from './fakes/fake-feishu.js';
import { smartModel } from './fakes/fake-llm-model.js';
import { type FakeLlm, startFakeLlm } from './fakes/fake-llm-server.js';
import { checkInvariants, kill9, postMessages, serverEnv, spawnServer, startFake, waitQuiet } from './support/fault-harness.js';

const PER_RUN = 40;
/** Requests the poster keeps in flight: at most these were stored and never acknowledged when the kill came. */
const IN_FLIGHT = 6;

/** A seeded jitter, so a failure names the run that can reproduce it. */
function jitter(run: number, maxMs: number): number {
  return ((run * 2_654_435_761) >>> 0) % maxMs;
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('kill point never reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * kill -9 at a point of the pipeline, restart, and check what members would notice. Replies are counted as
 * Feishu shows them (one message per uuid): a send in flight at the kill is sent again after the restart
 * with the same uuid, which Feishu dedupes, so raw requests may exceed replies but threads never get two.
 */
describe('kill -9 at points of the pipeline, then restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-fault-'));
  const fakes: FakeFeishu[] = [];
  const llms: FakeLlm[] = [];
  afterAll(async () => {
    await Promise.all([...fakes.map((f) => f.close()), ...llms.map((l) => l.close())]);
    rmSync(dir, { recursive: true, force: true });
  });

  const scenario = async (run: number, opts: { llm?: FakeLlm; beforeStart?: (f: FakeFeishu) => void; killWhen: (f: FakeFeishu, acked: number) => boolean; afterKill?: (f: FakeFeishu) => void }) => {
    const fake = await startFake();
    fakes.push(fake);
    opts.beforeStart?.(fake);
    const dbPath = join(dir, `run-${run}.db`);
    const llmEnv: Record<string, string> = opts.llm ? { LLM_BASE_URL: opts.llm.baseURL, LLM_API_KEY: 'k', LLM_MODEL: 'fake', LLM_LOCAL_CONFIDENCE: '1', LLM_TIMEOUT_MS: '20000' } : {};
    const env = serverEnv(dbPath, fake, llmEnv);
    const first = await spawnServer(env);
    let ackedSoFar = 0;
    const posting = postMessages(first.url, run, PER_RUN, IN_FLIGHT, (n) => (ackedSoFar = n));
    await until(() => opts.killWhen(fake, ackedSoFar));
    await new Promise((r) => setTimeout(r, jitter(run, 300)));
    await kill9(first.proc);
    const acked = await posting;
    opts.afterKill?.(fake);
    const second = await spawnServer(env);
    try {
      await waitQuiet(dbPath);
    } finally {
      await kill9(second.proc);
    }
    const inv = checkInvariants(dbPath, fake, acked);
    expect(inv.integrity).toBe('ok');
    expect(acked.length).toBeGreaterThan(0);
    expect(inv.notOneSource).toEqual([]);
    expect(inv.notOneReply).toEqual([]);
    expect(inv.filedTwice).toEqual([]);
    expect(inv.records + inv.plusOnes).toBe(inv.filed);
    expect(inv.filed - acked.length).toBeGreaterThanOrEqual(0);
    expect(inv.filed - acked.length).toBeLessThanOrEqual(IN_FLIGHT);
    // The figures the issue asks for (kills, points, messages per run) show in the test output.
    console.info(`fault run ${run}: acked ${acked.length}, filed ${inv.filed}, records ${inv.records}, +1 ${inv.plusOnes}, replies ${inv.replies}, send requests ${inv.sendRequests}`);
    return { acked: acked.length, ...inv };
  };

  it('while acknowledging: right after a stream of 200s', async () => {
    const r = await scenario(1, { killWhen: (_f, acked) => acked >= 20 });
    // Everything stored before the kill is filed and answered once, acknowledged or not.
    expect(r.replies).toBe(r.filed);
  }, 60_000);

  it('mid-send: replies in flight at the kill are resent with the same uuid, never shown twice', async () => {
    const r = await scenario(2, {
      beforeStart: (f) => (f.sendDelayMs = 1500),
      killWhen: (f) => f.requests.filter((q) => q.path.includes('/reply')).length >= 3,
      afterKill: (f) => (f.sendDelayMs = 0),
    });
    expect(r.sendRequests).toBeGreaterThanOrEqual(r.replies);
  }, 60_000);

  it('mid-pipeline: some receipts out, the rest being filed', async () => {
    await scenario(4, { killWhen: (f) => f.posted.length >= 5 });
  }, 60_000);

  it('mid-classification: items waiting on the LLM are classified after the restart', async () => {
    let hang = true;
    const llm = await startFakeLlm((body) => (hang ? 'hang' : smartModel(body)));
    llms.push(llm);
    await scenario(3, { llm, killWhen: () => llm.requests.length >= 1, afterKill: () => (hang = false) });
    expect(llm.requests.length).toBeGreaterThan(1);
  }, 60_000);
});
