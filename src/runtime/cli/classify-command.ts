import { z } from 'zod';
import { localClassifier } from '../../classify/local-router.js';
import { loadDefaultLocalClassifier } from '../../classify/load-local-model.js';
import { districtFromSeed } from '../../core/district.js';
import { buildResolver } from '../../core/gazetteer.js';
import { maskPersonalData } from '../../core/masking.js';
import { buildTaxonomy } from '../../core/taxonomy.js';
import { loadDistrictSeed } from '../../store/district-seed.js';
import { loadTaxonomySeed } from '../../store/taxonomy-seed.js';
import type { Config } from '../config.js';
import { jsonLines, out } from './io.js';

const inputSchema = z.union([
  z.object({ id: z.union([z.string(), z.number()]), text: z.string() }),
  z.object({ id: z.union([z.string(), z.number()]), title: z.string().default(''), body: z.string().default('') }),
]);

/** `minyi classify`: JSON lines in, one JSON line out per input; offline (local model + gazetteer). */
export async function classifyCommand(config: Config): Promise<number> {
  const taxonomy = buildTaxonomy(loadTaxonomySeed());
  const classifier = localClassifier(loadDefaultLocalClassifier(), taxonomy);
  const district = districtFromSeed(loadDistrictSeed(config.DISTRICT_CODE));
  const resolve = buildResolver(district);
  let failures = 0;
  for await (const { line, value, error } of jsonLines(process.stdin)) {
    const parsed = error ? null : inputSchema.safeParse(value);
    if (!parsed?.success) {
      failures++;
      out(JSON.stringify({ line, error: error ?? `line ${line}: expected {"id","text"} or {"id","title","body"}` }));
      continue;
    }
    const v = parsed.data;
    const text = 'text' in v ? v.text : `${v.title}\n${v.body}`.trim();
    const c = classifier.classifySync({ text, masked: maskPersonalData(text).text });
    const place = resolve(text);
    out(JSON.stringify({
      id: v.id, category: c.categoryCode, categoryName: c.categoryName, town: place.townCode, townName: place.townName,
      place: place.place, confidence: Number(c.confidence.toFixed(4)), appealType: c.appealType, urgency: c.urgency,
      alternatives: c.alternatives.map((a) => ({ category: a.code, name: a.name, probability: Number(a.probability.toFixed(4)) })),
      evidence: place.evidence, source: c.source,
    }));
  }
  return failures ? 1 : 0;
}
