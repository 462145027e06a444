/**
 * minyi's two-level category taxonomy. The data lives in db/seed/taxonomy.json (deployments edit it); this
 * file only checks it and answers questions about it.
 *
 * Codes: level 1 is two digits ("01"), level 2 is its parent's code, a dot and two digits ("01.03"). A
 * record may carry a level-1 code when nothing finer is known (the local classifier only predicts level 1).
 */
import { BotError } from './errors.js';

export interface Category {
  code: string;
  name: string;
  parent: string | null;
  departments: string[];
}

export interface Taxonomy {
  categories: Category[];
  byCode: Map<string, Category>;
  /**
   * Every level-1 name, plus level-2 names that are unique and differ from every level-1 name (so 其他 or a
   * level-2 name reused under two parents never resolves to the wrong branch).
   */
  byName: Map<string, Category>;
}

/** Stands for "the record's own 镇街" in department lists; agenda and assignment texts replace it. */
export const LOCAL_TOWN_DEPARTMENT = '属地镇街';

const LEVEL1_CODE = /^\d{2}$/;
const LEVEL2_CODE = /^(\d{2})\.\d{2}$/;

export class TaxonomyError extends BotError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('config_invalid', message, details ? { details } : undefined);
    this.name = 'TaxonomyError';
  }
}

function checkShape(c: Category): void {
  if (c.name.trim() === '') throw new TaxonomyError(`category ${c.code} has no name`, { code: c.code });
  if (c.parent === null) {
    if (!LEVEL1_CODE.test(c.code)) throw new TaxonomyError(`level-1 code "${c.code}" must be two digits`, { code: c.code });
    return;
  }
  const m = LEVEL2_CODE.exec(c.code);
  if (!m || m[1] !== c.parent) {
    throw new TaxonomyError(`level-2 code "${c.code}" must be "${c.parent}.NN"`, { code: c.code, parent: c.parent });
  }
}

export function buildTaxonomy(categories: Category[]): Taxonomy {
  const byCode = new Map<string, Category>();
  for (const c of categories) {
    checkShape(c);
    if (byCode.has(c.code)) throw new TaxonomyError(`duplicate category code ${c.code}`, { code: c.code });
    byCode.set(c.code, c);
  }

  const level1Names = new Map<string, Category>();
  const level2Names = new Map<string, Category | null>();
  for (const c of categories) {
    if (c.parent === null) {
      if (level1Names.has(c.name)) throw new TaxonomyError(`duplicate level-1 name ${c.name}`, { name: c.name });
      level1Names.set(c.name, c);
      if (c.departments.length === 0) throw new TaxonomyError(`level-1 category ${c.code} has no departments`, { code: c.code });
      continue;
    }
    const parent = byCode.get(c.parent);
    if (!parent) throw new TaxonomyError(`category ${c.code} has unknown parent ${c.parent}`, { code: c.code, parent: c.parent });
    if (parent.parent !== null) throw new TaxonomyError(`category ${c.code}: the taxonomy has two levels only`, { code: c.code });
    // null marks a name seen twice: ambiguous, so it is left out of byName.
    level2Names.set(c.name, level2Names.has(c.name) ? null : c);
  }

  const byName = new Map<string, Category>();
  for (const [name, c] of level2Names) if (c && !level1Names.has(name)) byName.set(name, c);
  for (const [name, c] of level1Names) byName.set(name, c);
  return { categories, byCode, byName };
}

function get(t: Taxonomy, code: string): Category {
  const c = t.byCode.get(code);
  if (!c) throw new TaxonomyError(`unknown category code ${code}`, { code });
  return c;
}

export function level1Of(t: Taxonomy, code: string): Category {
  const c = get(t, code);
  return c.parent === null ? c : get(t, c.parent);
}

/** Departments responsible for a category: its own list, or its level-1 parent's when it has none. */
export function departmentsFor(t: Taxonomy, code: string): string[] {
  const c = get(t, code);
  return c.departments.length > 0 ? c.departments : level1Of(t, code).departments;
}

/** "城乡建设 / 城市建设和市政管理" for level 2, "城乡建设" for level 1. */
export function categoryLabel(t: Taxonomy, code: string): string {
  const c = get(t, code);
  return c.parent === null ? c.name : `${level1Of(t, code).name} / ${c.name}`;
}
