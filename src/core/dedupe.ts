import type { DedupeCandidate } from './ports.js';
import { type Fingerprint, similarity } from './similarity.js';

export interface DedupeResult {
  /** The open record this item repeats, when one is similar enough. */
  match: { candidate: DedupeCandidate; score: number } | null;
  /** Related but distinct records, shown as a hint on the receipt. */
  similar: { candidate: DedupeCandidate; score: number }[];
}

export function findDuplicate(fp: Fingerprint, candidates: DedupeCandidate[], threshold: number): DedupeResult {
  const scored = candidates
    .map((candidate) => ({ candidate, score: similarity(fp, candidate.fingerprint) }))
    .filter((s) => s.score >= threshold * 0.6)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (best && best.score >= threshold) return { match: best, similar: [] };
  return { match: null, similar: scored.slice(0, 2) };
}
