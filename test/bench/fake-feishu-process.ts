import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { waitForExit } from '../support/child-server.js';

export interface FakeFeishuProcess {
  url: string;
  /** How many messages the bot posted in reply to each message id. */
  postedPerMessage(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * The benches' fake Feishu (fake-feishu-child.ts) in a process of its own: in the driver's process its work,
 * a reply POST for every message, would slow the driver and show up as latency the bot never caused.
 */
export async function startFakeFeishuProcess(): Promise<FakeFeishuProcess> {
  const proc = fork(join(import.meta.dirname, 'fake-feishu-child.ts'), { execArgv: ['--import', 'tsx'] });
  const [{ url }] = (await once(proc, 'message')) as [{ url: string }];
  return {
    url,
    async postedPerMessage() {
      proc.send('report');
      const [{ perParent }] = (await once(proc, 'message')) as [{ perParent: Record<string, number> }];
      return perParent;
    },
    async close() {
      proc.disconnect();
      await waitForExit(proc);
    },
  };
}
