import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, waitForExit } from './support/child-server.js';

/** Sends raw bytes, as a broken client would, and returns the whole answer. */
function raw(url: string, request: Buffer | string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('requests Node itself refuses still get an answer in the app\'s error shape', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-malformed-'));
  let server: Awaited<ReturnType<typeof spawnServer>>;
  beforeAll(async () => {
    server = await spawnServer({ DATABASE_PATH: join(dir, 'm.db'), MINYI_API_TOKEN: 'malformed-token-0123456789' });
  });
  afterAll(async () => {
    server?.proc.kill('SIGTERM');
    if (server) await waitForExit(server.proc);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a non-numeric content-length', 'POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n', '400 Bad Request', 'bad_request'],
    ['raw UTF-8 in the URL', Buffer.concat([Buffer.from('GET /api/records?town='), Buffer.from('灌口镇'), Buffer.from(' HTTP/1.1\r\nhost: x\r\n\r\n')]), '400 Bad Request', 'bad_request'],
    ['20 KB of URL', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`, '431 Request Header Fields Too Large', 'payload_too_large'],
  ])('%s', async (_label, request, status, code) => {
    const answer = await raw(server.url, request);
    expect(answer.startsWith(`HTTP/1.1 ${status}\r\n`)).toBe(true);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    // The server is still there for the next caller.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
