/**
 * Loads the labelled jsonl, removes duplicate texts and splits into train / held-out by groups of
 * near-duplicates, so the held-out score measures messages the model has really not seen.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normalizeText } from '../text-features.js';

const Row = z.object({ id: z.string(), text: z.string(), label: z.string().min(1) });
export type Row = z.infer<typeof Row>;

export function readRows(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = Row.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'bad row'}`);
      return parsed.data;
    });
}

const WHITESPACE = /\s+/g;

/**
 * One row per identical text (ignoring whitespace, which the features ignore too). A group whose labels disagree keeps its majority label, or is dropped on
 * a tie (the published set has 3 such groups; a coin flip would only teach noise).
 */
export function dedupe(rows: readonly Row[]): { rows: Row[]; conflicts: number } {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = row.text.replace(WHITESPACE, '');
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const out: Row[] = [];
  let conflicts = 0;
  for (const group of groups.values()) {
    const votes = new Map<string, number>();
    for (const row of group) votes.set(row.label, (votes.get(row.label) ?? 0) + 1);
    if (votes.size > 1) conflicts++;
    const ranked = [...votes].sort((a, b) => b[1] - a[1]);
    if (ranked.length > 1 && ranked[0]![1] === ranked[1]![1]) continue;
    out.push({ ...group[0]!, label: ranked[0]![0] });
  }
  return { rows: out, conflicts };
}

const SHINGLE = 5;
/** Shingles this common carry no evidence of copying (place names, boilerplate). */
const MAX_POSTING = 40;

function shingles(text: string): Set<string> {
  const s = normalizeText(text);
  const set = new Set<string>();
  for (let i = 0; i + SHINGLE <= s.length; i++) set.add(s.slice(i, i + SHINGLE));
  return set;
}

/** For each query, the indexed texts (and share) sharing ≥ threshold of the smaller shingle set. */
function overlaps(
  indexed: readonly Set<string>[],
  queries: readonly Set<string>[],
  threshold: number,
  sameCollection: boolean,
): [doc: number, share: number][][] {
  const postings = new Map<string, number[]>();
  indexed.forEach((set, doc) => {
    for (const g of set) {
      const list = postings.get(g);
      if (list) list.push(doc);
      else postings.set(g, [doc]);
    }
  });
  return queries.map((set, query) => {
    const overlap = new Map<number, number>();
    for (const g of set) {
      const list = postings.get(g);
      if (!list || list.length > MAX_POSTING) continue;
      for (const doc of list) overlap.set(doc, (overlap.get(doc) ?? 0) + 1);
    }
    const matches: [number, number][] = [];
    for (const [doc, shared] of overlap) {
      const smaller = Math.min(set.size, indexed[doc]!.size);
      if (sameCollection && doc === query) continue;
      if (smaller > 0 && shared / smaller >= threshold) matches.push([doc, shared / smaller]);
    }
    return matches;
  });
}

/**
 * Union-find over rows whose normalised 5-gram sets overlap by ≥ `threshold` of the smaller set:
 * the same complaint posted twice with another title, or a truncated copy.
 */
export function nearDuplicateGroups(texts: readonly string[], threshold = 0.6): Int32Array {
  const parent = Int32Array.from(texts.keys());
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const sets = texts.map(shingles);
  overlaps(sets, sets, threshold, true).forEach((matches, doc) => {
    for (const [other] of matches) parent[find(other)] = find(doc);
  });
  return Int32Array.from(texts.keys(), find);
}

/**
 * Raw messages that are the same complaint as a labelled (segmented) row: the only labelled raw text we
 * have, so the trainer holds these rows out and scores the raw side. Returns [raw index, row index].
 */
export function findRawTwins(rowTexts: readonly string[], rawTexts: readonly string[], threshold = 0.6): [number, number][] {
  const rows = rowTexts.map(shingles);
  const twins: [number, number][] = [];
  overlaps(rows, rawTexts.map(shingles), threshold, false).forEach((matches, raw) => {
    const best = matches.sort((a, b) => b[1] - a[1])[0];
    if (best) twins.push([raw, best[0]]);
  });
  return twins;
}

/** Deterministic PRNG (mulberry32) so the split is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stratified split by group: groups are shuffled within their majority label and dealt out until the
 * held-out side has `heldOutShare` of that label's rows. Returns a held-out flag per row.
 */
export function splitByGroup(labels: readonly string[], groups: Int32Array, heldOutShare: number, seed: number): boolean[] {
  const random = seededRandom(seed);
  const members = new Map<number, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  const byLabel = new Map<string, number[][]>();
  for (const rows of members.values()) {
    const label = labels[rows[0]!]!;
    const list = byLabel.get(label);
    if (list) list.push(rows);
    else byLabel.set(label, [rows]);
  }
  const heldOut = new Array<boolean>(labels.length).fill(false);
  for (const label of [...byLabel.keys()].sort()) {
    const list = byLabel.get(label)!;
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    const total = list.reduce((s, rows) => s + rows.length, 0);
    let taken = 0;
    for (const rows of list) {
      if (taken >= heldOutShare * total) break;
      for (const r of rows) heldOut[r] = true;
      taken += rows.length;
    }
  }
  return heldOut;
}

/**
 * Stratified random split of rows, ignoring near-duplicate groups: reposts of one complaint land on both
 * sides. Only for comparing with published figures, which are measured this way.
 */
export function splitRandom(labels: readonly string[], heldOutShare: number, seed: number): boolean[] {
  const random = seededRandom(seed);
  const heldOut = new Array<boolean>(labels.length).fill(false);
  for (const label of [...new Set(labels)].sort()) {
    const members = labels.flatMap((l, i) => (l === label ? [i] : []));
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    for (const i of members.slice(0, Math.round(members.length * heldOutShare))) heldOut[i] = true;
  }
  return heldOut;
}
