import { Cron } from 'croner';
import type { Logger } from '../core/ports.js';

export interface SchedulerHandle {
  stop(): void;
}

/**
 * Node's clock for scheduled tasks: croner wakes `tick` at each pattern (Asia/Shanghai). The tick decides
 * what is due and records it in the database, so this file holds no state worth losing.
 */
export function startScheduler(patterns: readonly string[], tick: () => Promise<unknown>, log: Logger): SchedulerHandle {
  const run = () => {
    tick().catch((error: unknown) => log.error('schedule.tick_failed', { error: error instanceof Error ? error.message : String(error) }));
  };
  const jobs = [...new Set(patterns)].map((p) => new Cron(p, { timezone: 'Asia/Shanghai', protect: true }, run));
  return {
    stop() {
      for (const j of jobs) j.stop();
    },
  };
}
