import { applyD1Migrations, env } from 'cloudflare:test';
import type { D1Database } from '@cloudflare/workers-types/index.js';
import type { D1Migration } from '@cloudflare/vitest-pool-workers';

// The same db/migrations the Node build applies with drizzle's migrator, applied here the way
// `wrangler d1 migrations apply` does. Already-applied migrations are skipped.
await applyD1Migrations(env.DB as D1Database, env.TEST_MIGRATIONS as D1Migration[]);
