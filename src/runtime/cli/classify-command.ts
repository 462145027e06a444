import { localClassifier } from '../../classify/local-router.js';
import { loadDefaultLocalClassifier } from '../../classify/load-local-model.js';
import { districtFromSeed } from '../../core/district.js';
import { buildResolver } from '../../core/gazetteer.js';
import { maskPersonalData } from '../../core/masking.js';
import { buildTaxonomy } from '../../core/taxonomy.js';
import { loadDistrictSeed } from '../../store/district-seed.js';
import { loadTaxonomySeed } from '../../store/taxonomy-seed.js';
import type { Config } from '../config.js';
import { classifyInput } from './classify-input.js';
import { jsonLines, out } from './io.js';

/** `minyi classify`: JSON lines in, one JSON line out per input; offline (local model + gazetteer). */
export async function classifyCommand(config: Config): Promise<number> {
  const taxonomy = buildTaxonomy(loadTaxonomySeed());
  const classifier = localClassifier(loadDefaultLocalClassifier(), taxonomy);
  const district = districtFromSeed(loadDistrictSeed(config.DISTRICT_CODE));
  const resolve = buildResolver(district);
  let failures = 0;
  for await (const { line, value, error } of jsonLines(process.stdin)) {
    const item = classifyInput(line, value, error);
    if ('error' in item) {
      failures++;
      out(JSON.stringify({ line, error: item.error }));
      continue;
    }
    const { text } = item;
    const c = classifier.classifySync({ text, masked: maskPersonalData(text).text });
    const place = resolve(text);
    out(JSON.stringify({
      id: item.id, category: c.categoryCode, categoryName: c.categoryName, town: place.townCode, townName: place.townName,
      place: place.place, confidence: Number(c.confidence.toFixed(4)), appealType: c.appealType, urgency: c.urgency,
      alternatives: c.alternatives.map((a) => ({ category: a.code, name: a.name, probability: Number(a.probability.toFixed(4)) })),
      evidence: place.evidence, source: c.source,
    }));
  }
  return failures ? 1 : 0;
}
