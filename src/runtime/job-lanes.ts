import { JOB_CLUSTER_CHECK, JOB_PROCESS_MESSAGE, JOB_SEND_REPLY } from '../app/deps.js';
import type { Job } from '../core/ports.js';

/**
 * Which jobs must run one after another when the worker runs several at once (jobs/lanes.ts):
 * - a chat's messages, in order (a member's note after a bundle, a short answer to the bot's question);
 *   without an LLM all messages share one lane, since nothing in filing waits and side-by-side jobs would
 *   only make an acknowledgement wait for all of them to reach a commit;
 * - replies to one chat, in order (a receipt before the status update that follows it);
 * - 微协商 checks, one at a time, so two checks never propose the same consultation.
 * Jobs queued before `chatKey` existed share one lane per type. Everything else runs freely.
 */
export const jobLanes = (o: { llm: boolean }) => (job: Job): string | null => {
  const key = typeof job.payload.chatKey === 'string' ? job.payload.chatKey : '?';
  if (job.type === JOB_PROCESS_MESSAGE) return o.llm ? `chat:${key}` : 'filing';
  if (job.type === JOB_SEND_REPLY) return `reply:${key}`;
  if (job.type === JOB_CLUSTER_CHECK) return 'cluster';
  return null;
};
