import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { bodyDecoder, decodeBody } from '../http/body-charset.js';
import { type BodyReader, fetchApiBody } from '../http/request-body.js';

/**
 * Reads the body straight from Node's IncomingMessage. Why: the first touch of `c.req`'s body makes
 * @hono/node-server build a whole Fetch Request (undici Request, web stream, AbortSignal); on a bare route
 * that took a request from 224 to 470 µs of CPU, against 291 µs read this way, and at 1,000 webhooks/s the
 * acknowledging thread has no such time to spare. Only bodies whose Content-Length createApp's body limit
 * has already checked; any other takes the Fetch path, where hono's bodyLimit counts its bytes.
 * Decoding goes through the same strict TextDecoder as the Fetch path: on Node 20 it costs what
 * `Buffer#toString` did (0.18 against 0.17 µs for a 374-byte ASCII webhook, 3.8 against 4.1 µs for 1 KB of
 * Chinese) and, unlike it, refuses bytes that are not UTF-8.
 */
export const nodeBody: BodyReader = async (c) => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  // The same test as createApp's length check: what it left to hono's counting bodyLimit goes the Fetch way.
  if (!incoming?.headers['content-length'] || incoming.headers['transfer-encoding'] !== undefined) return fetchApiBody(c);
  // From the header alone: a charset refused is refused before its bytes are read.
  const decoder = bodyDecoder(incoming.headers['content-type']);
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return decodeBody(decoder, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
};
