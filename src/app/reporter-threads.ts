import type { RecordSource, RecordView, ReplyTarget } from '../core/types.js';
import type { AppDeps } from './deps.js';

// A member whose report joined another member's record ("+1") was answered in their own thread, not the
// record's: what later happens to the record (a 拆分, its status) reaches them there.

/**
 * Where the sender of `source` was answered about it: told "+1", or, for a report filed as a record of its own
 * and later merged into this one (合并), given its receipt or asked for its town.
 */
export async function joinedThread(deps: AppDeps, source: RecordSource): Promise<ReplyTarget | null> {
  for (const kind of ['joined', 'receipt', 'question']) {
    const reply = await deps.store.getReplyByKey(`${source.inboundMessageId}:${source.itemIndex}:${kind}`);
    if (reply) return reply.target;
  }
  return null;
}

export interface ReporterThread {
  senderId: string;
  target: ReplyTarget;
  /** The message of that "+1", so the generic API shows the post beside the report it answers. */
  inboundId: string;
}

/**
 * The members other than the filer who reported `r`, each once (a member who joined twice hears it where they
 * joined last), with the thread where they were told "+1". The filer is reached through the record's thread.
 */
export async function joinedReporters(deps: AppDeps, r: RecordView, sources: RecordSource[]): Promise<ReporterThread[]> {
  const latest = new Map<string, RecordSource>();
  for (const s of sources) if (s.senderId !== r.filedBy) latest.set(s.senderId, s);
  const out: ReporterThread[] = [];
  for (const s of latest.values()) {
    const target = await joinedThread(deps, s);
    if (target) out.push({ senderId: s.senderId, target, inboundId: s.inboundMessageId });
  }
  return out;
}
