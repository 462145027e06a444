/** Node-side loader of the committed model (Workers import the JSON instead: see runtime/worker-assets.ts). */
import { readFileSync } from 'node:fs';
import { createLocalClassifier, type LocalClassifier } from './local-classifier.js';

const MODEL_URL = new URL('./model/local-model.json', import.meta.url);

let cached: LocalClassifier | undefined;

/** Parses the ~6 MB model once per process; later calls return the same classifier. */
export function loadDefaultLocalClassifier(): LocalClassifier {
  cached ??= createLocalClassifier(JSON.parse(readFileSync(MODEL_URL, 'utf8')) as unknown);
  return cached;
}
