import type { InboundMessage } from '../core/types.js';
import { type AppDeps, JOB_PROCESS_MESSAGE } from './deps.js';

export interface RawInbound {
  platform: InboundMessage['platform'];
  key: string;
  chatId: string;
  senderId: string;
  /** The verified payload exactly as it will be normalised later. */
  raw: unknown;
}

/**
 * Step 1 of the pipeline: persist and enqueue, nothing slow. After this returns the message survives any
 * crash; a redelivery (same platform + key) returns the first id and enqueues nothing.
 */
export async function acceptMessage(deps: AppDeps, m: RawInbound): Promise<{ id: string; duplicate: boolean }> {
  const now = deps.clock.now();
  const id = deps.ids.next('msg');
  const result = await deps.store.acceptInbound(
    { id, platform: m.platform, key: m.key, chatId: m.chatId, senderId: m.senderId, raw: JSON.stringify(m.raw), receivedAt: now },
    { id: deps.ids.next('job'), type: JOB_PROCESS_MESSAGE, payload: { inboundId: id, chatKey: `${m.platform}:${m.chatId}` }, runAt: now, dedupeKey: `process:${id}` },
  );
  if (!result.duplicate) deps.notifyJobs();
  deps.log.info(result.duplicate ? 'inbound.duplicate' : 'inbound.accepted', { platform: m.platform, key: m.key, id: result.id });
  return result;
}
