import { Buffer } from 'node:buffer';
import { createDecipheriv, createHash } from 'node:crypto';
import { SignatureError } from '../../core/errors.js';
import { constantTimeEqual } from '../signature-compare.js';

// node:crypto, not WebCrypto: both run on Node and on Workers (nodejs_compat), but WebCrypto's every call is
// a promise and a thread-pool job in Node, and was a third of the webhook's CPU at 700 requests/s.

/** Feishu's signing window is undocumented; ten minutes tolerates clock drift and rejects old replays. */
export const TIMESTAMP_WINDOW_SECONDS = 600;

/** sha256_hex(timestamp + nonce + encryptKey + raw body): the documented algorithm, over the bytes as received. */
export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody, 'utf8').digest('hex');
}

export interface SignatureCheck {
  headers: Headers;
  rawBody: string;
  encryptKey: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/** Throws SignatureError unless the request is signed with our Encrypt Key within the timestamp window. */
export function verifySignature(c: SignatureCheck): void {
  const ts = c.headers.get('x-lark-request-timestamp');
  const nonce = c.headers.get('x-lark-request-nonce');
  const sig = c.headers.get('x-lark-signature');
  if (!ts || !nonce || !sig) throw new SignatureError('missing Feishu signature headers');
  const seconds = Number(ts);
  if (!Number.isFinite(seconds)) throw new SignatureError('bad Feishu request timestamp');
  if (Math.abs(c.now / 1000 - seconds) > TIMESTAMP_WINDOW_SECONDS) throw new SignatureError('stale Feishu request timestamp', 'stale_timestamp');
  const expected = feishuSignature(ts, nonce, c.encryptKey, c.rawBody);
  if (!constantTimeEqual(expected, sig.toLowerCase())) throw new SignatureError('bad Feishu signature');
}

const keyCache = new Map<string, Buffer>();

function aesKey(encryptKey: string): Buffer {
  let key = keyCache.get(encryptKey);
  if (!key) {
    key = createHash('sha256').update(encryptKey, 'utf8').digest();
    keyCache.set(encryptKey, key);
  }
  return key;
}

/** AES-256-CBC with key = SHA-256(Encrypt Key); base64(iv ‖ ciphertext), PKCS7 padding. */
export function decryptFeishu(encryptKey: string, encryptB64: string): string {
  const buf = Buffer.from(encryptB64, 'base64');
  if (buf.length < 32 || buf.length % 16 !== 0) throw new Error('ciphertext has the wrong length');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), buf.subarray(0, 16));
  const plain = Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]);
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/** The Verification Token check; Feishu's SDK never makes it, so a leaked Encrypt Key alone is not enough. */
export function checkToken(received: string | undefined, expected: string): void {
  if (received === undefined || !constantTimeEqual(received, expected)) throw new SignatureError('wrong Feishu verification token', 'invalid_token');
}
