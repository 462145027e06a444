import { itemsByAddition } from '../core/added-items.js';
import { itemsBySender } from '../core/bundle-items.js';
import { itemsByPlace } from '../core/enumerated-items.js';
import { itemsByLabel } from '../core/labelled-lines.js';
import { isBundle } from '../core/message-text.js';
import type { InboundRow } from '../core/ports.js';
import type { InboundMessage } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { type IntakeItem, residentText } from './intake.js';

/**
 * One item per place of a member's numbered list whose items name different places (core/enumerated-items.ts),
 * of lines each opening with its place (「深青村：…」, core/labelled-lines.ts), or of a message adding a problem
 * elsewhere with 「另外」「此外」「还有」 (core/added-items.ts); of a merged forward, one per resident at their own
 * place (core/bundle-items.ts); else one per distinct problem when the classifier can split (the LLM); else the
 * whole message. The member's own cut is read first, model or not: the model is not asked about a short message
 * the local classifier is sure of, and the member named each item's place. A split is saved on the inbound row
 * before anything is filed, so a job re-run after a crash files the same items under the same indexes even though
 * the model, or the office's aliases, might cut differently the second time.
 */
export async function splitItems(deps: AppDeps, row: InboundRow, msg: InboundMessage, text: string): Promise<IntakeItem[]> {
  const saved = row.outcome?.['split'];
  if (Array.isArray(saved) && saved.length > 0 && saved.every((s) => typeof s === 'string')) {
    return (saved as string[]).map((t, index) => ({ index, text: t }));
  }
  // A bundle's lines are its residents' messages, not the member's list: they are cut by resident, if at all.
  let texts = isBundle(msg) ? itemsBySender(msg, text, deps.resolvePlace) : itemsOfMember(text, deps.resolvePlace);
  if (texts.length <= 1 && deps.classifier.split) {
    // Cut on the residents' words as intake classifies them (the model answers once for both); a bundle that
    // stays one item keeps its attributed text, the pieces of a split one are those words only.
    const { unnamed, masked } = residentText(deps, msg, text);
    texts = (await deps.classifier.split({ text: unnamed, masked })).map((p) => p.text);
  }
  if (texts.length <= 1) return [{ index: 0, text }];
  await deps.store.setInboundState(row.id, 'processing', deps.clock.now(), { split: texts });
  return texts.map((t, index) => ({ index, text: t }));
}

/** The first of the member's own ways of listing problems that cuts the text: numbers, place labels, 另外. */
function itemsOfMember(text: string, resolvePlace: AppDeps['resolvePlace']): string[] {
  for (const cut of [itemsByPlace, itemsByLabel, itemsByAddition]) {
    const items = cut(text, resolvePlace);
    if (items.length > 0) return items;
  }
  return [];
}
