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
