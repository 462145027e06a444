/**
 * Secrets (and test-only vars) the Workers test project runs with; vitest.config.ts passes them to
 * miniflare as bindings on top of wrangler.toml's [vars].
 */
export const WORKER_TEST_SECRETS = {
  MINYI_API_TOKEN: 'worker-test-token-0123456789',
  LOG_LEVEL: 'error',
} as const;
