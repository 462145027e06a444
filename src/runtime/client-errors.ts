import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Requests Node's HTTP parser refuses (a non-numeric content-length, raw UTF-8 in the URL, 16 KB of headers)
 * never reach the app; Node's own answer is a bare status with no body. This one says what was wrong in the
 * app's error shape, so a caller's client can show it like any other refusal.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: tooLarge
        ? { code: 'payload_too_large', message: 'request headers or URL too large' }
        : { code: 'bad_request', message: `malformed HTTP request (${error.code ?? error.message}); percent-encode non-ASCII characters in the URL` },
    });
    socket.end(`HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\n`
      + `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
}
