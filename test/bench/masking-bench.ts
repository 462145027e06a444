/**
 * Masking throughput on one core over real messages: every message is masked once at intake and every text
 * again as it leaves, so this sits on the intake path. `npm run bench` calls benchMasking; run this file
 * directly (`tsx test/bench/masking-bench.ts`) for masking alone.
 */
import { pathToFileURL } from 'node:url';
import { maskPersonalData } from '../../src/core/masking.js';
import { sampleTexts } from './sample-texts.js';

/** Warm-up pass first, as for the classifier: JIT-compiled speed, not start-up. */
export function benchMasking(texts: string[]): { perSecond: number; n: number } {
  for (const text of texts.slice(0, 1_000)) maskPersonalData(text, { houseNumbers: true });
  let sink = 0;
  const start = performance.now();
  for (const text of texts) sink += maskPersonalData(text, { houseNumbers: true }).text.length;
  const seconds = (performance.now() - start) / 1000;
  if (sink === 0) throw new Error('masking returned only empty texts');
  return { perSecond: texts.length / seconds, n: texts.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { texts, source } = sampleTexts(10_000);
  const { perSecond, n } = benchMasking(texts);
  console.log(`masking: ${Math.round(perSecond).toLocaleString('en-US')} messages/s (n=${n}, ${source})`);
}
