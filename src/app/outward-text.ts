import { maskPersonalData } from '../core/masking.js';
import type { RecordView } from '../core/types.js';
import { residentSentences } from '../core/writeup-text.js';

/**
 * Texts that go to groups or upward (the weekly bulletin, 微协商 agendas, 社情民意 write-ups and the prompts
 * that draft them) also lose room numbers: a liaison group or a higher office needs the building, never the
 * household. The room reads 某室, so the clause stays the problem it was (3号楼某室楼上漏水) instead of being
 * left out with the contact clauses. Staff opening a record still see the room.
 */
export function outwardText(text: string): string {
  return maskPersonalData(text, { houseNumbers: 'words' }).text;
}

/** The record as outward texts quote it: summary and words masked for a group or an upward report. */
export function outwardRecord(r: RecordView): RecordView {
  return { ...r, summary: outwardText(r.summary), textMasked: outwardText(r.textMasked) };
}

/**
 * Residents' words as a text posted to a group quotes them (a bulletin's 典型案例, an agenda's 背景 and the
 * excerpts its prose is drafted from): the problem, without the clauses saying who to contact. Masking alone
 * leaves 「联系人陈先生139****5678」, which still names a private person in a group chat. Kept apart from
 * outwardText, which write-ups use line by line before leaving out the same clauses themselves.
 */
export function groupQuote(text: string): string {
  return residentSentences(outwardText(text), true).join('');
}
