import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Config, parseConfig } from './config.js';

/**
 * Settings from a file, as operators keep them (`.env` beside where they run minyi): read once, before the
 * configuration is parsed, by `npm start` and the CLI. A variable already in the environment wins, so a
 * systemd unit or a one-off `PORT=9000 npm start` still overrides the file. Node's own parser
 * (process.loadEnvFile) does the reading: quoting and comments as dotenv has them, no dependency.
 *
 * `MINYI_ENV_FILE` names another file, which must then exist; without it, a missing `./.env` is fine.
 * Returns the file read, or null.
 */
export function loadEnvFile(cwd = process.cwd()): string | null {
  const named = process.env.MINYI_ENV_FILE?.trim();
  const file = resolve(cwd, named || '.env');
  if (!named && !existsSync(file)) return null;
  if (existsSync(file) && !statSync(file).isFile()) throw new Error(`cannot read settings file ${file}: not a file`);
  try {
    process.loadEnvFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read settings file ${file}: ${reason}`);
  }
  return file;
}

/**
 * The configuration `npm start` and the CLI run with: the settings file read, then the environment parsed.
 * Null once one line on stderr has said what is wrong (the caller exits 1).
 */
export function startupConfig(): Config | null {
  try {
    loadEnvFile();
    return parseConfig(process.env);
  } catch (error) {
    process.stderr.write(`minyi: ${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  }
}
