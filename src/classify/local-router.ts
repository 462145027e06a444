import type { ClassifyInput, Classifier } from '../core/ports.js';
import type { Taxonomy } from '../core/taxonomy.js';
import { guessAppealType, guessUrgency, summarize } from '../core/triage.js';
import type { Classification } from '../core/types.js';
import type { LocalClassifier } from './local-classifier.js';

const FALLBACK_CODE = '16';

/**
 * The embedded default: the local model picks the level-1 category, keyword rules the 诉求类型 and urgency.
 * The model's label names map onto the deployment's taxonomy by name; an unknown name lands in 其他.
 */
export function localClassifier(model: LocalClassifier, taxonomy: Taxonomy): Classifier & { classifySync(input: ClassifyInput): Classification } {
  const other = taxonomy.byName.get('其他') ?? taxonomy.byCode.get(FALLBACK_CODE) ?? taxonomy.categories[0]!;
  const toCategory = (label: string) => taxonomy.byName.get(label) ?? other;
  const classifySync = (input: ClassifyInput): Classification => {
    const p = model.classify(input.text);
    const cat = toCategory(p.label);
    const alternatives = p.alternatives.map((a) => {
      const c = toCategory(a.label);
      return { code: c.code, name: c.name, probability: a.probability };
    });
    return {
      categoryCode: cat.code,
      categoryName: cat.name,
      appealType: guessAppealType(input.text),
      urgency: guessUrgency(input.text),
      summary: summarize(input.masked),
      confidence: p.confidence,
      alternatives,
      source: 'local',
      rationale: `本地模型：${cat.name} ${(p.confidence * 100).toFixed(0)}%${alternatives[0] ? `，其次 ${alternatives[0].name} ${(alternatives[0].probability * 100).toFixed(0)}%` : ''}`,
    };
  };
  return { classify: async (input) => classifySync(input), classifySync };
}
