import { buildMatcher, type Occurrence } from './aho-corasick.js';
import { foreignNames } from './gazetteer-foreign.js';
import { isBlockedForeign, isBlockedShort, isEmbeddedName, isGenericShort, isUsableShort } from './gazetteer-rules.js';
import { toTraditional } from './gazetteer-variants.js';

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

/** full: the reading comes from a full name (集美区, 杏林街道, 东安社区) or an office alias, not a short form. */
interface Reading { townCode: string | null; place: string | null; score: number; alias: boolean; full: boolean }
/**
 * bare: a short form, checked against its surroundings; generic: a full name built on an ordinary word;
 * foreign/foreignShort: another province, city or county (no readings), full name or short.
 */
type Guard = 'none' | 'bare' | 'generic' | 'foreign' | 'foreignShort';
/** shown: the simplified name a traditional variant (後溪鎮) stands for, used as evidence. */
interface Pattern { surface: string; guard: Guard; readings: Reading[]; ownTown?: string[]; foreign?: boolean; shown?: string }

/** Ends the stretch of text that a foreign name governs: a clause or sentence break. */
const CLAUSE_END_RE = /[，,。！!？?；;\n]/g;

/**
 * Builds the matcher once per district. Rules (why each exists):
 * - Longest match wins over any match it overlaps (集美区 over 集美, 灌口第二社区 over 灌口).
 * - Bare short forms are dropped when followed by 区/大学/学村/湾/大道/… (集美大学, 杏林湾), when
 *   they are the tail of a date (3月2日东边 is not 日东), and when a 2-character one straddles two words
 *   (楼东|安全, 周日|东边, 区内|林荫: see gazetteer-rules).
 * - A short form that is one character or an ordinary word is not matched bare (see gazetteer-rules);
 *   the full name built on an ordinary word (新村社区) must not be glued to a longer name (城南新村社区).
 * - A town short equal to the district short (集美) means the district: people say 集美 for 集美区;
 *   集美街道 needs its full name. A 社区/村 short equal to a town's or the district's name (后溪村 →
 *   后溪, 杏林社区 → 杏林) means the town, which is what the bare word usually refers to.
 * - An office alias replaces whatever the gazetteer reads for the same words: the office knows best.
 * - Highest score decides; two towns at the top score → no town, both as candidates (never a guess).
 *   A town's full name that contradicts a 社区/村 short (孙厝那边杏林街道) also leaves both undecided: a
 *   short form is not sure enough to overrule what the resident spelled out. So does a town's full name
 *   written as the town of a 社区/村 of another town (集美街道孙厝社区): the address contradicts itself.
 * - Another province, city or county named in the text (海沧区, 江苏, 南京) claims the names of ours that
 *   follow it in the same clause (海沧区新阳街道马銮社区: 海沧 has a 马銮社区 too), up to a town or district
 *   full name of ours; and a text naming one with no full name of ours takes no town from short forms.
 * - A name of ours in traditional characters (後溪鎮) reads as the name (后溪镇).
 */
export function buildResolver(d: District): (text: string) => PlaceMatch {
  const patterns = collectPatterns(d);
  // Foreign full names (thousands) stay out of the automaton, which they made five times slower.
  const isForeignFull = (p: Pattern) => p.guard === 'foreign';
  const matcher = buildMatcher(patterns.map((p) => (isForeignFull(p) ? '' : p.surface)));
  // They all end on an admin suffix (区县市省州旗盟), so they are looked up from each suffix character,
  // found by indexOf, and the character before it (沧区 → 海沧区). indexOf is native; a per-character loop
  // or a character-class regex cost several times more. Keys stay small integers (suffix + 16 × code).
  const suffixes: string[] = [];
  const byTail = new Map<number, Array<{ name: string; pattern: number }>>();
  patterns.forEach((p, pattern) => {
    if (!isForeignFull(p)) return;
    const suffix = p.surface.at(-1)!;
    if (!suffixes.includes(suffix)) suffixes.push(suffix);
    const key = p.surface.charCodeAt(p.surface.length - 2) * 16 + suffixes.indexOf(suffix);
    byTail.set(key, [...(byTail.get(key) ?? []), { name: p.surface, pattern }].sort((x, y) => y.name.length - x.name.length));
  });
  if (suffixes.length > 16) throw new Error(`too many foreign suffixes: ${suffixes.join('')}`);
  const findAll = (text: string): Occurrence[] => {
    const found = matcher.findAll(text);
    suffixes.forEach((suffix, n) => {
      for (let i = text.indexOf(suffix, 1); i >= 0; i = text.indexOf(suffix, i + 1)) {
        const named = byTail.get(text.charCodeAt(i - 1) * 16 + n);
        if (named === undefined) continue;
        const end = i + 1;
        const f = named.find((x) => text.startsWith(x.name, end - x.name.length));
        if (f) found.push({ start: end - f.name.length, end, pattern: f.pattern });
      }
    });
    return found;
  };
  const townNames = new Map(d.towns.map((t) => [t.code, t.name]));

  return (text) => {
    const hits = dropForeignClaims(text, patterns, selectHits(text, patterns, findAll(text)));
    const evidence = [...new Set(hits.map((h) => patterns[h.pattern]!.shown ?? patterns[h.pattern]!.surface))];
    const readings = hits.flatMap((h) => patterns[h.pattern]!.readings);
    const townReadings = readings.filter((r) => r.townCode !== null);
    const best = Math.max(-1, ...townReadings.map((r) => r.score));
    const top = townReadings.filter((r) => r.score === best);
    let towns = [...new Set(top.map((r) => r.townCode!))];
    const districtNamed = readings.some((r) => r.townCode === null);

    const spelled = best === SCORE.placeShort
      ? new Set(townReadings.filter((r) => r.score === SCORE.townFull).map((r) => r.townCode!))
      : best === SCORE.placeFull ? addressedTowns(text, patterns, hits) : new Set<string>();
    if (spelled.size > 0 && towns.some((t) => !spelled.has(t))) towns = [...new Set([...towns, ...spelled])];

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
  const district = (full: boolean): Reading => ({ townCode: null, place: null, score: SCORE.district, alias: false, full });

  add(d.name, 'none', district(true));
  if (isUsableShort(d.short, d.name)) add(d.short, 'bare', district(false));

  const townWords = new Set([d.name, d.short]);
  for (const t of d.towns) {
    const reading = (score: number): Reading => ({ townCode: t.code, place: null, score, alias: false, full: score === SCORE.townFull });
    add(t.name, 'none', reading(SCORE.townFull));
    townWords.add(t.name).add(t.short);
    if (t.short !== d.short && isUsableShort(t.short, t.name)) add(t.short, 'bare', reading(SCORE.townShort));
  }
  for (const p of d.places) {
    const reading = (score: number): Reading => ({ townCode: p.townCode, place: p.name, score, alias: false, full: score === SCORE.placeFull });
    add(p.name, isGenericShort(p.short) ? 'generic' : 'none', reading(SCORE.placeFull));
    // 后溪新村社区 is fine: glued to its own town's name, a generic name is that town's.
    const town = d.towns.find((t) => t.code === p.townCode);
    if (town && isGenericShort(p.short)) bySurface.get(p.name)!.ownTown = [town.name, town.short];
    if (!townWords.has(p.short) && isUsableShort(p.short, p.name)) add(p.short, 'bare', reading(SCORE.placeShort));
  }
  for (const a of d.aliases) {
    add(a.alias.trim(), 'none', { townCode: a.townCode, place: a.placeName ?? null, score: SCORE.alias, alias: true, full: true });
  }
  // 後溪鎮, 僑英街道: the traditional spelling of each name of ours, read as that name.
  for (const p of [...bySurface.values()]) {
    const variant = toTraditional(p.surface);
    if (variant !== p.surface && !bySurface.has(variant)) bySurface.set(variant, { ...p, surface: variant, shown: p.surface });
  }
  // Our own names win: 青山区 of another province does not shadow a district called 青山区.
  for (const f of foreignNames(d.code)) {
    if (!bySurface.has(f.surface)) {
      bySurface.set(f.surface, { surface: f.surface, guard: f.short ? 'foreignShort' : 'foreign', readings: [], foreign: true });
    }
  }
  return [...bySurface.values()];
}

/**
 * What a foreign name claims (see buildResolver): ours after it in its clause, up to a town or district
 * full name of ours or an office alias; and every short form when the text spells out none of ours.
 * The foreign hits themselves are dropped too: they name no town of ours.
 */
function dropForeignClaims(text: string, patterns: Pattern[], hits: Occurrence[]): Occurrence[] {
  if (!hits.some((h) => patterns[h.pattern]!.foreign)) return hits;
  const anchors = (p: Pattern) => p.readings.some((r) => r.alias || (r.full && (r.townCode === null || r.place === null)));
  let scopeEnd = -1;
  const kept: Occurrence[] = [];
  for (const h of hits) {
    const p = patterns[h.pattern]!;
    if (p.foreign) {
      CLAUSE_END_RE.lastIndex = h.end;
      scopeEnd = CLAUSE_END_RE.exec(text)?.index ?? text.length;
    } else if (h.start >= scopeEnd || anchors(p)) {
      if (anchors(p)) scopeEnd = -1;
      kept.push(h);
    }
  }
  if (kept.some((h) => patterns[h.pattern]!.readings.some((r) => r.full))) return kept;
  return kept.filter((h) => patterns[h.pattern]!.readings.every((r) => r.townCode === null));
}

/** Between a town's full name and the 社区/村 written as its part: nothing, a space, or 的 (集美街道的孙厝社区). */
const ADDRESS_GAP_RE = /^[\s的]*$/;

/**
 * Towns spelled out as the town of the 社区/村 written right after them (集美街道孙厝社区) when that
 * 社区/村 lies in another town. The resident wrote an address whose two parts disagree, so neither part
 * may overrule the other. Further apart (侨英街道的居民说杏北社区…) the 社区 is where the problem is.
 */
function addressedTowns(text: string, patterns: Pattern[], hits: Occurrence[]): Set<string> {
  const towns = new Set<string>();
  hits.forEach((h, i) => {
    const next = hits[i + 1];
    if (!next || !ADDRESS_GAP_RE.test(text.slice(h.end, next.start))) return;
    const town = patterns[h.pattern]!.readings.find((r) => r.score === SCORE.townFull)?.townCode;
    const places = patterns[next.pattern]!.readings.filter((r) => r.place !== null && !r.alias);
    if (town && places.length > 0 && places.every((r) => r.townCode !== town)) towns.add(town);
  });
  return towns;
}

/** Longest first, then leftmost; a hit is kept only if it overlaps no kept hit. */
function selectHits(text: string, patterns: Pattern[], found: Occurrence[]): Occurrence[] {
  if (found.length === 0) return found;
  const usable = found.filter((o) => {
    const guard = patterns[o.pattern]!.guard;
    if (guard === 'bare') return !isBlockedShort(text, o.start, o.end);
    if (guard === 'none') return true;
    if (guard === 'foreign' || guard === 'foreignShort') return !isBlockedForeign(text, o.start, o.end, guard === 'foreignShort');
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
