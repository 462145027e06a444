import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { FakeFeishu } from '../fakes/fake-feishu.js';
import { FEISHU_TEST } from './feishu-test-app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    feishuFake: { url: string; inspectUrl: string };
  }
}

/**
 * Runs in Node, outside workerd: the loopback Feishu fake the Worker under test calls, plus a read-only
 * endpoint that lets the tests (inside workerd) see what the fake delivered.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await new FakeFeishu({ appId: FEISHU_TEST.appId, appSecret: FEISHU_TEST.appSecret, botOpenId: FEISHU_TEST.botOpenId }).start();
  const inspect: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ posted: fake.posted }));
  });
  await new Promise<void>((resolve) => inspect.listen(0, '127.0.0.1', resolve));
  const addr = inspect.address();
  project.provide('feishuFake', { url: fake.url, inspectUrl: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
  return async () => {
    await new Promise<void>((resolve) => inspect.close(() => resolve()));
    await fake.close();
  };
}
