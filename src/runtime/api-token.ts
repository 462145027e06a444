import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The API is never open without a token: when MINYI_API_TOKEN is unset, the first start writes one beside
 * the database (mode 0600) and later starts reuse it, as Jupyter does.
 */
export function resolveApiToken(configured: string | undefined, databasePath: string): { token: string; file: string | null; created: boolean } {
  if (configured) return { token: configured, file: null, created: false };
  const dir = databasePath === ':memory:' ? resolve('.') : dirname(resolve(databasePath));
  const file = join(dir, 'api-token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file, created: false };
  }
  mkdirSync(dir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file, created: true };
}
