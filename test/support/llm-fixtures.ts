import { buildResolver } from '../../src/core/gazetteer.js';
import { districtFromSeed } from '../../src/core/district.js';
import type { ClassifyInput, Classifier } from '../../src/core/ports.js';
import type { Classification } from '../../src/core/types.js';
import { loadDistrictSeed } from '../../src/store/district-seed.js';
import { loadTaxonomySeed } from '../../src/store/taxonomy-seed.js';

/** The shipped taxonomy and 集美区 district, as a deployment would have them. */
export const categories = loadTaxonomySeed();
export const district = districtFromSeed(loadDistrictSeed('350211'));
export const resolvePlace = buildResolver(district);

/** A local classifier whose confidence each test sets; it always says 城乡建设. */
export function stubLocal(confidence: number): Classifier & { calls: ClassifyInput[] } {
  const calls: ClassifyInput[] = [];
  return {
    calls,
    async classify(input): Promise<Classification> {
      calls.push(input);
      return {
        categoryCode: '01', categoryName: '城乡建设', appealType: '求助', urgency: 'normal', summary: input.masked.slice(0, 20),
        confidence, alternatives: [{ code: '02', name: '环境保护', probability: 1 - confidence }], source: 'local', rationale: '本地模型',
      };
    },
  };
}
