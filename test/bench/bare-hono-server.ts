import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** The baseline for the Feishu ack benchmark: a Hono route on @hono/node-server that only answers 200. */
const app = new Hono();
app.get('/healthz', (c) => c.json({ ok: true }));
app.post('/webhooks/feishu', (c) => c.json({}));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
