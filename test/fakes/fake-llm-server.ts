import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The body the client posted to /v1/chat/completions, as the fake received it. */
export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  [k: string]: unknown;
}

export type FakeReply =
  | { status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number; hold?: Promise<unknown> }
  | 'hang';

/** Decides the reply to the n-th request (0-based); tests script one per scenario. */
export type Behaviour = (body: ChatBody, n: number) => FakeReply;

export interface FakeLlm {
  /** Base URL for the OpenAI SDK (…/v1). */
  baseURL: string;
  requests: ChatBody[];
  behave(b: Behaviour): void;
  close(): Promise<void>;
}

const CHARS_PER_TOKEN = 1.5;
const tokensOf = (s: string) => Math.ceil(s.length / CHARS_PER_TOKEN);

/** An OpenAI chat.completion with usage; token counts are estimated from characters like a real server would count them. */
export function completion(content: string | null, body: ChatBody, extra: { finish_reason?: string; refusal?: string } = {}): FakeReply {
  const prompt = tokensOf(body.messages.map((m) => m.content).join(''));
  const completionTokens = tokensOf(content ?? extra.refusal ?? '');
  return {
    body: {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, finish_reason: extra.finish_reason ?? 'stop', logprobs: null,
        message: { role: 'assistant', content, refusal: extra.refusal ?? null } }],
      usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
    },
  };
}

export function errorReply(status: number, message: string, headers: Record<string, string> = {}): FakeReply {
  return { status, headers, body: { error: { message, type: status === 429 ? 'rate_limit_error' : 'invalid_request_error', code: null, param: null } } };
}

/** A real loopback server speaking POST /v1/chat/completions that records every request body. */
export async function startFakeLlm(initial?: Behaviour): Promise<FakeLlm> {
  const requests: ChatBody[] = [];
  const sockets = new Set<Socket>();
  let behaviour: Behaviour = initial ?? ((b) => completion('{}', b));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
      const n = requests.length;
      requests.push(body);
      const reply = behaviour(body, n);
      if (reply === 'hang') return; // never answers; the client's timeout must fire
      const send = () => {
        if (!res.destroyed) res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
      };
      // A slow model: later requests pile up meanwhile (batching tests).
      const later = () => (reply.delayMs ? setTimeout(send, reply.delayMs) : send());
      if (reply.hold) void reply.hold.then(later);
      else later();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    behave: (b) => {
      behaviour = b;
    },
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}
