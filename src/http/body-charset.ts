import { BotError, PayloadError } from '../core/errors.js';

/**
 * UTF-8, plus the GB family that Chinese Windows software (office OA systems, older scripts) still writes;
 * WHATWG decodes every GB label (gb2312, gbk, x-gbk, …) with one GB18030-compatible decoder.
 */
const GB = new Set(['gbk', 'gb18030']);
/**
 * Labels older Java and office clients put on plain ASCII JSON (WHATWG reads us-ascii and iso-8859-1 as
 * windows-1252): taken when every byte is ASCII, where they mean the same as UTF-8; refused otherwise.
 */
const ASCII_FAMILY = 'windows-1252';

// A bad byte must refuse the body, not become U+FFFD in a resident's record. ignoreBOM keeps a BOM in the
// text, as Buffer's decoder did: a webhook's signature covers the bytes as sent.
const OPTIONS = { fatal: true, ignoreBOM: true } as const;
const UTF8 = new TextDecoder('utf-8', OPTIONS);

const CHARSET_RE = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;\s]*))/i;

/**
 * The decoder for a body of this Content-Type, before a byte of it is read; 415 for a charset minyi does not
 * accept, or that this runtime cannot decode (a Node built with small-icu, an older workerd), rather than
 * reading it as UTF-8 and filing mojibake.
 */
export function bodyDecoder(contentType: string | null | undefined): TextDecoder {
  const m = contentType ? CHARSET_RE.exec(contentType) : null;
  const label = (m?.[1] ?? m?.[2] ?? m?.[3])?.trim();
  if (!label || /^utf-?8$/i.test(label)) return UTF8;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, OPTIONS);
  } catch {
    throw new BotError('unsupported_media_type', `charset "${label}" cannot be decoded by this server; send the body as UTF-8`);
  }
  if (!GB.has(decoder.encoding) && decoder.encoding !== ASCII_FAMILY) throw unsupported(label);
  return decoder;
}

function unsupported(label: string): BotError {
  return new BotError('unsupported_media_type', `charset "${label}" is not supported; send the body as UTF-8 (GBK and GB18030 are also accepted)`);
}

/** Bytes 0x80 and up: none means ASCII, which every accepted charset reads alike. */
function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

export function decodeBody(decoder: TextDecoder, bytes: Uint8Array): string {
  if (decoder.encoding === ASCII_FAMILY) {
    if (hasHighBytes(bytes)) throw new BotError('unsupported_media_type', 'a body labelled us-ascii / iso-8859-1 / windows-1252 must be plain ASCII; send it as UTF-8');
    return UTF8.decode(bytes);
  }
  if (GB.has(decoder.encoding)) {
    // A body labelled GBK that is valid UTF-8 with multi-byte sequences is UTF-8 mislabelled: Chinese GBK text
    // is practically never valid UTF-8, and read as GBK it would be filed as mojibake.
    try {
      return UTF8.decode(bytes);
    } catch {
      // GBK as declared
    }
  }
  try {
    return decoder.decode(bytes);
  } catch {
    const hint = decoder.encoding === 'utf-8' ? '; if it is in another charset, say so in Content-Type (e.g. charset=gbk)' : '';
    throw new PayloadError(`body is not valid ${decoder.encoding.toUpperCase()}${hint}`);
  }
}
