import { tokenStats } from '../../store/token-stats.js';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { out } from './io.js';

/** `minyi stats`: records, queue backlog and LLM token use, so an office sees what the model costs. */
export async function statsCommand(config: Config): Promise<number> {
  const runtime = await buildNodeRuntime(config, jsonLogger('warn'), { worker: false });
  try {
    const t = await tokenStats(runtime.sqlite.db);
    const q = await runtime.deps.jobs.stats(Date.now());
    out(`records: ${t.records} (LLM ${t.llm}, local fallback ${t.fallback}, local ${t.records - t.llm - t.fallback})`);
    out(`LLM tokens: prompt ${t.promptTokens}, completion ${t.completionTokens}${t.llm ? `, per LLM record ${Math.round((t.promptTokens + t.completionTokens) / t.llm)}` : ''}`);
    for (const m of t.byModel) out(`  ${m.model} (prompt ${m.promptVersion ?? '-'}): ${m.records} records, ${m.promptTokens}+${m.completionTokens} tokens`);
    out(`jobs: ${q.queued} queued, ${q.running} running, ${q.dead} dead (npx minyi jobs)`);
    return 0;
  } finally {
    await runtime.close();
  }
}
