import { z } from 'zod';
import type { AppSettings } from '../app/deps.js';
import { BotError } from '../core/errors.js';
import { DEFAULT_DEDUPE_THRESHOLD } from '../core/similarity.js';

const optionalText = z.string().trim().min(1).optional();
const urlText = z.string().trim().url().optional();

/** Every setting minyi reads, validated once at start (DESIGN.md "Contracts"). No other file reads the environment. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().trim().min(1).default('./data/minyi.db'),
  DISTRICT_CODE: z.string().trim().regex(/^\d{6}$/, 'must be a 6-digit district code such as 350211').default('350211'),
  RECORD_PREFIX: z.string().trim().regex(/^[A-Z]{1,6}$/, 'must be 1–6 capital letters such as JM').optional(),
  MINYI_API_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  DEDUPE_THRESHOLD: z.coerce.number().gt(0).lte(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  FEISHU_APP_ID: optionalText,
  FEISHU_APP_SECRET: optionalText,
  FEISHU_VERIFICATION_TOKEN: optionalText,
  FEISHU_ENCRYPT_KEY: optionalText,
  FEISHU_DOMAIN: urlText,
  FEISHU_MODE: z.enum(['webhook', 'ws']).default('webhook'),
  DINGTALK_APP_KEY: optionalText,
  DINGTALK_APP_SECRET: optionalText,
  DINGTALK_ROBOT_CODE: optionalText,
  DINGTALK_API_BASE: urlText,
  DINGTALK_MODE: z.enum(['webhook', 'stream']).default('webhook'),
  LLM_BASE_URL: urlText,
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /** Local classifier confidence at or above which an item skips the LLM (1 sends everything). */
  LLM_LOCAL_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
  /** Items sent together in one classification call when several wait for the model. */
  LLM_BATCH_MAX: z.coerce.number().int().min(1).max(32).default(8),
  /** Classification calls in flight at once. */
  LLM_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Jobs the Node worker has in flight (only their model waits overlap; a chat's messages stay in order). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Messages per minute one sender / one chat may have processed before the rest wait (never dropped). */
  THROTTLE_SENDER_PER_MIN: z.coerce.number().int().min(1).optional(),
  THROTTLE_CHAT_PER_MIN: z.coerce.number().int().min(1).optional(),
  /** Queued jobs above which POST /api/messages answers 503 + Retry-After before persisting anything. */
  API_MAX_BACKLOG: z.coerce.number().int().min(1).default(100_000),
});

export type Config = z.infer<typeof configSchema>;

/** Known district prefixes; any other district sets RECORD_PREFIX or gets the neutral MY. */
const PREFIXES: Record<string, string> = { '350211': 'JM' };

/** What the use cases read from the configuration, the same on Node and Workers. */
export function appSettings(c: Config): AppSettings {
  return {
    codePrefix: c.RECORD_PREFIX ?? PREFIXES[c.DISTRICT_CODE] ?? 'MY',
    dedupeThreshold: c.DEDUPE_THRESHOLD ?? DEFAULT_DEDUPE_THRESHOLD,
    dedupeWindowDays: 30,
    questionWindowMs: 24 * 3600_000,
  };
}

/** The configured rate limits, leaving the defaults (core/throttle.ts) for what is unset. */
export function throttleLimits(c: Config): { perSender?: number; perChat?: number } {
  return {
    ...(c.THROTTLE_SENDER_PER_MIN ? { perSender: c.THROTTLE_SENDER_PER_MIN } : {}),
    ...(c.THROTTLE_CHAT_PER_MIN ? { perChat: c.THROTTLE_CHAT_PER_MIN } : {}),
  };
}

type Channel = { name: string; credentials: (keyof Config)[]; required: (c: Config) => (keyof Config)[]; hint?: (missing: (keyof Config)[]) => string };

/**
 * A channel switches on only with all its required settings, so a part of them would start without it and
 * say nothing: any of its credentials set makes the rest required.
 */
const CHANNELS: Channel[] = [
  {
    name: 'Feishu',
    credentials: ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_ENCRYPT_KEY'],
    required: (c) => ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', ...(c.FEISHU_MODE === 'ws' ? [] : ['FEISHU_VERIFICATION_TOKEN' as const])],
    hint: (missing) => (missing.includes('FEISHU_VERIFICATION_TOKEN') ? ' (FEISHU_MODE=ws needs no FEISHU_VERIFICATION_TOKEN)' : ''),
  },
  {
    name: 'DingTalk',
    credentials: ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_ROBOT_CODE'],
    required: () => ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET'],
  },
];

function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function partialChannel(c: Config): string | null {
  for (const channel of CHANNELS) {
    const given = channel.credentials.filter((k) => c[k] !== undefined);
    const missing = channel.required(c).filter((k) => c[k] === undefined);
    if (!given.length || !missing.length) continue;
    const setThem = missing.length > 1 ? 'set them' : 'set it';
    return `Invalid configuration: ${channel.name} needs ${listed(missing)} as well as ${listed(given)}; ${setThem}, or unset ${listed(given)} to run without ${channel.name}${channel.hint?.(missing) ?? ''}`;
  }
  return null;
}

/** Parses an environment record; empty strings count as unset. Throws one readable line on a bad value. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.');
    // A secret is never printed, not even a wrong one (it lands in terminals, logs and support tickets); any
    // variable named like one counts, so a secret added later is covered without remembering this line.
    const shown = /TOKEN|SECRET|KEY/.test(key) ? '' : `=${JSON.stringify(cleaned[key] ?? '')}`;
    throw new BotError('config_invalid', `Invalid configuration: ${key}${shown}: ${issue.message}`);
  }
  const partial = partialChannel(parsed.data);
  if (partial) throw new BotError('config_invalid', partial);
  return parsed.data;
}
