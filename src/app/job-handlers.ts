import { CLUSTER_MIN_REPORTS } from '../core/cluster.js';
import type { Job } from '../core/ports.js';
import { sendWeeklyBulletins } from './bulletins.js';
import { clusterCheckForInbound, sweepClusters } from './consultations.js';
import { type AppDeps, JOB_CLUSTER_CHECK, JOB_DAILY_REMINDER, JOB_PROCESS_MESSAGE, JOB_SEND_REPLY, JOB_WEEKLY_BULLETIN } from './deps.js';
import { sendDailyReminders } from './reminders.js';
import { type ProcessOutcome, processMessage } from './process-message.js';
import { sendReply } from './send-reply.js';

function str(job: Job, key: string): string {
  const v = job.payload[key];
  if (typeof v !== 'string') throw new Error(`job ${job.id} (${job.type}) lacks ${key}`);
  return v;
}

/** The time a scheduled job stands for (its period), not when the worker got to it. */
function scheduledTime(job: Job, deps: AppDeps): number {
  const v = job.payload['scheduledTime'];
  return typeof v === 'number' ? v : deps.clock.now();
}

function mayCluster(outcome: ProcessOutcome | null): boolean {
  return outcome?.items?.some((i) => i.relatedReports + 1 >= CLUSTER_MIN_REPORTS) ?? false;
}

/** One table of job types, shared by the Node worker loop and the Workers queue consumer. */
export function jobHandlers(deps: AppDeps): Record<string, (job: Job) => Promise<void>> {
  return {
    [JOB_PROCESS_MESSAGE]: async (job) => {
      const inboundId = str(job, 'inboundId');
      const outcome = await processMessage(deps, inboundId);
      // The 微协商 rule around what this message filed (consultations.ts), only when dedupe saw enough related
      // reports to make a cluster possible; the daily task sweeps every town as a backstop.
      if (deps.outputs && mayCluster(outcome)) {
        await deps.jobs.enqueue({ id: deps.ids.next('job'), type: JOB_CLUSTER_CHECK, payload: { inboundId }, runAt: deps.clock.now(), dedupeKey: `cluster:${inboundId}` });
        deps.notifyJobs();
      }
    },
    [JOB_CLUSTER_CHECK]: (job) => clusterCheckForInbound(deps, str(job, 'inboundId')),
    [JOB_WEEKLY_BULLETIN]: async (job) => {
      await sendWeeklyBulletins(deps, scheduledTime(job, deps));
    },
    [JOB_DAILY_REMINDER]: async (job) => {
      await sendDailyReminders(deps, scheduledTime(job, deps));
      if (deps.outputs) await sweepClusters(deps);
    },
    [JOB_SEND_REPLY]: (job) => sendReply(deps, str(job, 'replyKey')),
  };
}
