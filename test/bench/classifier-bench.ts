/**
 * Local classifier throughput on one core. `npm run bench` calls benchClassifier; run this file directly
 * (`tsx test/bench/classifier-bench.ts`) for the classifier alone.
 */
import { pathToFileURL } from 'node:url';
import { loadDefaultLocalClassifier } from '../../src/classify/load-local-model.js';
import { sampleTexts } from './sample-texts.js';

/** Warm-up pass first so the figure is JIT-compiled speed, not start-up. */
export async function benchClassifier(texts: string[]): Promise<{ perSecond: number; n: number }> {
  const classifier = loadDefaultLocalClassifier();
  const warmup = Math.min(texts.length, 1_000);
  for (let i = 0; i < warmup; i++) classifier.classify(texts[i]!);
  let sink = 0;
  const start = performance.now();
  for (const text of texts) sink += classifier.classify(text).confidence;
  const seconds = (performance.now() - start) / 1000;
  if (Number.isNaN(sink)) throw new Error('classifier returned NaN confidence');
  return { perSecond: texts.length / seconds, n: texts.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { texts, source } = sampleTexts(10_000);
  const chars = texts.reduce((s, t) => s + t.length, 0) / texts.length;
  const { perSecond, n } = await benchClassifier(texts);
  console.log(`local classifier: ${Math.round(perSecond).toLocaleString('en-US')} classifications/s (n=${n}, ${source}, mean ${chars.toFixed(0)} chars)`);
}
