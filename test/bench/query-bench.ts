/**
 * DESIGN.md target: 「本周待办」 and record queries answer with p99 ≤ 20 ms over 1,000,000 records. Builds a
 * temporary database through the real migrations and district seed, bulk-loads records (test/bench/query-seed.ts),
 * then times each read the way a user triggers it: chat commands through the command dispatch, the API
 * through the Hono app (in process, no socket). Warm cache: every query runs a few times before it is timed.
 *
 * Alone: `npx tsx test/bench/query-bench.ts [--quick] [--keep] [--reuse <db>]`: `--keep` leaves the database (for EXPLAIN
 * QUERY PLAN, or for `--reuse`, which skips seeding and times a kept database after its pending migrations ran).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dispatchCommand } from '../../src/app/command-dispatch.js';
import type { ChatContext } from '../../src/app/pending.js';
import { parseCommand } from '../../src/core/commands.js';
import { renderText } from '../../src/core/render-text.js';
import { shanghaiWeek } from '../../src/core/time.js';
import { createApp } from '../../src/http/app.js';
import { parseConfig } from '../../src/runtime/config.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { buildNodeRuntime } from '../../src/runtime/node-deps.js';
import { type SeedPerson, type SeedResult, seedConsultations, seedRecords } from './query-seed.js';
import { sampleTexts } from './sample-texts.js';

const TOKEN = 'bench-token-0123456789abcdef';
/** Wednesday 10:00 Asia/Shanghai: mid-week, so "due this week" and "overdue" both have items. */
const NOW = Date.parse('2026-07-15T10:00:00+08:00');
const WARMUP = 5;
/** A query far off the target stops after this long: its percentiles are clear well before `runs`. */
const BUDGET_MS = 15_000;
const MIN_RUNS = 5;

export interface QueryRow { name: string; p50: number; p99: number; n: number }
export interface QueryBenchResult { records: number; open: number; seedSeconds: number; rows: QueryRow[]; dbPath: string }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function time(name: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<QueryRow> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const ms: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs && (i < MIN_RUNS || performance.now() - start < BUDGET_MS); i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { name, p50: percentile(ms, 50), p99: percentile(ms, 99), n: ms.length };
}

type Runtime = Awaited<ReturnType<typeof buildNodeRuntime>>;
type Category = { code: string; name: string; departments: string[] };

function seedAll(runtime: Runtime, people: SeedPerson[], categories: Category[], records: number): SeedResult {
  const { deps } = runtime;
  const sqlite = runtime.sqlite.sqlite;
  // Seeding only: a large page cache keeps index pages in memory; the queries run with the app's own setting.
  const cacheSize = sqlite.pragma('cache_size', { simple: true });
  sqlite.pragma('cache_size = -1000000');
  const towns = deps.district.towns.map((t) => t.code);
  const seed = seedRecords({
    sqlite, records, now: NOW, prefix: deps.settings.codePrefix, towns, categories,
    texts: sampleTexts(2_000).texts, members: people.filter((p) => p.role === 'member'), staff: people.filter((p) => p.role === 'staff'),
  });
  seedConsultations(sqlite, towns, NOW);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma(`cache_size = ${Number(cacheSize)}`);
  return seed;
}

function reused(sqlite: Runtime['sqlite']['sqlite']): SeedResult {
  const codes = (sqlite.prepare('SELECT code FROM records').pluck().all() as string[]);
  const open = sqlite.prepare('SELECT count(*) FROM records WHERE closed_at IS NULL').pluck().get() as number;
  return { codes, open, seconds: 0 };
}

export async function benchQueries(opts: { records: number; runs: number; keep?: boolean; reuse?: string }): Promise<QueryBenchResult> {
  const dir = opts.reuse ? dirname(opts.reuse) : mkdtempSync(join(tmpdir(), 'minyi-qbench-'));
  const dbPath = opts.reuse ?? join(dir, 'bench.db');
  const config = parseConfig({ DATABASE_PATH: dbPath, MINYI_API_TOKEN: TOKEN, LOG_LEVEL: 'silent' });
  const runtime = await buildNodeRuntime(config, silentLogger, { worker: false, clock: { now: () => NOW } });
  try {
    const { deps } = runtime;
    const towns = deps.district.towns.map((t) => t.code);
    const people: SeedPerson[] = [];
    towns.forEach((town, ti) => {
      for (let k = 0; k < (ti < 6 ? 30 : 3); k++) people.push({ id: `p_m_${ti}_${k}`, name: `委员${ti}-${k}`, role: 'member', townCode: town, ext: `ou_m_${ti}_${k}` });
      for (let k = 0; k < 2; k++) people.push({ id: `p_s_${ti}_${k}`, name: `工作人员${ti}-${k}`, role: 'staff', townCode: town, ext: `ou_s_${ti}_${k}` });
    });
    for (let k = 0; k < 3; k++) people.push({ id: `p_d_${k}`, name: `区工作人员${k}`, role: 'staff', townCode: null, ext: `ou_d_${k}` });
    for (const p of people) {
      await deps.store.upsertPerson({ id: p.id, name: p.name, role: p.role, townCode: p.townCode, identities: [{ platform: 'feishu', externalId: p.ext }] }, NOW);
    }
    const categories = deps.taxonomy.categories.filter((c) => c.parent !== null)
      .map((c) => ({ code: c.code, name: c.name, departments: [...c.departments] }));
    const seed = opts.reuse ? reused(runtime.sqlite.sqlite) : seedAll(runtime, people, categories, opts.records);

    const ctxOf = async (ext: string): Promise<ChatContext> => {
      const person = await deps.store.findPerson('feishu', ext);
      return { actor: { id: ext, name: person?.name ?? null, person }, platform: 'feishu', chatId: `oc_p2p_${ext}` };
    };
    const command = async (ctx: ChatContext, text: string) => {
      const reply = await dispatchCommand(deps, ctx, parseCommand(text)!);
      const body = renderText(reply);
      if (body.startsWith('没有找到') || body.startsWith('暂时无法')) throw new Error(`${text}: ${body.slice(0, 80)}`);
      return body;
    };
    const app = createApp(deps, { apiToken: TOKEN, webhooks: [] });
    const get = async (path: string) => {
      const res = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<{ nextCursor?: string | null }>;
    };
    const page3 = async (query: string) => {
      let cursor: string | null | undefined = null;
      for (let p = 0; p < 2; p++) cursor = (await get(`/api/records?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).nextCursor;
      if (!cursor) throw new Error(`no third page for ${query}`);
      return `/api/records?${query}&cursor=${encodeURIComponent(cursor)}`;
    };

    const mainTowns = towns.slice(0, 6);
    const townStaff = await Promise.all(mainTowns.map((_, ti) => ctxOf(`ou_s_${ti}_0`)));
    const districtStaff = await ctxOf('ou_d_0');
    const rnd = (i: number, n: number) => (i * 2_654_435_761) % n;
    const codeAt = (i: number) => seed.codes[rnd(i + 1, seed.codes.length)]!;
    const townCodeOf = (i: number) => mainTowns[i % mainTowns.length]!;
    const townName = (i: number) => deps.district.towns.find((t) => t.code === townCodeOf(i))!.name;
    const yearAgo = NOW - 365 * 86_400_000;
    const month = `since=${new Date(yearAgo).toISOString().slice(0, 10)}&until=${new Date(yearAgo + 30 * 86_400_000).toISOString().slice(0, 10)}`;
    const rare = categories.at(-1)!.code;
    const pages = {
      none: await page3(''), town: await page3('town=杏林街道'), status: await page3('status=assigned,in_progress'),
      category: await page3('category=01'), since: await page3(month),
    };
    const week = shanghaiWeek(NOW);
    const rows: QueryRow[] = [];
    const R = opts.runs;
    rows.push(await time('本周待办 (town staff)', R, (i) => command(townStaff[i % townStaff.length]!, '本周待办')));
    rows.push(await time('本周待办 (district staff)', R, () => command(districtStaff, '本周待办')));
    rows.push(await time('查询 <code> (district staff)', R, (i) => command(districtStaff, `查询 ${codeAt(i)}`)));
    const members = await Promise.all(mainTowns.map((_, ti) => ctxOf(`ou_m_${ti}_1`)));
    rows.push(await time('我的记录 (member)', R, (i) => command(members[i % members.length]!, '我的记录')));
    rows.push(await time('周报 town (this week)', R, (i) => command(townStaff[i % townStaff.length]!, '周报')));
    rows.push(await time('周报 town (last week)', R, (i) => command(townStaff[i % townStaff.length]!, '周报 上周')));
    rows.push(await time('周报 district (this week)', R, () => command(districtStaff, '周报')));
    rows.push(await time('周报 district (last week)', R, () => command(districtStaff, '周报 上周')));
    rows.push(await time('GET /api/records/:code', R, (i) => get(`/api/records/${codeAt(i)}`)));
    rows.push(await time('GET /api/records (no filter)', R, () => get('/api/records')));
    rows.push(await time('GET /api/records?status=registered', R, () => get('/api/records?status=registered')));
    rows.push(await time('GET /api/records?status=assigned,in_progress', R, () => get('/api/records?status=assigned,in_progress')));
    rows.push(await time('GET /api/records?status=visited', R, () => get('/api/records?status=visited')));
    rows.push(await time('GET /api/records?town=…', R, (i) => get(`/api/records?town=${encodeURIComponent(townName(i))}`)));
    rows.push(await time('GET /api/records?category=01 (level 1)', R, () => get('/api/records?category=01')));
    rows.push(await time(`GET /api/records?category=${rare} (rare level 2)`, R, () => get(`/api/records?category=${rare}`)));
    rows.push(await time('GET /api/records?since&until (a month, a year ago)', R, () => get(`/api/records?${month}`)));
    rows.push(await time('GET /api/records?town&status&since', R, (i) => get(`/api/records?town=${encodeURIComponent(townName(i))}&status=registered,assigned&since=${week.start - 28 * 86_400_000}`)));
    for (const [k, path] of Object.entries(pages)) rows.push(await time(`GET /api/records page 3 (${k})`, R, () => get(path)));
    return { records: seed.codes.length, open: seed.open, seedSeconds: seed.seconds, rows, dbPath };
  } finally {
    await runtime.close();
    if (!opts.keep && !opts.reuse) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = new Set(process.argv.slice(2));
  const records = args.has('--quick') ? 100_000 : 1_000_000;
  const argv = process.argv.slice(2);
  const reuse = argv.includes('--reuse') ? argv[argv.indexOf('--reuse') + 1] : undefined;
  const r = await benchQueries({ records, runs: args.has('--quick') ? 200 : 500, keep: args.has('--keep'), ...(reuse ? { reuse } : {}) });
  process.stdout.write(`${r.records.toLocaleString('en-US')} records (${r.open.toLocaleString('en-US')} open), seeded in ${r.seedSeconds.toFixed(1)} s${args.has('--keep') ? `, kept at ${r.dbPath}` : ''}\n`);
  const w = Math.max(...r.rows.map((x) => x.name.length));
  for (const x of r.rows) process.stdout.write(`${x.name.padEnd(w)}  p50 ${x.p50.toFixed(2).padStart(7)} ms  p99 ${x.p99.toFixed(2).padStart(7)} ms  n=${String(x.n).padEnd(4)} ${x.p99 <= 20 ? '' : 'MISS'}\n`);
}
