import type { DedupeCandidate, DedupeCandidates } from './ports.js';
import { decodeFingerprint, type Fingerprint, similarityDecoded, sketchMask } from './similarity.js';

export interface ScoredCandidate {
  candidate: DedupeCandidate;
  score: number;
}

export interface DedupeResult {
  /** The open record this item repeats, when one is similar enough. */
  match: ScoredCandidate | null;
  /** Related but distinct records, shown as a hint on the receipt. */
  similar: ScoredCandidate[];
  /** Reports (affected counts) in every related record: the 微协商 rule only needs checking when this is high. */
  relatedReports: number;
}

/** Share of the dedupe threshold above which a record counts as related (hint, cluster check). */
const RELATED_SHARE = 0.6;

/**
 * Compares one item with the open records of its town. Hundreds of candidates per message make decoding
 * and merging the cost, so a store may hand them over already decoded, with a table of masks that rules
 * most out early.
 */
export function findDuplicate(fp: Fingerprint, { list, sketches }: DedupeCandidates, threshold: number): DedupeResult {
  const query = decodeFingerprint(fp);
  const queryMask = sketches && sketchMask(query);
  const related = threshold * RELATED_SHARE;
  const scored: ScoredCandidate[] = [];
  for (let i = 0; i < list.length; i++) {
    if (queryMask && sketches!.bound(i, query.length, queryMask) < related) continue;
    const candidate = list[i]!;
    const score = similarityDecoded(query, candidate.decoded ?? decodeFingerprint(candidate.fingerprint));
    if (score >= related) scored.push({ candidate, score });
  }
  scored.sort((a, b) => b.score - a.score);
  const relatedReports = scored.reduce((n, s) => n + s.candidate.affectedCount, 0);
  const best = scored[0];
  if (best && best.score >= threshold) return { match: best, similar: [], relatedReports };
  return { match: null, similar: scored.slice(0, 2), relatedReports };
}
