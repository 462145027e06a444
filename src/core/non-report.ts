import type { District, PlaceMatch } from './gazetteer.js';
import { isTownship } from './place-decision.js';
import { readPlaceReply } from './place-reply.js';

/**
 * A short message that is no 社情民意 at all, when no question is open and no record is being corrected:
 * - place: only where, not what (「灌口」「在后溪那边」「海沧」) — a record of it would read 「摘要：灌口」;
 * - thanks / ack: only courtesy or an acknowledgement (「谢谢」「好的」「收到」「不知道」).
 * Filed, each would sit in staff's 本周待办 and count in 周报 as a new problem. Anything that also says what is
 * wrong (「灌口路灯坏了」) is a report: null.
 */
export type NonReport =
  | { kind: 'place'; name: string; town: string | null }
  | { kind: 'outside'; name: string }
  | { kind: 'thanks' }
  | { kind: 'ack' }
  | null;

/** Longer than this, a message is taken as a report even if it reads like the above: the rule stays narrow. */
const NON_REPORT_MAX_CHARS = 12;
/** Twelve characters with room for the spaces, punctuation and emoji people put around them. */
const NON_REPORT_SCAN_CHARS = 48;
const PUNCT_RE = /[\s\p{P}\p{S}]/gu;
const THANKS = '谢谢|多谢|感谢|谢了|辛苦(?:了|啦|您了?)?|麻烦(?:了|您了?)|thanks?|thx';
const THANKS_RE = new RegExp(THANKS, 'giu');
const HAS_THANKS_RE = new RegExp(THANKS, 'iu');
const ACK_RE = /好的|好滴|好嘞|好吧|好|行|可以|收到|知道了|明白了?|了解了?|不知道|不清楚|不晓得|没事了?|没有了|嗯+|哦+|噢+|ok(?:ay)?|啦|了|啊|呀|哈+/giu;
/** Words around a place that say no more than where (「在后溪那边」): left out of the name the reply quotes. */
const PLACE_FILLER_RE = /^(?:是在|就在|在|是)|(?:那边|这边|那里|这里|附近|一带)?(?:的|了)?(?:谢谢)?$/gu;

/** Reads a short message; `resolve` is the district's place resolver (gazetteer.ts, with the office's aliases). */
export function readNonReport(text: string, d: District, resolve: (text: string) => PlaceMatch): NonReport {
  // Every message that is filed passes here: a long one is a report without running the patterns over it.
  if (text.length > NON_REPORT_SCAN_CHARS) return null;
  const bare = text.replace(PUNCT_RE, '');
  if (!bare || bare.length > NON_REPORT_MAX_CHARS) return null;
  if (!bare.replace(THANKS_RE, '').replace(ACK_RE, '')) return HAS_THANKS_RE.test(bare) ? { kind: 'thanks' } : { kind: 'ack' };
  const reading = readPlaceReply(text, d, resolve);
  const name = bare.replace(PLACE_FILLER_RE, '') || bare;
  if (reading?.kind === 'town') return { kind: 'place', name, town: reading.town.name };
  if (reading?.kind === 'broad') return { kind: 'place', name, town: null };
  if (reading?.kind === 'outside') return { kind: 'outside', name: reading.name };
  return null;
}

/** What the bot answers instead of filing: what it needs (a problem, with where) or a courteous word. */
export function nonReportText(r: NonNullable<NonReport>, d: District): string {
  const sample = `例如「${(r.kind === 'place' && r.town) || (d.towns.find(isTownship) ?? d.towns[0])?.name || d.name}…路灯坏了」`;
  switch (r.kind) {
    case 'place':
      return `请说明「${r.name}」发生了什么问题，${sample}。`;
    case 'outside':
      return `${r.name}不在本区（${d.name}），没有登记。反映本区的问题，请说明在哪里、发生了什么，${sample}。`;
    case 'thanks':
      return '不客气。有新的社情民意，直接发给我即可。';
    case 'ack':
      return '好的。有新的社情民意，请说明在哪里、发生了什么，直接发给我即可。';
  }
}
