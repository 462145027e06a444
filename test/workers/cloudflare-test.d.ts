/**
 * The part of `cloudflare:test` (@cloudflare/vitest-pool-workers) these tests use, typed against the
 * module form of @cloudflare/workers-types so the root `tsc --noEmit` can check test/workers without
 * loading Workers' global types next to Node's and the DOM's.
 */
declare module 'cloudflare:test' {
  import type { D1Database, ExecutionContext, MessageBatch, ScheduledController } from '@cloudflare/workers-types/index.js';
  import type { D1Migration } from '@cloudflare/vitest-pool-workers';

  export const env: Record<string, unknown>;
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: Date | number; cron?: string }): ScheduledController;
  export function createMessageBatch<Body = unknown>(
    queueName: string,
    messages: { id: string; timestamp: Date; attempts: number; body: Body }[],
  ): MessageBatch<Body>;
  export function getQueueResult(
    batch: MessageBatch<unknown>,
    ctx: ExecutionContext,
  ): Promise<{ outcome: string; ackAll: boolean; retryBatch: { retry: boolean }; explicitAcks: string[]; retryMessages: { msgId: string }[] }>;
  export function applyD1Migrations(db: D1Database, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
}
