import { createHmac } from 'node:crypto';
import { SignatureError } from '../../core/errors.js';
import { constantTimeEqual } from '../signature-compare.js';

/** DingTalk rejects callbacks more than one hour off; we apply the same window (platforms.md §3.2). */
export const DINGTALK_MAX_SKEW_MS = 60 * 60 * 1000;

const DIGITS_RE = /^\d{10,16}$/;

/** sign = base64(HmacSHA256(key = appSecret, message = timestamp + "\n" + appSecret)); node:crypto runs on Workers too. */
export function dingtalkSign(timestampMs: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestampMs}\n${appSecret}`, 'utf8').digest('base64');
}

/**
 * Checks the `timestamp` and `sign` headers. The signature covers only the timestamp, never the body, so a
 * captured request can be replayed inside the window: callers must dedupe on msgId.
 */
export function verifyDingtalkHeaders(headers: Headers, appSecret: string, now: number): void {
  const timestamp = headers.get('timestamp')?.trim();
  const sign = headers.get('sign')?.trim();
  if (!timestamp || !sign) throw new SignatureError('missing DingTalk timestamp or sign header');
  if (!DIGITS_RE.test(timestamp)) throw new SignatureError('malformed DingTalk timestamp', 'stale_timestamp');
  if (Math.abs(now - Number(timestamp)) > DINGTALK_MAX_SKEW_MS) throw new SignatureError('DingTalk timestamp is more than an hour off', 'stale_timestamp');
  const expected = dingtalkSign(timestamp, appSecret);
  if (!constantTimeEqual(expected, sign)) throw new SignatureError('DingTalk signature mismatch');
}
