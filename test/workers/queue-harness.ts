import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import type { WorkerEnv } from '../../src/runtime/worker-env.js';
import worker from '../../src/runtime/worker.js';
import { DB } from './d1-harness.js';

/** The JOBS binding, recording the wake-ups the Worker sends so the test can deliver them. */
export function recordingQueue() {
  const jobIds: string[] = [];
  const take = (m: { body: unknown }) => jobIds.push((m.body as { jobId: string }).jobId);
  return { jobIds, queue: { send: async (body: unknown) => void take({ body }), sendBatch: async (ms: Iterable<{ body: unknown }>) => void [...ms].forEach(take) } };
}

/** A POST to the Worker's `path`, finished with everything it left running (waitUntil). */
export async function postToWorker(e: WorkerEnv, path: string, req: { headers: Record<string, string>; body: string }): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://minyi.example${path}`, { method: 'POST', headers: req.headers, body: req.body }), e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Delivers the pending wake-ups to the queue handler, as Queues would, until none are left. */
export async function deliver(e: WorkerEnv, q: ReturnType<typeof recordingQueue>): Promise<void> {
  for (let round = 0; round < 5 && q.jobIds.length; round++) {
    const ids = q.jobIds.splice(0);
    const batch = createMessageBatch('minyi-jobs', ids.map((jobId, i) => ({ id: `m${round}-${i}`, timestamp: new Date(), attempts: 1, body: { jobId } })));
    const ctx = createExecutionContext();
    await worker.queue(batch, e, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(ids.length);
  }
}

export async function count(table: string): Promise<number> {
  return (await DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;
}
