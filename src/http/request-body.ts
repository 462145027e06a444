import type { Context } from 'hono';

/** Reads a request's body as text. A runtime may supply a cheaper reader than the Fetch API's. */
export type BodyReader = (c: Context) => Promise<string>;

export const fetchApiBody: BodyReader = (c) => c.req.text();
