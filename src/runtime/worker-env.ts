import type { D1Database, Queue } from '@cloudflare/workers-types/index.js';
import { z } from 'zod';
import { BotError } from '../core/errors.js';
import { type Config, parseConfig } from './config.js';

/** What a queue message carries: only the job id. The job itself lives in D1. */
export const jobMessageSchema = z.object({ jobId: z.string().min(1) });
export type JobMessage = z.infer<typeof jobMessageSchema>;

/** The bindings wrangler.toml declares, plus [vars] and secrets (strings). */
export interface WorkerEnv {
  DB: D1Database;
  JOBS: Queue<JobMessage>;
  [name: string]: unknown;
}

/**
 * Reads the configuration from the Worker's env with the same zod schema as `npm start`. Only string
 * entries are settings; bindings (DB, JOBS) are objects and are skipped.
 */
export function workerConfig(env: WorkerEnv): Config {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const config = parseConfig(vars);
  if (config.FEISHU_MODE !== 'webhook' || config.DINGTALK_MODE !== 'webhook') {
    throw new BotError('config_invalid', 'Invalid configuration: long-connection modes (FEISHU_MODE=ws, DINGTALK_MODE=stream) run only on Node; use webhook mode on Workers');
  }
  if (!env.DB || !env.JOBS) throw new BotError('config_invalid', 'Invalid configuration: the Worker needs the DB (D1) and JOBS (Queue) bindings from wrangler.toml');
  return config;
}
