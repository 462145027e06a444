import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Category } from '../core/taxonomy.js';

// Resolved on use, not at import: the Worker bundle imports this module for its schema only.
const defaultPath = (): string => fileURLToPath(new URL('../../db/seed/taxonomy.json', import.meta.url));

export const taxonomySeedSchema = z.object({
  version: z.union([z.string(), z.number()]),
  categories: z.array(z.object({
    code: z.string().min(1),
    name: z.string().min(1),
    parent: z.string().min(1).nullable(),
    departments: z.array(z.string()),
  })).min(1),
});

/** Reads the editable taxonomy file (db/seed/taxonomy.json or a deployment's own). */
export function loadTaxonomySeed(path: string = defaultPath()): Category[] {
  const parsed = taxonomySeedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path} is not a valid taxonomy (${issue.path.join('.')}: ${issue.message})`);
  }
  return parsed.data.categories.map(({ code, name, parent, departments }) => ({ code, name, parent, departments }));
}
