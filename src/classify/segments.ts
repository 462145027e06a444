import { maskPersonalData } from '../core/masking.js';

// A sentence ends at 。！？!?；; or a line break; the delimiter stays with its sentence.
const SENTENCE_RE = /[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*\n?|\n|$)/g;
const NOT_DELIMITER_RE = /[^。！？!?；;\n]/g;
const MIN_SEGMENT_CHARS = 4;
const WHITESPACE_RE = /\s/g;
export const MAX_SEGMENTS = 40;

const visible = (s: string) => s.replace(WHITESPACE_RE, '').length;

/**
 * Cuts text into numbered sentences the LLM can assign to problems. Lossless: the segments concatenate
 * to the input, so every character a resident wrote ends up in exactly one item. Fragments shorter than
 * a few characters join the sentence before them; very long messages are cut coarser to bound the prompt.
 */
export function segmentText(text: string): string[] {
  return coarsen(sentences(text));
}

/** The same segments twice: as the resident wrote them (for item texts) and masked (all the LLM may see). */
export interface MaskedSegments {
  raw: string[];
  masked: string[];
}

/**
 * Masks the whole message once, then cuts it: a context word and its number often sit on either side of
 * a line break (电话：⏎6012345, 卡号：⏎6222…), so a sentence masked on its own can keep the number. A
 * sentence that masks differently on its own stays joined to the one before it, so an item's text (whole
 * segments) is masked as well on its own, later, as it was inside the message.
 */
export function maskedSegments(text: string): MaskedSegments {
  const masked = maskPersonalData(text).text;
  const raw = sentences(text);
  const cut = sentences(masked);
  // Masking leaves delimiters alone, so both cut alike; if ever not, the model gets one unsplittable segment.
  if (raw.length !== cut.length || raw.some((r, i) => delimiters(r) !== delimiters(cut[i]!))) return { raw: [text], masked: [masked] };
  const out: MaskedSegments = { raw: [], masked: [] };
  raw.forEach((r, i) => {
    out.raw.push(r);
    out.masked.push(cut[i]!);
    while (out.raw.length > 1 && maskPersonalData(out.raw.at(-1)!).text !== out.masked.at(-1)) {
      const last = out.raw.length - 1;
      out.raw.splice(last - 1, 2, out.raw[last - 1]! + out.raw[last]!);
      out.masked.splice(last - 1, 2, out.masked[last - 1]! + out.masked[last]!);
    }
  });
  return { raw: coarsen(out.raw), masked: coarsen(out.masked) };
}

function sentences(text: string): string[] {
  const raw = (text.match(SENTENCE_RE) ?? []).filter((s) => s.length > 0);
  const merged: string[] = [];
  for (const s of raw) {
    if (merged.length > 0 && (visible(s) < MIN_SEGMENT_CHARS || visible(merged[merged.length - 1]!) === 0)) merged[merged.length - 1] += s;
    else merged.push(s);
  }
  return merged.length ? merged : [text];
}

function coarsen(segments: string[]): string[] {
  let out = segments;
  while (out.length > MAX_SEGMENTS) {
    const pairs: string[] = [];
    for (let i = 0; i < out.length; i += 2) pairs.push(out[i]! + (out[i + 1] ?? ''));
    out = pairs;
  }
  return out;
}

const delimiters = (s: string) => s.replace(NOT_DELIMITER_RE, '');

/**
 * The text of each item from the segment numbers the model chose (1-based). Segments no item claimed
 * (greetings, a trailing phone number) join the item before them, or the first item, so nothing is lost.
 */
export function itemTexts(segments: string[], claims: number[][]): string[] {
  const owner = new Array<number>(segments.length).fill(-1);
  claims.forEach((c, item) => {
    for (const s of c) if (s >= 1 && s <= segments.length && owner[s - 1] === -1) owner[s - 1] = item;
  });
  let last = owner.find((o) => o >= 0) ?? 0;
  const parts: string[][] = claims.map(() => []);
  owner.forEach((o, i) => {
    if (o >= 0) last = o;
    parts[o >= 0 ? o : last]!.push(segments[i]!);
  });
  return parts.map((p) => p.join('').trim());
}
