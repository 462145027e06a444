import { buildMatcher, type Occurrence } from './aho-corasick.js';
import { isBlockedShort, isEmbeddedName, isGenericShort, isUsableShort } from './gazetteer-rules.js';

export interface Town { code: string; name: string; short: string; type: string }
/** A 社区/村 (or a farm's placeholder unit) inside a town. */
export interface PlaceEntry { code: string; townCode: string; name: string; short: string; kind: string }
/** Added by the office: roads, 小区, landmarks. placeName is the 社区/村 it lies in, when known. */
export interface PlaceAlias { alias: string; townCode: string; placeName?: string }
export interface District {
  code: string; name: string; short: string; towns: Town[]; places: PlaceEntry[]; aliases: PlaceAlias[];
}

export interface PlaceMatch {
  townCode: string | null;
  townName: string | null;
  /** The 社区/村 name (岑东社区), or an alias's placeName; null when only the town is known. */
  place: string | null;
  /** The words found in the text, in reading order. */
  evidence: string[];
  /** Town codes that matched equally well; non-empty only when townCode is null for that reason. */
  candidates: string[];
  /** The text names the district (集美区) and no town in it. */
  districtOnly: boolean;
}

/**
 * How specific a reading is. An office alias or a 社区/村's full name pins the place; a 社区/村's short
 * form nearly so; a town's full name beats its short form. The district names no town at all.
 */
const SCORE = { district: 0, townShort: 1, townFull: 2, placeShort: 3, placeFull: 4, alias: 4 } as const;

interface Reading { townCode: string | null; place: string | null; score: number; alias: boolean }
/** bare: a short form, checked against its surroundings; generic: a full name built on an ordinary word. */
type Guard = 'none' | 'bare' | 'generic';
interface Pattern { surface: string; guard: Guard; readings: Reading[]; ownTown?: string[] }

/**
 * Builds the matcher once per district. Rules (why each exists):
 * - Longest match wins over any match it overlaps (集美区 over 集美, 灌口第二社区 over 灌口).
 * - Bare short forms are dropped when followed by 区/大学/学村/湾/大道/… (集美大学, 杏林湾) or when
 *   they are the tail of a date (3月2日东边 is not 日东).
 * - A short form that is one character or an ordinary word is not matched bare (see gazetteer-rules);
 *   the full name built on an ordinary word (新村社区) must not be glued to a longer name (城南新村社区).
 * - A town short equal to the district short (集美) means the district: people say 集美 for 集美区;
 *   集美街道 needs its full name. A 社区/村 short equal to a town's or the district's name (后溪村 →
 *   后溪, 杏林社区 → 杏林) means the town, which is what the bare word usually refers to.
 * - An office alias replaces whatever the gazetteer reads for the same words: the office knows best.
 * - Highest score decides; two towns at the top score → no town, both as candidates (never a guess).
 */
export function buildResolver(d: District): (text: string) => PlaceMatch {
  const patterns = collectPatterns(d);
  const matcher = buildMatcher(patterns.map((p) => p.surface));
  const townNames = new Map(d.towns.map((t) => [t.code, t.name]));

  return (text) => {
    const hits = selectHits(text, patterns, matcher.findAll(text));
    const evidence = [...new Set(hits.map((h) => patterns[h.pattern]!.surface))];
    const readings = hits.flatMap((h) => patterns[h.pattern]!.readings);
    const townReadings = readings.filter((r) => r.townCode !== null);
    const best = Math.max(-1, ...townReadings.map((r) => r.score));
    const top = townReadings.filter((r) => r.score === best);
    const towns = [...new Set(top.map((r) => r.townCode!))];
    const districtNamed = readings.some((r) => r.townCode === null);

    if (towns.length !== 1) {
      return { townCode: null, townName: null, place: null, evidence, candidates: towns.length > 1 ? towns : [],
        districtOnly: towns.length === 0 && districtNamed };
    }
    const places = [...new Set(top.flatMap((r) => (r.place ? [r.place] : [])))];
    const townCode = towns[0]!;
    return { townCode, townName: townNames.get(townCode) ?? null, place: places.length === 1 ? places[0]! : null,
      evidence, candidates: [], districtOnly: false };
  };
}

function collectPatterns(d: District): Pattern[] {
  const bySurface = new Map<string, Pattern>();
  const add = (surface: string, guard: Guard, reading: Reading): void => {
    if (surface.length === 0) return;
    const existing = bySurface.get(surface);
    if (!existing || (reading.alias && !existing.readings[0]!.alias)) {
      bySurface.set(surface, { surface, guard, readings: [reading] });
    } else if (reading.alias || !existing.readings[0]!.alias) {
      existing.readings.push(reading);
      // Shared by a full name and a short form: the weaker check applies to both readings.
      if (guard !== existing.guard) existing.guard = 'none';
    }
  };
  const district = (score: number): Reading => ({ townCode: null, place: null, score, alias: false });

  add(d.name, 'none', district(SCORE.district));
  if (isUsableShort(d.short, d.name)) add(d.short, 'bare', district(SCORE.district));

  const townWords = new Set([d.name, d.short]);
  for (const t of d.towns) {
    const reading = (score: number): Reading => ({ townCode: t.code, place: null, score, alias: false });
    add(t.name, 'none', reading(SCORE.townFull));
    townWords.add(t.name).add(t.short);
    if (t.short !== d.short && isUsableShort(t.short, t.name)) add(t.short, 'bare', reading(SCORE.townShort));
  }
  for (const p of d.places) {
    const reading = (score: number): Reading => ({ townCode: p.townCode, place: p.name, score, alias: false });
    add(p.name, isGenericShort(p.short) ? 'generic' : 'none', reading(SCORE.placeFull));
    // 后溪新村社区 is fine: glued to its own town's name, a generic name is that town's.
    const town = d.towns.find((t) => t.code === p.townCode);
    if (town && isGenericShort(p.short)) bySurface.get(p.name)!.ownTown = [town.name, town.short];
    if (!townWords.has(p.short) && isUsableShort(p.short, p.name)) add(p.short, 'bare', reading(SCORE.placeShort));
  }
  for (const a of d.aliases) {
    add(a.alias.trim(), 'none', { townCode: a.townCode, place: a.placeName ?? null, score: SCORE.alias, alias: true });
  }
  return [...bySurface.values()];
}

/** Longest first, then leftmost; a hit is kept only if it overlaps no kept hit. */
function selectHits(text: string, patterns: Pattern[], found: Occurrence[]): Occurrence[] {
  if (found.length === 0) return found;
  const usable = found.filter((o) => {
    const guard = patterns[o.pattern]!.guard;
    if (guard === 'bare') return !isBlockedShort(text, o.start, o.end);
    if (guard === 'none') return true;
    const ownTown = patterns[o.pattern]!.ownTown ?? [];
    return !isEmbeddedName(text, o.start) || ownTown.some((w) => text.endsWith(w, o.start));
  });
  usable.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Occurrence[] = [];
  for (const o of usable) {
    if (kept.every((k) => o.end <= k.start || o.start >= k.end)) kept.push(o);
  }
  return kept.sort((a, b) => a.start - b.start);
}
