import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a received signature or token with the expected one in time that does not depend on where they
 * first differ. Only the length may leak: public for a digest, and little help against a random token.
 */
export function constantTimeEqual(x: string, y: string): boolean {
  const a = Buffer.from(x, 'utf8');
  const b = Buffer.from(y, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
