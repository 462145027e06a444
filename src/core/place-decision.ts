import type { District, PlaceMatch, Town } from './gazetteer.js';

/**
 * `among`: the towns the text named equally well, one of which the member's own town chose (the receipt
 * offers the others). `candidates`: the towns the text named; empty when it named none, and then any 镇街.
 */
export type PlaceDecision =
  | { kind: 'known'; townCode: string; place: string | null; assumed: boolean; evidence: string[]; among?: string[] }
  | { kind: 'ask'; candidates: string[]; evidence: string[] };

/**
 * DESIGN.md pipeline step 5: what the text names → what the sender said explicitly → the member's assigned
 * 镇街 (marked as assumed) → ask back. The text never yields a guessed town, and the member's town never
 * replaces towns the text names: among several it may only pick one of them, else the bot asks.
 */
export function decidePlace(match: PlaceMatch, explicitTown: Town | null, senderTownCode: string | null): PlaceDecision {
  if (match.townCode) return { kind: 'known', townCode: match.townCode, place: match.place, assumed: false, evidence: match.evidence };
  if (explicitTown) return { kind: 'known', townCode: explicitTown.code, place: match.place, assumed: false, evidence: [`指定：${explicitTown.name}`] };
  if (match.candidates.length > 0) {
    if (senderTownCode && match.candidates.includes(senderTownCode)) {
      return { kind: 'known', townCode: senderTownCode, place: null, assumed: true, evidence: [...match.evidence, '委员所属镇街'], among: match.candidates };
    }
    return { kind: 'ask', candidates: match.candidates, evidence: match.evidence };
  }
  if (senderTownCode) return { kind: 'known', townCode: senderTownCode, place: match.place, assumed: true, evidence: ['委员所属镇街'] };
  return { kind: 'ask', candidates: [], evidence: match.evidence };
}

/**
 * A 镇 or 街道 (or 乡), as opposed to the farms, forest farms and zones the statistics list at the same level
 * (type 其他): those are offered by name only, so the buttons stay the handful people choose from.
 */
export function isTownship(t: Town): boolean {
  return t.type !== '其他';
}

/** Whether a 社区/村 name (or an office alias's place) lies in the town: a town change keeps only such a place. */
export function placeInTown(d: District, place: string, townCode: string): boolean {
  return d.places.some((p) => p.name === place && p.townCode === townCode) || d.aliases.some((a) => a.placeName === place && a.townCode === townCode);
}

/**
 * The one 社区/村 of `townCode` that `text` names in full, if exactly one: what an answered town question keeps
 * of an address the resolver could not settle (集美街道孙厝社区, answered 侨英街道 → 孙厝社区).
 */
export function namedPlaceIn(d: District, text: string, townCode: string): string | null {
  const named = d.places.filter((p) => p.townCode === townCode && text.includes(p.name));
  return named.length === 1 ? named[0]!.name : null;
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
