import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { WORKER_TEST_SECRETS } from './test/workers/test-secrets.js';

export default defineConfig(async () => ({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/workers/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        // Runs inside workerd (the Workers runtime) with D1 and Queues simulated by miniflare, offline.
        plugins: [
          cloudflareTest({
            main: './src/runtime/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./db/migrations', import.meta.url))), ...WORKER_TEST_SECRETS },
              // Tests drive the consumer themselves (createMessageBatch); wake-ups go to a queue nobody consumes,
              // so no background delivery races the assertions.
              queueProducers: { JOBS: { queueName: 'minyi-jobs-test' } },
            },
          }),
        ],
        // Until the trained model is in the tree (npm run train), the Workers tests bundle a 4-feature stub.
        ...(existsSync(fileURLToPath(new URL('./src/classify/model/local-model.json', import.meta.url)))
          ? {}
          : { resolve: { alias: [{ find: /^.*\/classify\/model\/local-model\.json$/, replacement: fileURLToPath(new URL('./test/workers/stub-local-model.json', import.meta.url)) }] } }),
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          setupFiles: ['./test/workers/apply-migrations.ts'],
          globalSetup: ['./test/workers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
}));
