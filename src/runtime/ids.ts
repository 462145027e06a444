import type { IdGen } from '../core/ports.js';

/** Time-ordered ids (ms timestamp in base 36 + random) so rows sort by creation and never collide across processes. */
export const randomIds: IdGen = {
  next(prefix: string): string {
    const rand = crypto.getRandomValues(new Uint32Array(2));
    return `${prefix}_${Date.now().toString(36)}${rand[0]!.toString(36).padStart(7, '0')}${rand[1]!.toString(36).padStart(7, '0')}`;
  },
};

export const systemClock = { now: () => Date.now() };
