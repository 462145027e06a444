import districtJson from '../../db/seed/district-350211.json' with { type: 'json' };
import taxonomyJson from '../../db/seed/taxonomy.json' with { type: 'json' };
import localModelJson from '../classify/model/local-model.json' with { type: 'json' };
import { createLocalClassifier, type LocalClassifier } from '../classify/local-classifier.js';
import { BotError } from '../core/errors.js';
import type { Category } from '../core/taxonomy.js';
import { type DistrictSeedFile, districtSeedSchema } from '../store/district-seed.js';
import { taxonomySeedSchema } from '../store/taxonomy-seed.js';

/**
 * Reference data bundled into the Worker by import: Workers have no file system, so the loaders in
 * src/store/*-seed.ts (node:fs) are replaced by the same zod schemas over imported JSON. A deployment for
 * another district generates db/seed/district-<code>.json (`npm run district -- <code>`) and adds it here.
 */
const DISTRICTS: Record<string, unknown> = { '350211': districtJson };

export function bundledDistrictSeed(code: string): DistrictSeedFile {
  const raw = DISTRICTS[code];
  if (!raw) {
    throw new BotError('config_invalid', `Invalid configuration: DISTRICT_CODE=${code} is not bundled into the Worker; add db/seed/district-${code}.json to src/runtime/worker-assets.ts`);
  }
  return districtSeedSchema.parse(raw);
}

export function bundledTaxonomy(): Category[] {
  return taxonomySeedSchema.parse(taxonomyJson).categories.map(({ code, name, parent, departments }) => ({ code, name, parent, departments }));
}

let classifier: LocalClassifier | null = null;

/** Decoding the model takes a moment, so an isolate builds it once. */
export function bundledLocalClassifier(): LocalClassifier {
  classifier ??= createLocalClassifier(localModelJson);
  return classifier;
}
