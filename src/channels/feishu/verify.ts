import { SignatureError } from '../../core/errors.js';

const enc = new TextEncoder();

/** Feishu's signing window is undocumented; ten minutes tolerates clock drift and rejects old replays. */
export const TIMESTAMP_WINDOW_SECONDS = 600;

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** sha256_hex(timestamp + nonce + encryptKey + raw body): the documented algorithm, over the bytes as received. */
export async function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', enc.encode(timestamp + nonce + encryptKey + rawBody)));
}

/** Compares every byte whatever the first difference, so timing does not leak how much of a guess was right. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export interface SignatureCheck {
  headers: Headers;
  rawBody: string;
  encryptKey: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/** Throws SignatureError unless the request is signed with our Encrypt Key within the timestamp window. */
export async function verifySignature(c: SignatureCheck): Promise<void> {
  const ts = c.headers.get('x-lark-request-timestamp');
  const nonce = c.headers.get('x-lark-request-nonce');
  const sig = c.headers.get('x-lark-signature');
  if (!ts || !nonce || !sig) throw new SignatureError('missing Feishu signature headers');
  const seconds = Number(ts);
  if (!Number.isFinite(seconds)) throw new SignatureError('bad Feishu request timestamp');
  if (Math.abs(c.now / 1000 - seconds) > TIMESTAMP_WINDOW_SECONDS) throw new SignatureError('stale Feishu request timestamp', 'stale_timestamp');
  const expected = await feishuSignature(ts, nonce, c.encryptKey, c.rawBody);
  if (!constantTimeEqual(expected, sig.toLowerCase())) throw new SignatureError('bad Feishu signature');
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function aesKey(encryptKey: string): Promise<CryptoKey> {
  let key = keyCache.get(encryptKey);
  if (!key) {
    key = crypto.subtle.digest('SHA-256', enc.encode(encryptKey))
      .then((bytes) => crypto.subtle.importKey('raw', bytes, { name: 'AES-CBC' }, false, ['decrypt']));
    keyCache.set(encryptKey, key);
  }
  return key;
}

/** AES-256-CBC with key = SHA-256(Encrypt Key); base64(iv ‖ ciphertext); PKCS7 removed by WebCrypto. */
export async function decryptFeishu(encryptKey: string, encryptB64: string): Promise<string> {
  const buf = Uint8Array.from(atob(encryptB64), (ch) => ch.charCodeAt(0));
  if (buf.length < 32 || buf.length % 16 !== 0) throw new Error('ciphertext has the wrong length');
  const plain = await crypto.subtle.decrypt({ name: 'AES-CBC', iv: buf.slice(0, 16) }, await aesKey(encryptKey), buf.slice(16));
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/** The Verification Token check; Feishu's SDK never makes it, so a leaked Encrypt Key alone is not enough. */
export function checkToken(received: string | undefined, expected: string): void {
  if (received === undefined || !constantTimeEqual(received, expected)) throw new SignatureError('wrong Feishu verification token', 'invalid_token');
}
