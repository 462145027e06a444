import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startFakeDingtalk } from '../fakes/fake-dingtalk.js';
import { FakeFeishu } from '../fakes/fake-feishu.js';
import { DINGTALK_TEST } from './dingtalk-test-app.js';
import { FEISHU_TEST } from './feishu-test-app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    feishuFake: { url: string; inspectUrl: string };
    dingtalkFake: { url: string; inspectUrl: string };
  }
}

/**
 * Runs in Node, outside workerd: the loopback Feishu fake the Worker under test calls, plus a read-only
 * endpoint that lets the tests (inside workerd) see what the fake delivered.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await new FakeFeishu({ appId: FEISHU_TEST.appId, appSecret: FEISHU_TEST.appSecret, botOpenId: FEISHU_TEST.botOpenId }).start();
  const dingtalk = await startFakeDingtalk({ appKey: DINGTALK_TEST.appKey, appSecret: DINGTALK_TEST.appSecret });
  // GET /: what the Feishu fake delivered; GET /dingtalk: the DingTalk fake's deliveries; POST
  // /dingtalk/session?id=…: a live session webhook, as DingTalk hands one out with each callback.
  const inspect: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    res.writeHead(200, { 'content-type': 'application/json' });
    if (u.pathname === '/dingtalk/session') res.end(JSON.stringify(dingtalk.session(u.searchParams.get('id') ?? 'default')));
    else if (u.pathname === '/dingtalk') res.end(JSON.stringify({ deliveries: dingtalk.deliveries }));
    else res.end(JSON.stringify({ posted: fake.posted }));
  });
  await new Promise<void>((resolve) => inspect.listen(0, '127.0.0.1', resolve));
  const addr = inspect.address();
  const inspectUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  project.provide('feishuFake', { url: fake.url, inspectUrl });
  project.provide('dingtalkFake', { url: dingtalk.url, inspectUrl: `${inspectUrl}/dingtalk` });
  return async () => {
    await new Promise<void>((resolve) => inspect.close(() => resolve()));
    await fake.close();
    await dingtalk.close();
  };
}
