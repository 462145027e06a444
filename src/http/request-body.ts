import type { Context } from 'hono';
import { bodyDecoder, decodeBody } from './body-charset.js';

/**
 * Reads a request's body as text, decoded by the charset its Content-Type declares (415 for one minyi does
 * not take, 400 for bytes that are not in it). A runtime may supply a cheaper reader than the Fetch API's.
 */
export type BodyReader = (c: Context) => Promise<string>;

export const fetchApiBody: BodyReader = async (c) => {
  const decoder = bodyDecoder(c.req.header('content-type'));
  return decodeBody(decoder, new Uint8Array(await c.req.arrayBuffer()));
};
