import { maskPersonalData } from '../core/masking.js';
import type { RecordView } from '../core/types.js';

/**
 * Texts that go to groups or upward (the weekly bulletin, 微协商 agendas, 社情民意 write-ups and the prompts
 * that draft them) also lose room numbers: a liaison group or a higher office needs the building, never the
 * household. Staff opening a record still see the room (the masked text without this option).
 */
export function outwardText(text: string): string {
  return maskPersonalData(text, { houseNumbers: true }).text;
}

/** The record as outward texts quote it: summary and words masked for a group or an upward report. */
export function outwardRecord(r: RecordView): RecordView {
  return { ...r, summary: outwardText(r.summary), textMasked: outwardText(r.textMasked) };
}
