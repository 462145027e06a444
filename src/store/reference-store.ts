import { and, eq, ne } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import type { DistrictSeed } from '../core/district.js';
import type { District, PlaceAlias } from '../core/gazetteer.js';
import { buildTaxonomy, type Category, type Taxonomy } from '../core/taxonomy.js';
import type { Atomic, Db } from './db.js';

const DISTRICT_KEY = 'district';

/**
 * Reference data: towns, 社区/村, office aliases and categories. Seeded from db/seed on first start;
 * afterwards the database is the truth, so an office's edits survive upgrades.
 */
export class ReferenceStore {
  constructor(
    private readonly db: Db,
    private readonly atomic: Atomic,
  ) {}

  /**
   * Seeds the district and the taxonomy the first time a database is used (the loaders read files on Node
   * and bundled JSON on Workers), then reads both back: after the first start the database is the truth.
   */
  async ensureLoaded(code: string, seeds: { district: () => DistrictSeed; categories: () => Category[] }): Promise<{ district: District; taxonomy: Taxonomy; seeded: boolean }> {
    const seeded = !(await this.hasDistrict(code));
    if (seeded) await this.seedDistrict(seeds.district());
    if (!(await this.hasCategories())) await this.replaceCategories(seeds.categories());
    return { district: await this.loadDistrict(code), taxonomy: buildTaxonomy(await this.loadCategories()), seeded };
  }

  async hasDistrict(code: string): Promise<boolean> {
    const [row] = await this.db.select({ code: t.towns.code }).from(t.towns).where(eq(t.towns.districtCode, code)).limit(1);
    return row !== undefined;
  }

  async seedDistrict(seed: DistrictSeed): Promise<void> {
    const { db } = this;
    await this.atomic([
      db.insert(t.settings).values({ key: DISTRICT_KEY, value: JSON.stringify(seed.district), updatedAt: 0 })
        .onConflictDoUpdate({ target: t.settings.key, set: { value: JSON.stringify(seed.district) } }),
      ...seed.towns.map((town) => db.insert(t.towns)
        .values({ code: town.code, districtCode: seed.district.code, name: town.name, short: town.short, type: town.type })
        .onConflictDoNothing()),
      ...seed.towns.flatMap((town) => town.places.map((p) => db.insert(t.places)
        .values({ id: p.code, townCode: town.code, name: p.name, short: p.short, kind: p.kind })
        .onConflictDoNothing())),
    ]);
  }

  async loadDistrict(code: string): Promise<District> {
    const [meta] = await this.db.select().from(t.settings).where(eq(t.settings.key, DISTRICT_KEY));
    const d = meta ? (JSON.parse(meta.value) as { code: string; name: string; short: string }) : { code, name: code, short: code };
    const towns = await this.db.select().from(t.towns).where(eq(t.towns.districtCode, code)).orderBy(t.towns.code);
    const codes = new Set(towns.map((x) => x.code));
    const places = (await this.db.select().from(t.places)).filter((p) => codes.has(p.townCode));
    return {
      code, name: d.name, short: d.short,
      towns: towns.map(({ code: c, name, short, type }) => ({ code: c, name, short, type })),
      places: places.filter((p) => p.kind !== 'alias').map((p) => ({ code: p.id, townCode: p.townCode, name: p.name, short: p.short ?? p.name, kind: p.kind })),
      aliases: places.filter((p) => p.kind === 'alias').map((p) => ({ alias: p.name, townCode: p.townCode, ...(p.placeName ? { placeName: p.placeName } : {}) })),
    };
  }

  async addAliases(aliases: PlaceAlias[]): Promise<number> {
    if (!aliases.length) return 0;
    await this.atomic(aliases.map((a) => this.db.insert(t.places)
      .values({ id: `alias:${a.townCode}:${a.alias}`, townCode: a.townCode, name: a.alias, kind: 'alias', placeName: a.placeName ?? null })
      .onConflictDoUpdate({ target: t.places.id, set: { placeName: a.placeName ?? null } })));
    return aliases.length;
  }

  async removeAlias(alias: string): Promise<void> {
    await this.db.delete(t.places).where(and(eq(t.places.name, alias), eq(t.places.kind, 'alias')));
  }

  async hasCategories(): Promise<boolean> {
    const [row] = await this.db.select({ code: t.categories.code }).from(t.categories).limit(1);
    return row !== undefined;
  }

  async replaceCategories(categories: Category[]): Promise<void> {
    const { db } = this;
    await this.atomic([
      db.update(t.categories).set({ active: false }),
      ...categories.map((c) => db.insert(t.categories)
        .values({ code: c.code, name: c.name, parent: c.parent, departments: JSON.stringify(c.departments), active: true })
        .onConflictDoUpdate({ target: t.categories.code, set: { name: c.name, parent: c.parent, departments: JSON.stringify(c.departments), active: true } })),
    ]);
  }

  async loadCategories(): Promise<Category[]> {
    const rows = await this.db.select().from(t.categories).where(ne(t.categories.active, false)).orderBy(t.categories.code);
    return rows.map((r) => ({ code: r.code, name: r.name, parent: r.parent, departments: JSON.parse(r.departments) as string[] }));
  }
}
