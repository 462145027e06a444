// A sentence ends at 。！？!?；; or a line break; the delimiter stays with its sentence.
const SENTENCE_RE = /[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*\n?|\n|$)/g;
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
  const raw = (text.match(SENTENCE_RE) ?? []).filter((s) => s.length > 0);
  const merged: string[] = [];
  for (const s of raw) {
    if (merged.length > 0 && (visible(s) < MIN_SEGMENT_CHARS || visible(merged[merged.length - 1]!) === 0)) merged[merged.length - 1] += s;
    else merged.push(s);
  }
  let out = merged.length ? merged : [text];
  while (out.length > MAX_SEGMENTS) {
    const pairs: string[] = [];
    for (let i = 0; i < out.length; i += 2) pairs.push(out[i]! + (out[i + 1] ?? ''));
    out = pairs;
  }
  return out;
}

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
