import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { acceptMessage } from '../app/accept-message.js';
import { createApp } from '../http/app.js';
import { resolveApiToken } from './api-token.js';
import { jsonLogger } from './logger.js';
import { nodeBody } from './node-body.js';
import { buildNodeRuntime } from './node-deps.js';
import { startJobThread } from './job-thread-host.js';
import { answerMalformedRequests } from './client-errors.js';
import { acquireServerLock } from './server-lock.js';
import { diskSpace, watchDiskSpace } from './disk-space.js';
import { startupConfig } from './env-file.js';

/** `npm start`: the embedded default on one machine. */
async function main(): Promise<void> {
  const config = startupConfig();
  if (!config) process.exit(1);
  const log = jsonLogger(config.LOG_LEVEL);
  const token = resolveApiToken(config.MINYI_API_TOKEN, config.DATABASE_PATH);
  const unlock = acquireServerLock(config.DATABASE_PATH);
  // This thread only acknowledges; jobs run in a worker thread (job-thread.ts) so they never delay a 200.
  // Shared with the job thread so acknowledgements get SQLite's write lock first (store/group-commit.ts).
  const priority = new SharedArrayBuffer(4);
  // POSTs under way: the commit group a message joins waits for those, and only those (store/group-commit.ts).
  let posting = 0;
  const runtime = await buildNodeRuntime(config, log, {
    worker: false, commits: 'group', priority: { shared: new Int32Array(priority), role: 'server' }, inFlight: () => posting,
  });
  const jobs = await startJobThread(process.env, log, priority);
  runtime.deps.notifyJobs = jobs.kick;
  const space = () => diskSpace(config.DATABASE_PATH);
  const app = createApp(runtime.deps, { apiToken: token.token, webhooks: runtime.platforms.map((p) => p.verifier), maxBacklog: config.API_MAX_BACKLOG, readBody: nodeBody, storageFull: () => runtime.sqlite.storageFull() || jobs.storageFull(), diskSpace: space });
  const stopDiskWatch = watchDiskSpace(space, log);
  const stopLongConnections: Array<() => Promise<void>> = [];
  for (const p of runtime.platforms) {
    const longConnection = p.startLongConnection;
    if (!longConnection) continue;
    stopLongConnections.push(await longConnection(async (m) => {
      await acceptMessage(runtime.deps, m);
    }));
    log.info('long_connection.started', { platform: p.channel.platform });
  }
  const fetch: typeof app.fetch = async (request, env) => {
    if (request.method !== 'POST') return app.fetch(request, env);
    posting += 1;
    try {
      return await app.fetch(request, env);
    } finally {
      posting -= 1;
    }
  };
  const server = serve({ fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    process.stdout.write(`minyi listening on http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${info.port} (database ${config.DATABASE_PATH})\n`);
    if (token.created) process.stdout.write(`API token (saved to ${token.file}):\n    ${token.token}\n`);
    else if (token.file) process.stdout.write(`API token: see ${token.file}\n`);
    else if (token.unused) process.stdout.write(`API token: from MINYI_API_TOKEN (${token.unused} is an older generated one and is not used)\n`);
  });
  // A listen failure arrives as an 'error' event, which would otherwise crash with a stack trace.
  const listenFailed = (error: NodeJS.ErrnoException) => {
    const where = `port ${config.PORT} on ${config.HOST}`;
    const why = error.code === 'EADDRINUSE' ? `${where} is in use` : error.code === 'EACCES' ? `no permission to listen on ${where}` : error.message;
    process.stderr.write(`minyi: failed to start: ${why}\n`);
    stopDiskWatch();
    void jobs.stop().then(() => runtime.close()).finally(() => {
      unlock();
      process.exit(1);
    });
  };
  answerMalformedRequests(server as Server);
  server.once('error', listenFailed);
  server.once('listening', () => server.off('error', listenFailed));
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info('server.stopping', { signal });
    stopDiskWatch();
    server.close(() => {
      void Promise.all(stopLongConnections.map((stop) => stop()))
        .then(() => jobs.stop())
        .then(() => runtime.close())
        .then(unlock)
        .then(() => process.exit(0));
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`minyi: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
