import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { findRawTwins, nearDuplicateGroups, type Row, splitByGroup } from './dataset.js';

const RawMessage = z.object({ title: z.string().default(''), body: z.string().default('') });

/** The unlabelled raw messages (title + body), one per JSON line. */
export function readRawTexts(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const m = RawMessage.parse(JSON.parse(line));
      return `${m.title}\n${m.body}`;
    });
}

export interface HonestSplit {
  labels: string[];
  /** Near-duplicate group of each row: a group is never split between train and held-out. */
  groups: Int32Array;
  heldOut: boolean[];
  /** Raw messages that are the same complaint as a labelled row; their rows are always held out. */
  twins: { text: string; row: number }[];
  rawTexts: string[];
  trainRows: Row[];
  testRows: { row: Row; index: number }[];
}

/**
 * The training script's held-out split, shared by everything that reports or tunes against it
 * (train-classifier.ts, tune.ts, test/bench/measure-threshold.ts): held out by near-duplicate group, and
 * every row with a raw twin held out too, so no score is earned on a message the model saw in other words.
 */
export function honestSplit(rows: readonly Row[], o: { heldOutShare: number; seed: number; rawPath?: string }): HonestSplit {
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const groups = nearDuplicateGroups(rows.map((r) => r.text));
  const heldOut = splitByGroup(rows.map((r) => r.label), groups, o.heldOutShare, o.seed);
  const rawTexts = o.rawPath && existsSync(o.rawPath) ? readRawTexts(o.rawPath) : [];
  const twins = findRawTwins(rows.map((r) => r.text), rawTexts).map(([raw, row]) => ({ text: rawTexts[raw]!, row }));
  const twinGroups = new Set(twins.map((t) => groups[t.row]));
  rows.forEach((_, i) => {
    if (twinGroups.has(groups[i]!)) heldOut[i] = true;
  });
  return {
    labels, groups, heldOut, twins, rawTexts,
    trainRows: rows.filter((_, i) => !heldOut[i]),
    testRows: rows.flatMap((row, i) => (heldOut[i] ? [{ row, index: i }] : [])),
  };
}
