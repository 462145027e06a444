import type { PlaceMatch } from './gazetteer.js';
import { listContext, saysWhatIsWrong, separatePlaces, standsAlone } from './item-words.js';
import { maskPersonalData } from './masking.js';
import { attribution, isBundle, PLACEHOLDER_RE, TRUNCATED_NOTE } from './message-text.js';
import { residentWords } from './resident-words.js';
import type { InboundMessage } from './types.js';

/**
 * The lines of a merged forward's text (their indexes) by who sent them: a line opens with its part's `name time：`
 * (message-text.ts), and a line without one goes on with the part before it. Null when the bundle is not one
 * flat chat of named senders (a nested record, a part without a sender, the platform's incompleteness note):
 * such a bundle is read whole.
 */
function linesBySender(m: InboundMessage, lines: readonly string[]): { note: number[]; senders: number[][] } | null {
  if (m.parts.some((p) => p.depth !== m.parts[0]!.depth)) return null;
  const headers: Array<[string, string]> = [];
  for (const p of m.parts) {
    const header = attribution(p);
    if (!header) return null;
    headers.push([header, p.senderId ?? p.senderName!]);
  }
  headers.sort((a, b) => b[0].length - a[0].length);
  const note: number[] = [];
  const bySender = new Map<string, number[]>();
  let current: number[] | null = null;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === TRUNCATED_NOTE) return null;
    const key = headers.find(([h]) => line.startsWith(h))?.[1];
    if (key !== undefined) {
      current = bySender.get(key) ?? [];
      bySender.set(key, current);
    }
    (current ?? note).push(i);
  }
  return { note, senders: [...bySender.values()] };
}

/** What residents say around a problem in a chat: no problem of its own. */
const CHAT_RE = /好的|收到|谢谢|感谢|辛苦了?|麻烦[你您]了|是的|对的|知道了|没问题|好吧|[嗯哦噢呢啊吧]/gu;

/** Whether a resident's words are only chat around the problem (「好的，谢谢」「收到」, a photo). */
const saysNothing = (words: string): boolean => !saysWhatIsWrong(words.replace(PLACEHOLDER_RE, '').replace(CHAT_RE, ''), []);

/**
 * The problems of a merged forward whose residents each report one at their own place: one item per resident,
 * their lines as the bundle shows them (name and time kept for staff), for one record each. Residents who only
 * chat around it (「好的」「收到」) are left out of the items; the member's words before the bundle go in front
 * of each item when they say something and name no place (listContext). The bundle stays whole, to be read by
 * the LLM or asked about, unless every other resident names one town and says what is wrong there on their own
 * (standsAlone), their places lie apart (separatePlaces), and each item masks as it does inside the whole bundle:
 * one resident telling one problem over several messages, or two residents on one problem, is one record.
 */
export function itemsBySender(m: InboundMessage, text: string, resolvePlace: (text: string) => PlaceMatch): string[] {
  if (!isBundle(m)) return [];
  const lines = text.split('\n');
  const grouped = linesBySender(m, lines);
  if (!grouped) return [];
  // The member's own words; a chat record's title (DingTalk's 「[聊天记录] 王建国和李秀英的聊天记录」) is the platform's.
  const noteText = residentWords(m, grouped.note.map((i) => lines[i]).join('\n'));
  if (noteText.trim() && resolvePlace(noteText).evidence.length > 0) return [];
  const items: number[][] = [];
  const places: PlaceMatch[] = [];
  for (const sender of grouped.senders) {
    const words = residentWords(m, sender.map((i) => lines[i]).join('\n'));
    const match = resolvePlace(words);
    if (match.townCode !== null && standsAlone(words, match.evidence)) {
      items.push(sender);
      places.push(match);
    } else if (match.evidence.length > 0 || !saysNothing(words)) {
      return [];
    }
  }
  if (items.length < 2 || !separatePlaces(places)) return [];
  const masked = maskPersonalData(text).text.split('\n');
  if (masked.length !== lines.length) return [];
  const texts = items.map((indexes) => indexes.map((i) => lines[i]).join('\n'));
  if (texts.some((t, k) => maskPersonalData(t).text !== items[k]!.map((i) => masked[i]).join('\n'))) return [];
  const context = listContext(noteText, resolvePlace);
  return texts.map((t) => (context ? `${context}\n${t}` : t));
}
