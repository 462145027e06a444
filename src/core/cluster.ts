/**
 * The 微协商 trigger: three or more reports of one problem in one 镇街 within 30 days.
 *
 * "Same problem" is looser than dedupe, on purpose. Records that exist side by side were already judged
 * below the dedupe threshold (0.3) when filed, so the cluster rule must look further down. The dedupe
 * measurement (test/bench/measure-dedupe.ts) found hand-written paraphrases of one problem at 0.25–0.65 and
 * same-topic, different-problem pairs at 0.08–0.25, with the 0.2–0.3 band "mostly same topic". So two
 * records are the same problem when
 *   - their text similarity is ≥ 0.2 AND they share the level-1 category (the category check removes the
 *     cross-topic template posts that dominate that band), or
 *   - they share the category code AND name the same place (路灯 at 幸福里 twice, however worded).
 * The count is in reports (反映人次), not rows: dedupe folds a repeat report into the first record's
 * affected count, so one record reported by three residents is as much a cluster as three records.
 * Clusters are stars around a seed rather than chains, so A~B and B~C never drags unrelated A and C together.
 */
import { similarity } from './similarity.js';

export const CLUSTER_MIN_REPORTS = 3;
export const CLUSTER_WINDOW_DAYS = 30;
export const CLUSTER_SIMILARITY = 0.2;

export interface ClusterRecord {
  id: string;
  code: string;
  townCode: string;
  categoryCode: string;
  place: string | null;
  fingerprint: string;
  affectedCount: number;
  createdAt: number;
  summary: string;
}

export interface Cluster {
  /** Stable for the cluster's seed: the oldest record, so re-evaluating proposes nothing new. */
  key: string;
  townCode: string;
  records: ClusterRecord[];
  reports: number;
}

const level1 = (code: string): string => code.split('.')[0] ?? code;

export function sameProblem(a: ClusterRecord, b: ClusterRecord, threshold = CLUSTER_SIMILARITY): boolean {
  if (a.townCode !== b.townCode) return false;
  if (a.categoryCode === b.categoryCode && a.place !== null && a.place !== '' && a.place === b.place) return true;
  return level1(a.categoryCode) === level1(b.categoryCode) && similarity(a.fingerprint, b.fingerprint) >= threshold;
}

function reports(rs: ClusterRecord[]): number {
  return rs.reduce((n, r) => n + Math.max(1, r.affectedCount), 0);
}

/**
 * Clusters that reach the threshold. `records` are one town's open, not-yet-linked records of the window.
 * With `seedId` only the cluster around that record is considered (the check after a filing).
 */
export function findClusters(records: ClusterRecord[], opts: { minReports?: number; threshold?: number; seedId?: string } = {}): Cluster[] {
  const min = opts.minReports ?? CLUSTER_MIN_REPORTS;
  const left = [...records].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const seeds = opts.seedId ? left.filter((r) => r.id === opts.seedId) : left;
  const out: Cluster[] = [];
  const used = new Set<string>();
  for (const seed of seeds) {
    if (used.has(seed.id)) continue;
    const members = left.filter((r) => !used.has(r.id) && (r.id === seed.id || sameProblem(seed, r, opts.threshold)));
    if (reports(members) < min) continue;
    for (const m of members) used.add(m.id);
    out.push({ key: members[0]!.id, townCode: seed.townCode, records: members, reports: reports(members) });
  }
  return out;
}
