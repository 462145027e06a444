import type { ChatMessage } from '../src/llm/client.js';
import { type CategoryRef, classifySystem, EXAMPLES, exampleItems, hintLines, type TownRef } from './classify.js';
import { fence, type Prompt } from './prompt.js';

/** One message of a batch: what the single prompt gets, under an id the answer must name. */
export interface BatchEntry {
  id: string;
  segments: string[];
  candidates: { code: string; name: string; probability: number }[];
  gazetteer: { townCode: string | null; place: string | null; evidence: string[] };
}

export interface ClassifyBatchInput {
  categories: CategoryRef[];
  towns: TownRef[];
  entries: BatchEntry[];
}

export const ENTRY_PREFIX = '条目 id=';

const BATCH_RULES = [
  '本次有多条彼此无关的原文，每条以「条目 id=…」开头，各自有提示、各自用原文标记围起、各自从 [1] 编号。',
  '逐条独立判断（不要把不同条目的句子合在一起，也不要因为别的条目改变判断）；每个条目 id 恰好给出一个结果，id 原样照抄。',
  '只输出 JSON：{"results":[{"id":"…","items":[{"segments":[1],"category":"…","appealType":"…","town":"…或null","place":"…或null","urgency":"…","summary":"…","confidence":0.9,"rationale":"…"}]}]}',
].join('\n');

/**
 * Several queued messages classified (and split) in one call when the queue is deep: the system prompt
 * and code tables — most of a call's tokens — are paid once. Same rules as `classify`; the answer names
 * each entry by id, so results are matched by id, never by position.
 */
export const classifyBatchPrompt: Prompt<ClassifyBatchInput> = {
  id: 'classify-batch',
  version: '2026-11-27.2',
  build(input) {
    return [{ role: 'system', content: classifySystem(input, BATCH_RULES) }, ...shots(input), { role: 'user', content: entriesMessage(input.entries) }];
  },
};

function entriesMessage(entries: readonly BatchEntry[]): string {
  return entries.map(entryText).join('\n\n');
}

/** One entry as the model sees it (also what its share of the prompt tokens is measured by). */
export function entryText(e: BatchEntry): string {
  // fence() keeps each segment on one line, so resident text can never start a line with the entry marker.
  return [`${ENTRY_PREFIX}${e.id}`, ...hintLines(e), fence(e.segments.map((s, i) => `[${i + 1}] ${s}`))].join('\n');
}

/** One worked batch (the single prompt's first two examples), left out when the deployment lacks their codes. */
function shots(input: ClassifyBatchInput): ChatMessage[] {
  const cats = new Map(input.categories.map((c) => [c.name, c.code]));
  const towns = new Map(input.towns.map((t) => [t.name, t.code]));
  const chosen = EXAMPLES.slice(0, 2).map((ex, i) => ({ id: `例${i + 1}`, ex, items: exampleItems(ex, cats, towns) }));
  if (chosen.some((c) => c.items === null)) return [];
  const none = { candidates: [], gazetteer: { townCode: null, place: null, evidence: [] } };
  const user = entriesMessage(chosen.map((c) => ({ id: c.id, segments: c.ex.segments, ...none })));
  const answer = { results: chosen.map((c) => ({ id: c.id, items: c.items })) };
  return [{ role: 'user', content: user }, { role: 'assistant', content: JSON.stringify(answer) }];
}
