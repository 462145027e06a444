import { SignatureError } from '../../core/errors.js';

/** DingTalk rejects callbacks more than one hour off; we apply the same window (platforms.md §3.2). */
export const DINGTALK_MAX_SKEW_MS = 60 * 60 * 1000;

const DIGITS_RE = /^\d{10,16}$/;
const encoder = new TextEncoder();

// Importing the key costs about as much as the HMAC itself; one app has one secret, so keep it.
const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** sign = base64(HmacSHA256(key = appSecret, message = timestamp + "\n" + appSecret)), WebCrypto so it runs on Workers. */
export async function dingtalkSign(timestampMs: string, appSecret: string): Promise<string> {
  const key = await hmacKey(appSecret);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestampMs}\n${appSecret}`));
  return toBase64(new Uint8Array(mac));
}

/** Compares every byte whatever the first difference, so timing says nothing about the expected value. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Checks the `timestamp` and `sign` headers. The signature covers only the timestamp, never the body, so a
 * captured request can be replayed inside the window: callers must dedupe on msgId.
 */
export async function verifyDingtalkHeaders(headers: Headers, appSecret: string, now: number): Promise<void> {
  const timestamp = headers.get('timestamp')?.trim();
  const sign = headers.get('sign')?.trim();
  if (!timestamp || !sign) throw new SignatureError('missing DingTalk timestamp or sign header');
  if (!DIGITS_RE.test(timestamp)) throw new SignatureError('malformed DingTalk timestamp', 'stale_timestamp');
  if (Math.abs(now - Number(timestamp)) > DINGTALK_MAX_SKEW_MS) throw new SignatureError('DingTalk timestamp is more than an hour off', 'stale_timestamp');
  const expected = await dingtalkSign(timestamp, appSecret);
  if (!constantTimeEqual(expected, sign)) throw new SignatureError('DingTalk signature mismatch');
}
