import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { AppDeps } from '../../src/app/deps.js';
import type { ChannelAdapter, Logger, Messenger, WebhookVerifier } from '../../src/core/ports.js';
import { createApp } from '../../src/http/app.js';
import { type Config, parseConfig } from '../../src/runtime/config.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { diskSpace } from '../../src/runtime/disk-space.js';
import { nodeBody } from '../../src/runtime/node-body.js';
import { buildNodeRuntime, type NodeRuntime } from '../../src/runtime/node-deps.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestServer {
  url: string;
  runtime: NodeRuntime;
  deps: AppDeps;
  dir: string;
  /** Waits until every due job ran (messages filed, replies sent). */
  settle(): Promise<void>;
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  clock?: AppDeps['clock'];
  /** Where the server's log lines go (silent by default). */
  log?: Logger;
  /** Extra wiring before the server starts (platform channels, messengers, fakes). */
  configure?: (runtime: NodeRuntime, config: Config) => { webhooks?: WebhookVerifier[]; messengers?: Messenger[]; channels?: ChannelAdapter[] } | void;
}

/** A real server on a free loopback port over a fresh SQLite file, as `npm start` builds it. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-test-'));
  const config = parseConfig({ DATABASE_PATH: join(dir, 'minyi.db'), MINYI_API_TOKEN: TEST_TOKEN, LOG_LEVEL: 'silent', ...opts.env });
  const runtime = await buildNodeRuntime(config, opts.log ?? silentLogger, opts.clock ? { clock: opts.clock } : {});
  const extra = opts.configure?.(runtime, config) ?? {};
  for (const m of extra.messengers ?? []) runtime.deps.messengers[m.platform] = m;
  for (const ch of extra.channels ?? []) runtime.deps.channels[ch.platform] = ch;
  const app = createApp(runtime.deps, { apiToken: TEST_TOKEN, webhooks: [...runtime.platforms.map((p) => p.verifier), ...(extra.webhooks ?? [])], readBody: nodeBody, storageFull: runtime.sqlite.storageFull, diskSpace: () => diskSpace(config.DATABASE_PATH) });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url, runtime, deps: runtime.deps, dir,
    settle: async () => {
      await runtime.worker?.drain();
    },
    api: (path, init = {}) => fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Node's fetch keeps connections alive; without this close() waits for their idle timeout.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What `GET /api/messages/:id` says of a message once its jobs ran: its state and the bot's replies. */
export interface SettledMessage {
  state: string;
  replies: Array<{ kind: string; text: string }>;
}

/** Posts a member's message through the API, waits for it to be filed, and reads what the bot answered. */
export async function postAndSettle(s: TestServer, text: string, sender = { id: 'member-1', name: '陈委员' }): Promise<SettledMessage> {
  const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text, sender }) });
  if (res.status !== 202) throw new Error(`POST /api/messages answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  await s.settle();
  return (await (await s.api(`/api/messages/${id}`)).json()) as SettledMessage;
}

export class FixedClock {
  constructor(public t: number) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}
