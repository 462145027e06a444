/**
 * Bulk seeding for the query bench: records as intake and the staff would have left them after ~3 years,
 * written with raw prepared INSERTs (the real write path files ~2,000/s; a million that way takes too long).
 */
import type Database from 'better-sqlite3';
import { dueDays, endOfLocalDay } from '../../src/core/due-dates.js';
import { counterName, formatRecordCode } from '../../src/core/record-code.js';
import { fingerprint } from '../../src/core/similarity.js';
import type { Urgency } from '../../src/core/types.js';

const DAY = 86_400_000;
const YEARS = 3;
const CHUNK = 20_000;

export interface SeedPerson { id: string; name: string; role: 'member' | 'staff' | 'admin'; townCode: string | null; ext: string }

export interface SeedInput {
  sqlite: Database.Database;
  records: number;
  now: number;
  prefix: string;
  /** Town codes in district order; the first six are the populous 镇街, the rest farms. */
  towns: string[];
  categories: Array<{ code: string; name: string; departments: string[] }>;
  texts: string[];
  members: SeedPerson[];
  staff: SeedPerson[];
}

export interface SeedResult { codes: string[]; open: number; seconds: number }

/** Deterministic, so before/after runs see the same data. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function picker<T>(items: readonly T[], weights: readonly number[], rnd: () => number): () => T {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum = weights.map(((s) => (w: number) => (s += w / total))(0));
  return () => {
    const x = rnd();
    const i = cum.findIndex((c) => x < c);
    return items[i === -1 ? items.length - 1 : i]!;
  };
}

type Age = 'fresh' | 'week' | 'month' | 'old';
/** Status mix by age: new records wait for 研判, most of the past is closed, a tail stays open for months. */
const STATUS_MIX: Record<Age, Array<[string, number]>> = {
  fresh: [['registered', 55], ['awaiting_info', 8], ['assigned', 25], ['duplicate', 7], ['rejected', 5]],
  week: [['registered', 8], ['assigned', 40], ['in_progress', 25], ['in_consultation', 2], ['resolved', 15], ['duplicate', 6], ['rejected', 4]],
  month: [['assigned', 8], ['in_progress', 10], ['in_consultation', 1], ['resolved', 45], ['unresolved', 5], ['visited', 20], ['reopened', 1], ['duplicate', 6], ['rejected', 4]],
  old: [['visited', 72], ['resolved', 10], ['unresolved', 4], ['duplicate', 6], ['rejected', 4], ['in_progress', 0.3], ['assigned', 0.2], ['reopened', 0.1], ['registered', 0.05]],
};
const OPEN = new Set(['registered', 'awaiting_info', 'assigned', 'in_progress', 'in_consultation', 'reopened']);
const TOWN_WEIGHTS = [18, 14, 22, 16, 14, 10, 2, 1.5, 1, 0.5];

export function seedRecords(s: SeedInput): SeedResult {
  const t0 = performance.now();
  const rnd = mulberry32(20260715);
  const statusOf = Object.fromEntries(Object.entries(STATUS_MIX).map(([k, mix]) => [k, picker(mix.map((m) => m[0]), mix.map((m) => m[1]), rnd)])) as Record<Age, () => string>;
  const town = picker(s.towns, s.towns.map((_, i) => TOWN_WEIGHTS[i] ?? 1), rnd);
  // A few categories carry most items (路灯, 垃圾, 噪音 …): a Zipf-like spread over the 76 level-2 codes.
  const category = picker(s.categories, s.categories.map((_, i) => 1 / (i + 1) ** 0.8), rnd);
  const urgency = picker<Urgency>(['urgent', 'normal', 'low'], [10, 80, 10], rnd);
  const pool = s.texts.map((x) => {
    const text = x.slice(0, 400);
    return { text, summary: text.replace(/\s+/g, ' ').slice(0, 40), fp: fingerprint(text) };
  });
  const ins = {
    record: s.sqlite.prepare(`INSERT INTO records (id, code, status, category_code, category_name, category_source, appeal_type, town_code,
      town_assumed, place, place_evidence, summary, text, text_masked, fingerprint, urgency, confidence, alternatives, rationale,
      affected_count, department, due_at, filed_by, filed_by_name, source_platform, source_chat_id, source_message_id, reply_target,
      created_at, updated_at, closed_at) VALUES (?, ?, ?, ?, ?, 'local', ?, ?, 0, NULL, '[]', ?, ?, ?, ?, ?, 0.93, '[]', '本地分类', ?, ?, ?, ?, ?,
      'feishu', ?, ?, ?, ?, ?, ?)`),
    event: s.sqlite.prepare('INSERT INTO record_events (id, record_id, at, actor_id, actor_name, type, from_value, to_value, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    source: s.sqlite.prepare(`INSERT INTO record_sources (id, record_id, inbound_message_id, item_index, sender_id, sender_name, excerpt,
      excerpt_masked, at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)`),
    counter: s.sqlite.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
  };
  const start = s.now - YEARS * 365 * DAY;
  const step = (s.now - start) / s.records;
  const seqByYear = new Map<number, number>();
  const codes: string[] = [];
  let open = 0;
  let evn = 0;
  const writeChunk = s.sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const created = Math.floor(start + i * step + rnd() * step);
      const ageDays = (s.now - created) / DAY;
      const status = statusOf[ageDays < 3 ? 'fresh' : ageDays < 15 ? 'week' : ageDays < 60 ? 'month' : 'old']();
      const year = new Date(created + 8 * 3600_000).getUTCFullYear();
      const seq = (seqByYear.get(year) ?? 0) + 1;
      seqByYear.set(year, seq);
      const code = formatRecordCode(s.prefix, year, seq);
      codes.push(code);
      const id = `rec_${created.toString(36)}${i.toString(36).padStart(7, '0')}`;
      const cat = category();
      const tw = status === 'awaiting_info' ? null : town();
      const u = urgency();
      const member = s.members[i % s.members.length]!;
      const staff = s.staff[i % s.staff.length]!;
      const p = pool[i % pool.length]!;
      const isOpen = OPEN.has(status);
      if (isOpen) open++;
      const late = (days: number) => Math.min(s.now - 1, created + Math.floor(days * DAY));
      const closedAt = isOpen ? null : status === 'duplicate' || status === 'rejected' ? late(rnd() * 2) : late(2 + rnd() * 25);
      const handled = !['registered', 'awaiting_info', 'duplicate', 'rejected'].includes(status);
      const dueAt = status === 'reopened' ? endOfLocalDay(late(40), 15) : endOfLocalDay(created, dueDays(u, cat.code));
      const dept = handled ? (cat.departments[0] ?? '属地镇街') : null;
      ins.record.run(id, code, status, cat.code, cat.name, ['咨询', '求助', '投诉', '建议'][i % 4], tw, p.summary, p.text, p.text, p.fp, u,
        i % 10 === 0 ? 2 + (i % 3) : 1, dept, dueAt, member.ext, member.name, `oc_chat_${member.id}`, `om_${i}`,
        JSON.stringify({ platform: 'feishu', chatId: `oc_chat_${member.id}`, chatType: 'p2p', messageId: `om_${i}` }), created,
        closedAt ?? late(handled ? 1 : 0), closedAt);
      ins.source.run(`src_${String(i).padStart(8, '0')}`, id, `in_${String(i).padStart(8, '0')}`, member.ext, member.name, p.text, p.text, created);
      const initial = status === 'awaiting_info' ? 'awaiting_info' : 'registered';
      const ev = (at: number, type: string, from: string | null, to: string | null, note: string | null, who: SeedPerson) =>
        ins.event.run(`evt_${String(evn++).padStart(8, '0')}`, id, at, who.ext, who.name, type, from, to, note);
      ev(created, 'created', null, initial, '本地分类', member);
      if (status === 'duplicate' || status === 'rejected') ev(closedAt!, 'status', initial, status, status === 'rejected' ? '不属于受理范围' : null, staff);
      else if (handled) {
        ev(late(1), 'status', 'registered', 'assigned', `交办${dept}`, staff);
        if (closedAt !== null) ev(closedAt, 'status', 'assigned', status === 'unresolved' ? 'unresolved' : 'resolved', '已处理', staff);
        if (status === 'visited' || status === 'reopened') ev(Math.min(s.now - 1, closedAt ?? late(30)), 'visit', 'resolved', 'visited', '回访：满意', staff);
        if (status === 'reopened') ev(late(40), 'status', 'visited', 'reopened', '回访不满意，发回重办', staff);
      }
    }
  });
  for (let i = 0; i < s.records; i += CHUNK) writeChunk(i, Math.min(s.records, i + CHUNK));
  for (const [year, seq] of seqByYear) ins.counter.run(counterName(s.prefix, year), seq);
  return { codes, open, seconds: (performance.now() - t0) / 1000 };
}

/** A few 微协商 per town, some scheduled in the bench's week, so 本周待办 has its consultations section. */
export function seedConsultations(sqlite: Database.Database, towns: string[], now: number): void {
  const ins = sqlite.prepare(`INSERT INTO consultations (id, code, town_code, type, party, topic, status, proposed_by, scheduled_at, agenda,
    record_ids, attendees, created_at, updated_at) VALUES (?, ?, ?, 'bridge', NULL, ?, ?, 'system', ?, '{}', '[]', '[]', ?, ?)`);
  sqlite.transaction(() => {
    let n = 0;
    for (const town of towns) {
      for (let k = 0; k < 20; k++) {
        const status = k < 2 ? 'scheduled' : k < 4 ? 'proposed' : k < 6 ? 'held' : 'closed';
        const at = now - (k - 1) * 7 * DAY;
        ins.run(`con_${n}`, `XS-2026-${String(++n).padStart(4, '0')}`, town, `议题 ${n}`, status, status === 'proposed' ? null : at, at - 10 * DAY, at);
      }
    }
  })();
}
