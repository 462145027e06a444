/**
 * The writes every use case shares: a record event, and a change's effects (replies to store, jobs to
 * enqueue). One place for the SQL, used by the intake, workflow and outputs stores and the job queue. Plain
 * `sql` templates: `Atomic` runs them on both drivers, and they cost a quarter of the query builder's CPU
 * (store/db.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Effects, NewEvent, NewJob } from '../core/ports.js';

export function eventInsert(recordId: string, e: NewEvent, now: number): SQL {
  return sql`INSERT INTO record_events (id, record_id, at, actor_id, actor_name, type, from_value, to_value, note)
    VALUES (${e.id}, ${recordId}, ${now}, ${e.actorId}, ${e.actorName}, ${e.type}, ${e.from}, ${e.to}, ${e.note})`;
}

/** A redelivered job (same id or dedupe key) is not enqueued twice. */
export function jobInsert(j: NewJob, now: number): SQL {
  return sql`INSERT INTO jobs (id, type, payload, state, attempts, run_at, dedupe_key, created_at, updated_at)
    VALUES (${j.id}, ${j.type}, ${JSON.stringify(j.payload)}, 'queued', 0, ${j.runAt}, ${j.dedupeKey ?? null}, ${now}, ${now})
    ON CONFLICT DO NOTHING`;
}

/** A reply already stored under its key (a retried job) is kept as it is. */
export function effectStatements(effects: Effects, now: number): SQL[] {
  const out = effects.replies.map((r) => {
    const state = r.state ?? 'pending';
    return sql`INSERT INTO replies (id, key, inbound_message_id, record_id, kind, target, payload, state, created_at, sent_at)
      VALUES (${r.id}, ${r.key}, ${r.inboundMessageId}, ${r.recordId}, ${r.payload.kind}, ${JSON.stringify(r.target)},
        ${JSON.stringify(r.payload)}, ${state}, ${now}, ${state === 'sent' ? now : null})
      ON CONFLICT DO NOTHING`;
  });
  for (const j of effects.jobs) out.push(jobInsert(j, now));
  return out;
}
