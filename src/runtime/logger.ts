import { maskPersonalData } from '../core/masking.js';
import type { Logger } from '../core/ports.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * Fields that hold minyi's own ids and codes: left as they are, since a random id that happens to hold a
 * phone-shaped run of digits must still be found in the database. Every other string is masked.
 */
const OWN_REFERENCES = new Set(['id', 'job', 'record', 'code', 'messageId', 'pending', 'outcomes', 'items']);

function maskField(v: unknown): unknown {
  if (typeof v === 'string') return maskPersonalData(v).text;
  if (Array.isArray(v)) return v.map(maskField);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, OWN_REFERENCES.has(k) ? x : maskField(x)]));
  return v;
}

/**
 * One JSON line per event on stderr. Callers pass ids, codes and counts, never message text; what a caller
 * or platform chose (an API sender id, an Idempotency-Key, an error quoting a request) is masked all the same.
 */
export function jsonLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const min = LEVELS[level];
  const emit = (lvl: 'info' | 'warn' | 'error') => (event: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...(fields ? (maskField(fields) as Record<string, unknown>) : {}) }));
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
