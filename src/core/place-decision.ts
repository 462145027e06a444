import type { PlaceMatch, Town } from './gazetteer.js';

export type PlaceDecision =
  | { kind: 'known'; townCode: string; place: string | null; assumed: boolean; evidence: string[] }
  | { kind: 'ask'; candidates: string[]; evidence: string[] };

/**
 * DESIGN.md pipeline step 5: what the text names → what the sender said explicitly → the member's assigned
 * 镇街 (marked as assumed) → ask back. The text never yields a guessed town.
 */
export function decidePlace(match: PlaceMatch, explicitTown: Town | null, senderTownCode: string | null, towns: Town[]): PlaceDecision {
  if (match.townCode) return { kind: 'known', townCode: match.townCode, place: match.place, assumed: false, evidence: match.evidence };
  if (explicitTown) return { kind: 'known', townCode: explicitTown.code, place: match.place, assumed: false, evidence: [`指定：${explicitTown.name}`] };
  if (senderTownCode) return { kind: 'known', townCode: senderTownCode, place: match.place, assumed: true, evidence: ['委员所属镇街'] };
  const candidates = match.candidates.length ? match.candidates : towns.map((t) => t.code);
  return { kind: 'ask', candidates, evidence: match.evidence };
}

/** Finds a town a person typed by code, full name or short name ("灌口", "灌口镇"). */
export function findTown(towns: Town[], value: string | undefined | null): Town | null {
  const v = value?.trim();
  if (!v) return null;
  return towns.find((t) => t.code === v || t.name === v || t.short === v) ?? null;
}

/** Why a town someone typed (an API `town`, an import line, a filter) is refused; null when it is known or absent. */
export function unknownTown(towns: Town[], value: string | undefined | null): string | null {
  return value?.trim() && !findTown(towns, value) ? `town: 未知镇街「${value}」` : null;
}
