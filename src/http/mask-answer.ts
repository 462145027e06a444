import type { MiddlewareHandler } from 'hono';
import { maskPersonalData } from '../core/masking.js';

/**
 * Strings a caller sends back or matches on: ids, record codes, cursors, taxonomy and division codes, and a
 * button's `value` (returned verbatim when pressed). They hold no personal data, and a random id or cursor
 * that happened to contain a phone-shaped digit run must not come back altered.
 */
const REFERENCES = new Set(['id', 'recordId', 'inboundMessageId', 'duplicateOf', 'code', 'recordCode', 'nextCursor', 'categoryCode', 'townCode', 'value']);

/** Every other string, at any depth, masked: staff notes, names, ids a caller chose, reply texts and payloads. */
export function maskDeep(v: unknown, key = ''): unknown {
  if (REFERENCES.has(key)) return v;
  if (typeof v === 'string') return maskPersonalData(v).text;
  if (Array.isArray(v)) return v.map((x) => maskDeep(x));
  if (v && typeof v === 'object') {
    // Filled in place rather than through entries arrays: a page of 50 records masked a fifth faster.
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = maskDeep((v as Record<string, unknown>)[k], k);
      // A caller's key "__proto__" stays an own field, as a plain assignment would set the prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  }
  return v;
}

/**
 * Masks every JSON answer of the routes it wraps. One middleware rather than a mask per field, so a field or
 * a route added later cannot leak: the store keeps what people typed (staff need it), and the API only ever
 * shows it masked. It masks the value handed to `c.json`, before it is serialised, rather than parsing the
 * finished answer again. The export has its own switch (`raw=1`) and masks in app/export-ledger.ts.
 */
export const maskJsonAnswers: MiddlewareHandler = async (c, next) => {
  const json = c.json.bind(c);
  c.json = ((object: unknown, ...rest: unknown[]) => (json as (...a: unknown[]) => Response)(maskDeep(object), ...rest)) as typeof c.json;
  await next();
};
