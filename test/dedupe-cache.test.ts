import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewRecord } from '../src/core/ports.js';
import { findDuplicate } from '../src/core/dedupe.js';
import { DEFAULT_DEDUPE_THRESHOLD, fingerprint } from '../src/core/similarity.js';
import { DedupeCache } from '../src/store/dedupe-cache.js';
import { SqlStore } from '../src/store/sql-store.js';
import { openSqlite, type SqliteHandle } from '../src/store/sqlite-driver.js';

const T0 = 1_767_225_600_000;
const TOWN = '350211001';
const NONE = { replies: [], jobs: [] };
let n = 0;

function record(text: string, over: Partial<NewRecord> = {}): NewRecord {
  n += 1;
  return {
    id: `rec_${n}`, code: `JM-2026-${String(n).padStart(4, '0')}`, counter: { name: 'record:JM:2026', value: n },
    classification: { categoryCode: '01', categoryName: '城乡建设', appealType: '投诉', urgency: 'normal', summary: text.slice(0, 10), confidence: 0.9, alternatives: [], source: 'local', rationale: 't' },
    status: 'registered', townCode: TOWN, townAssumed: false, place: null, placeEvidence: [], text, textMasked: text,
    fingerprint: fingerprint(text), dueAt: null, filedBy: 'http:u', filedByName: null, sourcePlatform: 'http', sourceChatId: 'http:c',
    sourceMessageId: null, replyTarget: { platform: 'http', chatId: 'http:c' }, ...over,
  };
}
const source = () => ({ id: `src_${++n}`, inboundMessageId: `msg_${n}`, itemIndex: 0, senderId: 'http:u', senderName: null, excerpt: 'x', excerptMasked: 'x' });
const event = () => ({ id: `evt_${++n}`, type: 'created', actorId: 'http:u', actorName: null, from: null, to: null, note: null });

/**
 * The job worker's store keeps each town's dedupe candidates in memory; another connection (the server
 * thread applying a card click, a CLI import) changes records behind its back. It must never compare a new
 * message with a closed record, and never miss an open one.
 */
describe('dedupe candidates kept in memory', () => {
  let dir: string;
  let worker: SqliteHandle;
  let other: SqliteHandle;
  let cached: SqlStore;
  let plain: SqlStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'minyi-dedupe-'));
    worker = openSqlite(join(dir, 'db.sqlite'));
    other = openSqlite(join(dir, 'db.sqlite'));
    cached = new SqlStore(worker.db, worker.atomic, new DedupeCache());
    plain = new SqlStore(other.db, other.atomic);
  });
  afterEach(() => {
    worker.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const codes = async () => (await cached.findDedupeCandidates(TOWN, T0 - 1, 300)).list.map((c) => c.code).sort();

  it('sees its own filings and "+1"s at once, with decoded fingerprints', async () => {
    const a = record('灌口镇东辉村路灯坏了三个月没人修');
    await cached.fileRecord(a, source(), event(), NONE, T0);
    expect(await codes()).toEqual([a.code]);
    const b = record('后溪镇垃圾站臭气熏天', { townCode: '350211002' });
    await cached.fileRecord(b, source(), event(), NONE, T0 + 1);
    const c = record('灌口镇菜市场门口占道经营');
    await cached.fileRecord(c, source(), event(), NONE, T0 + 2);
    await cached.addSource(a.id, source(), event(), NONE, T0 + 3);
    const { list: found } = await cached.findDedupeCandidates(TOWN, T0 - 1, 300);
    expect(found.map((x) => x.code)).toEqual([c.code, a.code]);
    expect(found.find((x) => x.id === a.id)).toMatchObject({ affectedCount: 2 });
    expect(found.every((x) => x.decoded instanceof Uint32Array && x.decoded.length > 0)).toBe(true);
  });

  it('drops a record another connection closed or moved, and picks up one it filed', async () => {
    const a = record('灌口镇东辉村路灯坏了三个月没人修');
    const b = record('灌口镇菜市场门口占道经营');
    await cached.fileRecord(a, source(), event(), NONE, T0);
    await cached.fileRecord(b, source(), event(), NONE, T0 + 1);
    expect(await codes()).toEqual([a.code, b.code]);

    await plain.changeRecord(a.id, { status: 'resolved' }, event(), NONE, T0 + 2);
    expect(await codes()).toEqual([b.code]);

    await plain.changeRecord(b.id, { townCode: '350211002' }, event(), NONE, T0 + 3);
    expect(await codes()).toEqual([]);

    const c = record('灌口镇小学门口接送车辆拥堵');
    await plain.fileRecord(c, source(), event(), NONE, T0 + 4);
    expect(await codes()).toEqual([c.code]);

    // Interleaved: the other connection files while this one files; neither record is missed.
    const d = record('灌口镇农贸市场排水沟堵塞');
    const e = record('灌口镇公交站台没有遮雨棚');
    await plain.fileRecord(d, source(), event(), NONE, T0 + 5);
    await cached.fileRecord(e, source(), event(), NONE, T0 + 6);
    expect(await codes()).toEqual([c.code, d.code, e.code].sort());

    // Closed by the other connection between this one's lookup and its next filing: gone at the next lookup.
    await plain.changeRecord(c.id, { status: 'resolved' }, event(), NONE, T0 + 7);
    const f = record('灌口镇健身器材损坏无人维修');
    await cached.fileRecord(f, source(), event(), NONE, T0 + 8);
    expect(await codes()).toEqual([d.code, e.code, f.code].sort());
  });

  it('keeps only records inside the window, also after the clock stepped back', async () => {
    const day = 86_400_000;
    const old = record('灌口镇东辉村路灯坏了三个月没人修');
    await cached.fileRecord(old, source(), event(), NONE, T0);
    const recent = record('灌口镇菜市场门口占道经营');
    await cached.fileRecord(recent, source(), event(), NONE, T0 + 40 * day);
    const since = T0 + 10 * day;
    expect((await cached.findDedupeCandidates(TOWN, since, 300)).list.map((c) => c.code)).toEqual([recent.code]);
    // Filed with an earlier time than the newest in memory: still found, and the old one still left out.
    const stepped = record('灌口镇小学门口接送车辆拥堵');
    await cached.fileRecord(stepped, source(), event(), NONE, T0 + 20 * day);
    expect((await cached.findDedupeCandidates(TOWN, since, 300)).list.map((c) => c.code)).toEqual([recent.code, stepped.code]);
  });

  it('finds the repeat of every record in memory, after its list outgrew the limit', async () => {
    const places = ['东辉村', '三社村', '田头村', '双岭村', '新村村', '顶许村', '李林村', '陈井村', '黄庄村', '铁山村'];
    const problems = ['路灯坏了三个月没人修', '垃圾站臭气熏天', '菜市场门口占道经营', '排水沟堵塞污水横流', '公交站台没有遮雨棚'];
    const texts = places.flatMap((p) => problems.map((q) => `灌口镇${p}${q}`));
    const limit = 20;
    const codesFiled: string[] = [];
    for (const [i, text] of texts.entries()) {
      const r = record(text);
      codesFiled.push(r.code);
      await cached.fileRecord(r, source(), event(), NONE, T0 + i);
    }
    const candidates = await cached.findDedupeCandidates(TOWN, T0 - 1, limit);
    expect(candidates.list).toHaveLength(limit);
    expect(candidates.sketches?.length).toBe(limit);
    // The newest `limit` records, newest first, each found again by its own text through the sketch table.
    for (const [i, text] of texts.slice(-limit).reverse().entries()) {
      const dup = findDuplicate(fingerprint(text), candidates, DEFAULT_DEDUPE_THRESHOLD);
      expect(dup.match?.candidate.code).toBe(candidates.list[i]!.code);
      expect(dup.match?.score).toBe(1);
    }
    // The oldest record fell out of the list: its text now joins a newer record of the same problem.
    expect(candidates.list.map((c) => c.code)).not.toContain(codesFiled[0]);
    expect(findDuplicate(fingerprint(texts[0]!), candidates, DEFAULT_DEDUPE_THRESHOLD).match?.candidate.code).not.toBe(codesFiled[0]);
  });
});
