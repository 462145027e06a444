import { attribution, isBundle, RECORD_TAG, TRUNCATED_NOTE } from './message-text.js';
import type { InboundMessage } from './types.js';

/**
 * What the residents of a merged forward wrote, without what the bundle adds around their words: each
 * line's `name time：`, a nested bundle's header, a chat record's title (the platform's, often naming
 * people) and the platform's incompleteness note. The record keeps the attributed text for staff; summaries,
 * classification, places, dedupe and everything that leaves the database work on these words: a summary
 * starts with the problem, a display name such as 后溪老陈 places nothing, and dedupe compares what was said,
 * not who said it when (the same two residents on two problems shared enough of the header to read as one).
 *
 * `text` is the message's text or any part of it (a split item, a capped text): the headers are the exact
 * strings messageText wrote, so they are recognised at a line's start and nowhere else.
 */
export function residentWords(m: InboundMessage, text: string): string {
  if (!isBundle(m)) return text;
  const headers = [...new Set(m.parts.map(attribution).filter((h) => h.length > 0))].sort((a, b) => b.length - a.length);
  // A part followed by deeper ones opens a nested bundle: its text is the platform's header, not words.
  const openers = new Set(m.parts.filter((p, i) => (m.parts[i + 1]?.depth ?? 0) > p.depth).map((p) => p.text.trim()));
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let words = line.trim();
    const header = headers.find((h) => words.startsWith(h));
    if (header) words = words.slice(header.length).trim();
    if (words === TRUNCATED_NOTE || words.startsWith(RECORD_TAG) || openers.has(words)) continue;
    lines.push(words);
  }
  return lines.join('\n').trim();
}

/** The display names of a bundle's residents, as the platform gave them (two characters or more). */
export function residentNames(m: InboundMessage): string[] {
  if (!isBundle(m)) return [];
  const names = m.parts.map((p) => p.senderName?.trim() ?? '').filter((n) => [...n].length >= 2);
  return [...new Set(names)].sort((a, b) => b.length - a.length);
}

/**
 * Masks those exact names wherever they occur (王建国 → 王**), also where residents typed them about
 * themselves (「我叫王建国」). Names they typed that the platform does not know stay readable.
 */
export function maskResidentNames(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names) {
    const [first = ''] = name;
    out = out.split(name).join(`${first}${'*'.repeat([...name].length - 1)}`);
  }
  return out;
}
