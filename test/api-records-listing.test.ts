import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/runtime.js';

/**
 * GET /api/records answers several statuses, or a category with its children, by merging one ordered walk
 * per value (src/store/record-listing.ts). Paging through any filter must give exactly the matching records,
 * newest first, ties on the same millisecond broken by id, each once.
 */
const T0 = Date.parse('2026-05-04T09:00:00+08:00');
const STATUSES = ['registered', 'assigned', 'in_progress', 'resolved', 'visited', 'duplicate'];
const CATEGORIES = [['01.01', '城市建设和市政管理'], ['01.02', '市容环卫和城管执法'], ['03.01', '教育'], ['01', '城乡建设']];

interface Row { id: string; code: string; status: string; category: string; town: string; createdAt: number }

describe('GET /api/records paging', () => {
  let s: TestServer;
  const rows: Row[] = [];

  beforeAll(async () => {
    s = await startTestServer({ clock: { now: () => T0 + 86_400_000 } });
    const towns = s.deps.district.towns.slice(0, 2).map((t) => t.code);
    const insert = s.runtime.sqlite.sqlite.prepare(`INSERT INTO records (id, code, status, category_code, category_name, category_source,
      appeal_type, town_code, summary, text, text_masked, fingerprint, urgency, confidence, rationale, filed_by, source_platform,
      source_chat_id, reply_target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'local', '投诉', ?, '摘要', '正文', '正文', '1', 'normal',
      0.9, '', 'http:m1', 'http', 'http:m1', '{}', ?, ?)`);
    for (let i = 0; i < 60; i++) {
      // Every third record shares its millisecond with the previous one: the cursor must split such ties.
      const createdAt = T0 + Math.floor(i / 3) * 1000 + (i % 3 === 2 ? 0 : i % 3);
      const [category, name] = CATEGORIES[(i * 7) % CATEGORIES.length]!;
      const row = { id: `rec_${String((i * 37) % 60).padStart(3, '0')}`, code: `JM-2026-${String(i + 1).padStart(4, '0')}`, status: STATUSES[(i * 5) % STATUSES.length]!, category: category!, town: towns[i % 2]!, createdAt };
      insert.run(row.id, row.code, row.status, row.category, name, row.town, createdAt, createdAt);
      rows.push(row);
    }
  });
  afterAll(async () => {
    await s.close();
  });

  async function pageThrough(query: string, limit: number): Promise<string[]> {
    const codes: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 100; n++) {
      const res = await s.api(`/api/records?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { records: Array<{ code: string }>; nextCursor: string | null };
      codes.push(...page.records.map((r) => r.code));
      cursor = page.nextCursor;
      if (!cursor) return codes;
    }
    throw new Error('paging did not end');
  }

  const expected = (keep: (r: Row) => boolean) => rows.filter(keep)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((r) => r.code);

  it('pages through several statuses at once, newest first, each record once', async () => {
    for (const limit of [1, 4, 7]) {
      expect(await pageThrough('status=registered,assigned,duplicate', limit)).toEqual(expected((r) => ['registered', 'assigned', 'duplicate'].includes(r.status)));
    }
  });

  it('a level-1 category includes its children, and combines with status and town', async () => {
    expect(await pageThrough('category=01', 5)).toEqual(expected((r) => r.category.startsWith('01')));
    expect(await pageThrough('category=01.02', 5)).toEqual(expected((r) => r.category === '01.02'));
    const town = s.deps.district.towns[1]!;
    expect(await pageThrough(`category=01&status=resolved,visited&town=${encodeURIComponent(town.name)}`, 2))
      .toEqual(expected((r) => r.category.startsWith('01') && ['resolved', 'visited'].includes(r.status) && r.town === town.code));
  });

  it('no filter and a date window page the same way', async () => {
    expect(await pageThrough('', 9)).toEqual(expected(() => true));
    expect(await pageThrough(`since=${T0 + 5000}&until=${T0 + 12_000}&status=visited,registered`, 2))
      .toEqual(expected((r) => r.createdAt >= T0 + 5000 && r.createdAt < T0 + 12_000 && ['visited', 'registered'].includes(r.status)));
  });
});

/**
 * since/until are Asia/Shanghai whatever the server's zone; the rule is in src/http/query-time.ts. Unknown
 * parameters and values are refused by name, never read as "no filter".
 */
describe('GET /api/records: times in Asia/Shanghai, and strict parameters', () => {
  let s: TestServer;
  const at = (iso: string) => Date.parse(iso);
  // Around the Shanghai day 2026-11-27, which in UTC runs from 11-26 16:00 to 11-27 16:00.
  const TIMES = {
    'JM-2026-0101': at('2026-11-26T23:30:00+08:00'),
    'JM-2026-0102': at('2026-11-27T00:30:00+08:00'),
    'JM-2026-0103': at('2026-11-27T09:00:00+08:00'),
    'JM-2026-0104': at('2026-11-27T23:59:00+08:00'),
    'JM-2026-0105': at('2026-11-28T00:00:00+08:00'),
  };

  beforeAll(async () => {
    s = await startTestServer({ clock: { now: () => at('2026-11-29T09:00:00+08:00') } });
    const insert = s.runtime.sqlite.sqlite.prepare(`INSERT INTO records (id, code, status, category_code, category_name, category_source,
      appeal_type, town_code, summary, text, text_masked, fingerprint, urgency, confidence, rationale, filed_by, source_platform,
      source_chat_id, reply_target, created_at, updated_at) VALUES (?, ?, 'registered', '01', '城乡建设', 'local', '投诉', NULL, '摘要', '正文',
      '正文', '1', 'normal', 0.9, '', 'http:m1', 'http', 'http:m1', '{}', ?, ?)`);
    for (const [code, t] of Object.entries(TIMES)) insert.run(`rec_${code}`, code, t, t);
  });
  afterAll(async () => {
    await s.close();
  });

  const codes = async (query: string) => {
    const res = await s.api(`/api/records?${query}`);
    expect(res.status, `${query}: ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
    return ((await res.json()) as { records: Array<{ code: string }> }).records.map((r) => r.code).sort();
  };
  const refused = async (query: string, named: string) => {
    const res = await s.api(`/api/records?${query}`);
    expect(res.status, query).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(named);
  };

  it('a date-only since starts at 00:00 Shanghai, a date-only until includes that whole day', async () => {
    expect(await codes('since=2026-11-27&until=2026-11-27')).toEqual(['JM-2026-0102', 'JM-2026-0103', 'JM-2026-0104']);
    expect(await codes('until=2026-11-26')).toEqual(['JM-2026-0101']);
    expect(await codes('since=2026-11-28')).toEqual(['JM-2026-0105']);
  });

  it('a date-time without offset is Shanghai local time; offsets and epoch ms mean what they say', async () => {
    expect(await codes('since=2026-11-27T09:00&until=2026-11-27T23:59')).toEqual(['JM-2026-0103']);
    expect(await codes('since=2026-11-27%2009:00:00')).toEqual(['JM-2026-0103', 'JM-2026-0104', 'JM-2026-0105']);
    expect(await codes('since=2026-11-27T01:00:00Z')).toEqual(['JM-2026-0103', 'JM-2026-0104', 'JM-2026-0105']);
    expect(await codes('since=2026-11-27T09:00%2B08:00&until=2026-11-27T10:59:59.999-05:00')).toEqual(['JM-2026-0103', 'JM-2026-0104']);
    expect(await codes(`since=${TIMES['JM-2026-0103']}&until=${TIMES['JM-2026-0104']}`)).toEqual(['JM-2026-0103']);
  });

  it('refuses impossible dates and anything that is not ISO or epoch ms, saying which value', async () => {
    await refused('since=2026-02-30', '2026-02-30');
    await refused('since=Nov%2027', 'Nov 27');
    await refused('until=2026-11-27T24:00', '2026-11-27T24:00');
    await refused('since=27/11/2026', '27/11/2026');
    // "+08:00" not written as %2B arrives as a space.
    await refused('since=2026-11-27T09:00+08:00', '%2B');
  });

  it('refuses an unknown parameter, status or category by name; unknown values never widen the filter', async () => {
    await refused('stauts=resolved', 'stauts');
    await refused('foo=bar&status=registered', 'foo');
    await refused('category=99', '99');
    await refused('status=registered,bogus', 'bogus');
    await expect(s.deps.store.listRecords({ status: ['bogus'], limit: 5 })).rejects.toThrow(/bogus/);
    expect(await codes('category=01&status=registered')).toHaveLength(5);
  });

  it('refuses a repeated parameter rather than reading only its first value, and says how to give several', async () => {
    const message = async (query: string) => {
      const res = await s.api(`/api/records?${query}`);
      expect(res.status, query).toBe(400);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    expect(await message('status=resolved&status=registered')).toEqual({
      code: 'bad_request', message: 'status is given 2 times; give it once, several values as a comma list (status=resolved,registered)',
    });
    expect((await message('town=灌口镇&town=后溪镇&limit=5')).message).toBe('town is given 2 times; give it once');
    expect((await message('since=2026-11-27&since=2026-11-28')).message).toBe('since is given 2 times; give it once');
    // The export reads its filters the same way.
    const exported = await s.api('/api/export.xlsx?status=resolved&status=registered');
    expect(exported.status).toBe(400);
    expect(((await exported.json()) as { error: { message: string } }).error.message).toContain('status is given 2 times');
  });

  it('says what limit takes in the words of the other refusals', async () => {
    for (const [limit, shown] of [['abc', 'abc'], ['0', '0'], ['501', '501'], ['2.5', '2.5'], ['', '']]) {
      const res = await s.api(`/api/records?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`limit: 「${shown}」 is not a whole number from 1 to 500`);
    }
    expect(await codes('limit=500')).toHaveLength(5);
  });

  it('finds a record by its code in any case and without the leading zeros, as chat does', async () => {
    for (const code of ['jm-2026-0103', 'Jm-2026-103', 'JM-2026-0103']) {
      const res = await s.api(`/api/records/${code}`);
      expect(res.status, code).toBe(200);
      expect(((await res.json()) as { record: { code: string } }).record.code).toBe('JM-2026-0103');
    }
    const missing = await s.api('/api/records/jm-2026-0999');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
