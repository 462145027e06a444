import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_TOWN_DEPARTMENT,
  TaxonomyError,
  buildTaxonomy,
  categoryLabel,
  departmentsFor,
  level1Of,
  type Category,
} from '../src/core/taxonomy.js';
import { loadTaxonomySeed } from '../src/store/taxonomy-seed.js';

const SEED_URL = new URL('../db/seed/taxonomy.json', import.meta.url);
const seed = loadTaxonomySeed();
const taxonomy = buildTaxonomy(seed);

// The labels the bundled local classifier was trained on (the official level-1 classes of its data).
const CLASSIFIER_LABELS = ['城乡建设', '劳动和社会保障', '教育文体', '商贸旅游', '环境保护', '卫生计生', '交通运输'];

const cat = (code: string, name: string, parent: string | null, departments: string[] = ['区政府办']): Category => ({
  code,
  name,
  parent,
  departments,
});

describe('db/seed/taxonomy.json', () => {
  it('loads and builds', () => {
    expect(taxonomy.categories.length).toBeGreaterThan(16);
  });

  it.each(CLASSIFIER_LABELS)('maps the classifier label %s to a level-1 category', (label) => {
    const c = taxonomy.byName.get(label);
    expect(c?.parent).toBeNull();
    expect(c?.name).toBe(label);
  });

  it('has the level-1 classes a district CPPCC office expects, coded 01..16, with 其他 last', () => {
    const level1 = seed.filter((c) => c.parent === null);
    expect(level1.map((c) => c.code)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1).padStart(2, '0')));
    for (const name of ['民政', '政法', '农村农业', '国土资源', '党务政务', '纪检监察']) expect(taxonomy.byName.has(name)).toBe(true);
    expect(taxonomy.byName.get('其他')?.code).toBe('16');
  });

  it('has unique codes', () => {
    const codes = seed.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('names responsible departments for every category, directly or through its parent', () => {
    for (const c of seed) expect(departmentsFor(taxonomy, c.code).length, c.code).toBeGreaterThan(0);
  });

  it('keeps optional keywords as lists of words', () => {
    const raw: unknown = JSON.parse(readFileSync(SEED_URL, 'utf8'));
    const categories = (raw as { categories: Array<{ code: string; keywords?: unknown }> }).categories;
    for (const c of categories) {
      if (c.keywords === undefined) continue;
      expect(Array.isArray(c.keywords), c.code).toBe(true);
      for (const k of c.keywords as unknown[]) expect(typeof k === 'string' && k.length > 0, c.code).toBe(true);
    }
  });

  it('sends the usual district problems to the usual departments', () => {
    expect(departmentsFor(taxonomy, '01.01')).toEqual(expect.arrayContaining(['区市政园林局', LOCAL_TOWN_DEPARTMENT]));
    expect(departmentsFor(taxonomy, '02')).toContain('市生态环境局集美分局');
    expect(departmentsFor(taxonomy, '03.03')).toContain('交警集美大队');
    expect(departmentsFor(taxonomy, '05.03')).toContain('区医保局');
  });
});

describe('taxonomy helpers', () => {
  const t = buildTaxonomy([
    cat('01', '城乡建设', null, ['区建设局', LOCAL_TOWN_DEPARTMENT]),
    cat('01.01', '城市建设和市政管理', '01', ['区市政园林局']),
    cat('01.02', '安全生产', '01', []),
    cat('02', '经济管理', null),
    cat('02.01', '安全生产', '02'),
    cat('16', '其他', null),
  ]);

  it('labels a level-2 category with its parent', () => {
    expect(categoryLabel(t, '01.01')).toBe('城乡建设 / 城市建设和市政管理');
    expect(categoryLabel(t, '01')).toBe('城乡建设');
  });

  it('finds the level-1 category of any code', () => {
    expect(level1Of(t, '01.02').code).toBe('01');
    expect(level1Of(t, '02').code).toBe('02');
  });

  it('falls back to the parent departments when a level-2 category names none', () => {
    expect(departmentsFor(t, '01.01')).toEqual(['区市政园林局']);
    expect(departmentsFor(t, '01.02')).toEqual(['区建设局', LOCAL_TOWN_DEPARTMENT]);
  });

  it('resolves unique names, and never a level-2 name used under two parents', () => {
    expect(t.byName.get('城市建设和市政管理')?.code).toBe('01.01');
    expect(t.byName.has('安全生产')).toBe(false);
    expect(t.byName.get('其他')?.code).toBe('16');
  });

  it('rejects unknown codes with a TaxonomyError', () => {
    expect(() => categoryLabel(t, '99')).toThrow(TaxonomyError);
    expect(() => departmentsFor(t, '01.09')).toThrow(/unknown category/);
  });
});

describe('buildTaxonomy rejects invalid data', () => {
  it.each<[string, Category[], RegExp]>([
    ['duplicate codes', [cat('01', '城乡建设', null), cat('01', '环境保护', null)], /duplicate category code 01/],
    ['an unknown parent', [cat('01', '城乡建设', null), cat('02.01', '水污染', '02')], /unknown parent 02/],
    ['a third level', [cat('01', '城乡建设', null), cat('01.01', '市政', '01'), cat('01.01.01', '路灯', '01.01')], /must be "01.01.NN"|two levels/],
    ['a level-2 code outside its parent', [cat('01', '城乡建设', null), cat('02.01', '市政', '01')], /must be "01.NN"/],
    ['a malformed level-1 code', [cat('1', '城乡建设', null)], /two digits/],
    ['a level-1 without departments', [cat('01', '城乡建设', null, [])], /no departments/],
    ['duplicate level-1 names', [cat('01', '城乡建设', null), cat('02', '城乡建设', null)], /duplicate level-1 name/],
    ['an empty name', [cat('01', ' ', null)], /no name/],
  ])('%s', (_label, categories, message) => {
    expect(() => buildTaxonomy(categories)).toThrow(TaxonomyError);
    expect(() => buildTaxonomy(categories)).toThrow(message);
  });

  it('reports failures with the config_invalid code', () => {
    try {
      buildTaxonomy([cat('01', '城乡建设', null), cat('01', '环境保护', null)]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TaxonomyError);
      expect((e as TaxonomyError).code).toBe('config_invalid');
    }
  });
});
