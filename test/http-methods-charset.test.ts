import { request } from 'node:http';
import { isUtf8 } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeishuEvent, type FeishuHarness, signed, startFeishuHarness } from './support/feishu-events.js';
import { TEST_TOKEN } from './support/runtime.js';

interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * GBK bytes for a text, from the runtime's own GBK decoder run backwards over the double-byte range (Node can
 * decode GBK but not encode it, and a test-only dependency is not worth it for this).
 */
function gbkEncoder(): (text: string) => Uint8Array<ArrayBuffer> {
  const decoder = new TextDecoder('gbk');
  const table = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (trail !== 0x7f && ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  return (text) => new Uint8Array([...text].flatMap((ch) => {
    if (ch.charCodeAt(0) < 0x80) return [ch.charCodeAt(0)];
    const bytes = table.get(ch);
    if (!bytes) throw new Error(`no GBK bytes for ${ch}`);
    return bytes;
  }));
}

/** A body sent without Content-Length (chunked), so the server reads it the Fetch way, not from Node's stream. */
function postChunked(url: string, contentType: string, body: Uint8Array): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/messages`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    req.end(body.subarray(half));
  });
}

const TEXT = '灌口镇上头亭社区路口下雨就积水，路灯也坏了两个月，晚上出行很危险，希望尽快修复。';

describe('HTTP methods and body charsets, as a client sees them', () => {
  let h: FeishuHarness;
  const toGbk = gbkEncoder();
  beforeAll(async () => {
    h = await startFeishuHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const inboundText = (id: string): string => {
    const row = h.server.runtime.sqlite.sqlite.prepare('SELECT raw FROM inbound_messages WHERE id = ?').get(id) as { raw: string };
    return (JSON.parse(row.raw) as { text: string }).text;
  };

  describe('a wrong method', () => {
    it.each([
      ['GET', '/api/messages', 'POST'],
      ['DELETE', '/api/records/JM-2026-0001', 'GET, HEAD'],
      ['POST', '/api/messages/msg_1', 'GET, HEAD'],
      ['PUT', '/api/records', 'GET, HEAD'],
      ['POST', '/api/export.xlsx', 'GET, HEAD'],
      ['PUT', '/healthz', 'GET, HEAD'],
      ['GET', '/webhooks/feishu', 'POST'],
    ])('%s %s → 405, Allow: %s', async (method, path, allow) => {
      const res = await h.server.api(path, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('method_not_allowed');
      expect(body.error.message).toContain(method);
      expect(body.error.message).toContain(allow);
    });

    it('HEAD on a POST-only path is a 405 too, with no body', async () => {
      const res = await h.server.api('/api/messages', { method: 'HEAD' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.text()).toBe('');
    });

    it('HEAD on a GET route still answers as GET does', async () => {
      expect((await fetch(`${h.server.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
      const records = await h.server.api('/api/records', { method: 'HEAD' });
      expect(records.status).toBe(200);
      expect(records.headers.get('allow')).toBeNull();
    });

    it.each([
      ['GET', '/api/no-such-thing'],
      ['DELETE', '/no-such-thing'],
      ['POST', '/api/messages/'],
      // Configured channels only: DingTalk is not, so its path exists under no method.
      ['POST', '/webhooks/dingtalk'],
    ])('%s %s, a path no method answers, stays 404', async (method, path) => {
      const res = await h.server.api(path, { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
      expect(((await res.json()) as ErrorBody).error.code).toBe('not_found');
    });

    it('under /api the token is checked before the method, so a tokenless caller learns nothing', async () => {
      for (const [method, path] of [['DELETE', '/api/records/JM-2026-0001'], ['GET', '/api/messages'], ['GET', '/api/no-such-thing']] as const) {
        const res = await fetch(`${h.server.url}${path}`, { method });
        expect(res.status).toBe(401);
        expect(res.headers.get('allow')).toBeNull();
        expect(((await res.json()) as ErrorBody).error.code).toBe('unauthorized');
      }
    });
  });

  describe('the body\'s declared charset', () => {
    it('files a GBK body with the Chinese the resident wrote', async () => {
      const body = toGbk(JSON.stringify({ text: TEXT, sender: { id: 'resident-gbk' } }));
      expect(isUtf8(body)).toBe(false);
      const res = await h.server.api('/api/messages', { method: 'POST', body, headers: { 'content-type': 'application/json; charset=GBK' } });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      expect(inboundText(id)).toBe(TEXT);
      await h.server.settle();
      const msg = (await (await h.server.api(`/api/messages/${id}`)).json()) as { state: string; outcome: { items: Array<{ code: string }> } };
      expect(msg.state).toBe('done');
      const rec = (await (await h.server.api(`/api/records/${msg.outcome.items[0]!.code}`)).json()) as { record: { townName: string; textMasked: string } };
      expect(rec.record.townName).toBe('灌口镇');
      expect(rec.record.textMasked).toBe(TEXT);
    });

    it('decodes a quoted gb2312 label on a chunked body (the Fetch reader) as well', async () => {
      const text = '后溪镇溪西村垃圾站臭味很大，夏天苍蝇多。';
      const res = await postChunked(h.server.url, 'application/json; charset="gb2312"', toGbk(JSON.stringify({ text, sender: { id: 'resident-gb2312' } })));
      expect(res.status).toBe(202);
      expect(inboundText((res.json as { id: string }).id)).toBe(text);
    });

    it('takes a JSON body that starts with a byte-order mark, as Windows tools write it', async () => {
      const body = `\uFEFF${JSON.stringify({ text: TEXT, sender: { id: 'resident-bom' } })}`;
      const res = await h.server.api('/api/messages', { method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8' } });
      expect(res.status).toBe(202);
      expect(inboundText(((await res.json()) as { id: string }).id)).toBe(TEXT);
    });

    it('reads a UTF-8 body labelled GBK as the UTF-8 it is, not as mojibake', async () => {
      const res = await h.server.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: TEXT, sender: { id: 'resident-mislabelled' } }), headers: { 'content-type': 'application/json; charset=gbk' } });
      expect(res.status).toBe(202);
      expect(inboundText(((await res.json()) as { id: string }).id)).toBe(TEXT);
    });

    it.each(['us-ascii', 'ISO-8859-1', "'utf-8'", ''])('takes an ASCII body labelled charset=%s', async (charset) => {
      const text = `ascii body ${charset || 'empty label'}: road flooded near the school`;
      const res = await h.server.api('/api/messages', { method: 'POST', body: JSON.stringify({ text, sender: { id: 'resident-ascii' } }), headers: { 'content-type': `application/json; charset=${charset}` } });
      expect(res.status).toBe(202);
      expect(inboundText(((await res.json()) as { id: string }).id)).toBe(text);
    });

    describe('refused bodies write nothing', () => {
      let before = 0;
      beforeAll(() => {
        before = h.count('inbound_messages');
      });

      it('GBK bytes sent without a charset → 400, not a record full of U+FFFD', async () => {
        const res = await h.server.api('/api/messages', { method: 'POST', body: toGbk(JSON.stringify({ text: TEXT, sender: { id: 'resident-x' } })) });
        expect(res.status).toBe(400);
        const body = (await res.json()) as ErrorBody;
        expect(body.error.code).toBe('bad_request');
        expect(body.error.message).toContain('not valid UTF-8');
        expect(body.error.message).toContain('charset');
      });

      it('invalid bytes declared UTF-8 on a chunked body → 400', async () => {
        const valid = new TextEncoder().encode(JSON.stringify({ text: TEXT, sender: { id: 'resident-y' } }));
        const res = await postChunked(h.server.url, 'application/json; charset=utf-8', new Uint8Array([...valid.subarray(0, 20), 0xff, ...valid.subarray(20)]));
        expect(res.status).toBe(400);
        expect((res.json as ErrorBody).error.message).toContain('not valid UTF-8');
      });

      it.each(['big5', 'shift_jis', 'utf-16', 'x-klingon'])('charset=%s → 415 naming it', async (charset) => {
        // ASCII-only JSON, which these would read "fine" as UTF-8: the refusal is about the label (the ASCII family is
        // the one exception, below).
        const res = await h.server.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: 'road flooded near the school', sender: { id: 'resident-z' } }), headers: { 'content-type': `application/json; charset=${charset}` } });
        expect(res.status).toBe(415);
        const body = (await res.json()) as ErrorBody;
        expect(body.error.code).toBe('unsupported_media_type');
        expect(body.error.message).toContain(charset);
      });

      it('a webhook body in an unsupported charset → 415 before verification', async () => {
        const req = await signed(buildFeishuEvent());
        const res = await fetch(`${h.server.url}/webhooks/feishu`, { method: 'POST', headers: { ...req.headers, 'content-type': 'application/json; charset=big5' }, body: req.body });
        expect(res.status).toBe(415);
        expect(((await res.json()) as ErrorBody).error.code).toBe('unsupported_media_type');
      });

      it('a body with bytes beyond ASCII under an ASCII-family label → 415', async () => {
        const body = new TextEncoder().encode(JSON.stringify({ text: TEXT, sender: { id: 'resident-latin' } }));
        const res = await h.server.api('/api/messages', { method: 'POST', body, headers: { 'content-type': 'application/json; charset=ISO-8859-1' } });
        expect(res.status).toBe(415);
        expect(((await res.json()) as ErrorBody).error.message).toContain('plain ASCII');
      });

      it('and none of them was filed', () => {
        expect(h.count('inbound_messages')).toBe(before);
      });
    });
  });
});
