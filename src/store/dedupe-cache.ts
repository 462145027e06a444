import type { DedupeCandidate, DedupeCandidates } from '../core/ports.js';
import { decodeFingerprint, SketchTable } from '../core/similarity.js';

const decoded = (c: DedupeCandidate): DedupeCandidate => ({ ...c, decoded: decodeFingerprint(c.fingerprint) });

interface TownEntry {
  limit: number;
  /** Newest first; row i of `sketches` is `list[i]`'s. */
  list: DedupeCandidate[];
  sketches: SketchTable;
}

/** Kept in step by triggers (db/migrations/0001_record-generation.sql). */
export const GENERATION_COUNTER = 'records:generation';

/**
 * Each town's most recent open records, as dedupe compares them, kept in memory with their decoded
 * fingerprints. Why: reading and decoding a few hundred candidate rows per message was the largest cost of
 * filing. The database stays the truth: every lookup first reads a generation number that triggers move on
 * any record insert, delete, or change of status or town, from any connection; when it moved by more than
 * this store's own writes, the lists are dropped and reloaded.
 */
export class DedupeCache {
  private generation: number | null = null;
  private readonly towns = new Map<string, TownEntry>();

  /** The cached list when it is still current, else null (the caller loads and `put`s). */
  get(townCode: string, since: number, limit: number, generation: number): DedupeCandidates | null {
    if (generation !== this.generation) {
      this.towns.clear();
      this.generation = generation;
      return null;
    }
    const entry = this.towns.get(townCode);
    if (!entry || entry.limit !== limit) return null;
    // Newest first (see `filed`), so the window is a prefix and the sketch rows still line up with it.
    // When the oldest is inside the window, all are, and nothing is read or copied.
    const { list, sketches } = entry;
    const oldest = list[list.length - 1];
    if (!oldest || oldest.createdAt >= since) return { list, sketches };
    return { list: list.slice(0, list.findIndex((c) => c.createdAt < since)), sketches };
  }

  /** `list` newest first, as the store reads it. */
  put(townCode: string, limit: number, list: DedupeCandidate[], generation: number): DedupeCandidates {
    if (generation !== this.generation) this.towns.clear();
    this.generation = generation;
    const entry: TownEntry = { limit, list: list.slice(0, limit).map(decoded), sketches: new SketchTable(limit) };
    for (const c of entry.list) entry.sketches.push(c.decoded!);
    this.towns.set(townCode, entry);
    return { list: entry.list, sketches: entry.sketches };
  }

  /**
   * After this store filed a record, whose insert moved the generation by exactly one: the new record joins
   * its town's list and the count here moves by one. No read is needed to know whether another writer
   * changed records too: the generation only grows, so the next lookup's own read then differs from this
   * count and everything is reloaded.
   */
  filed(townCode: string | null, candidate: DedupeCandidate | null): void {
    if (this.generation === null) {
      this.towns.clear();
      return;
    }
    this.generation += 1;
    const entry = townCode ? this.towns.get(townCode) : undefined;
    if (!entry || !candidate) return;
    // The list stays newest first; a clock that stepped back leaves this town to be reloaded in order.
    if (entry.list.length > 0 && candidate.createdAt < entry.list[0]!.createdAt) {
      this.towns.delete(townCode!);
      return;
    }
    const added = decoded(candidate);
    entry.list.unshift(added);
    if (entry.list.length > entry.limit) entry.list.length = entry.limit;
    entry.sketches.unshift(added.decoded!);
  }

  /** A "+1" (or a report split off) changes no status, so no generation: the count is changed here. */
  addToCount(recordId: string, delta: number): void {
    for (const { list } of this.towns.values()) {
      const c = list.find((x) => x.id === recordId);
      if (c) c.affectedCount = Math.max(1, c.affectedCount + delta);
    }
  }
}
