import type { IdGen } from '../core/ports.js';

/** Random words drawn in blocks: one getRandomValues call per id was a visible cost of filing. */
const POOL_SIZE = 2048;
const pool = new Uint32Array(POOL_SIZE);
let used = POOL_SIZE;

function randomWord(): number {
  if (used === POOL_SIZE) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  return pool[used++]!;
}

/** Time-ordered ids (ms timestamp in base 36 + random) so rows sort by creation and never collide across processes. */
export const randomIds: IdGen = {
  next(prefix: string): string {
    return `${prefix}_${Date.now().toString(36)}${randomWord().toString(36).padStart(7, '0')}${randomWord().toString(36).padStart(7, '0')}`;
  },
};

export const systemClock = { now: () => Date.now() };
