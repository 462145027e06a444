import { FakeFeishu } from '../fakes/fake-feishu.js';
import { FEISHU } from '../support/feishu-events.js';

/**
 * The benches' fake Feishu in a process of its own (started by fake-feishu-process.ts). Sends `{ url }` once
 * listening; on 'report' sends how many messages were posted per quoted message.
 */
const fake = await new FakeFeishu({ appId: FEISHU.appId, appSecret: FEISHU.appSecret, botOpenId: FEISHU.botOpenId }).start();
process.on('message', (m: unknown) => {
  if (m !== 'report') return;
  const perParent: Record<string, number> = {};
  for (const p of fake.posted) if (p.parentId) perParent[p.parentId] = (perParent[p.parentId] ?? 0) + 1;
  process.send?.({ perParent });
});
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
process.send?.({ url: fake.url });
