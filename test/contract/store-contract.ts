import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Effects, JobQueue, NewEvent, NewJob, NewRecord, NewSource, Store } from '../../src/core/ports.js';
import type { RecordStatus } from '../../src/core/status.js';

/** A store and its job queue over one empty database. */
export interface StoreHarness {
  store: Store;
  jobs: JobQueue;
  close?(): Promise<void>;
}

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY = 86_400_000;
const NO_EFFECTS: Effects = { replies: [], jobs: [] };
const TOWN_A = '350211001';
const TOWN_B = '350211002';

let seq = 0;
const uid = (prefix: string) => `${prefix}_${(++seq).toString(36).padStart(6, '0')}`;

function newRecord(code: number, over: Partial<NewRecord> & { category?: string } = {}): NewRecord {
  const { category = '01', ...rest } = over;
  return {
    id: uid('rec'), code: `JM-2026-${String(code).padStart(4, '0')}`, counter: { name: 'record:JM:2026', value: code },
    classification: {
      categoryCode: category, categoryName: `类别${category}`, appealType: '求助', urgency: 'normal', summary: `摘要 ${code}`,
      confidence: 0.9, alternatives: [], source: 'local', rationale: 'test',
    },
    status: 'registered', townCode: TOWN_A, townAssumed: false, place: null, placeEvidence: [],
    text: `原文 ${code} 电话13800138000`, textMasked: `原文 ${code} 电话138****8000`, fingerprint: `fp${code}`, dueAt: null,
    filedBy: 'http:u1', filedByName: '张委员', sourcePlatform: 'http', sourceChatId: 'http:c1', sourceMessageId: null,
    replyTarget: { platform: 'http', chatId: 'http:c1' }, ...rest,
  };
}

function newSource(inboundMessageId = uid('msg'), itemIndex = 0): NewSource {
  return { id: uid('src'), inboundMessageId, itemIndex, senderId: 'http:u1', senderName: '张委员', excerpt: '原文', excerptMasked: '原文' };
}

function newEvent(type: string, from: string | null = null, to: string | null = null): NewEvent {
  return { id: uid('evt'), type, actorId: 'http:u1', actorName: '张委员', from, to, note: null };
}

function newJob(over: Partial<NewJob> = {}): NewJob {
  return { id: uid('job'), type: 'test', payload: { n: 1 }, runAt: T0, ...over };
}

/**
 * One suite for every Store + JobQueue implementation (better-sqlite3 on Node, D1 on Workers): what the app
 * relies on, asserted through the ports only.
 */
export function storeContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeStore();
    });
    afterEach(async () => {
      await h.close?.();
    });

    async function file(code: number, over: Parameters<typeof newRecord>[1] = {}, at = T0 + code * 1000) {
      const rec = newRecord(code, over);
      await h.store.fileRecord(rec, newSource(), newEvent('created', null, over.status ?? 'registered'), NO_EFFECTS, at);
      const view = await h.store.getRecord(rec.id);
      if (!view) throw new Error(`record ${rec.code} not filed`);
      return view;
    }

    it('accepts the same platform message twice as one row and one job', async () => {
      const row = { platform: 'feishu' as const, key: 'om_1', chatId: 'feishu:oc_1', senderId: 'feishu:ou_1', raw: '{"a":1}', receivedAt: T0 };
      const first = await h.store.acceptInbound({ ...row, id: 'msg_a' }, newJob({ id: 'job_a', payload: { inboundId: 'msg_a' } }));
      const again = await h.store.acceptInbound({ ...row, id: 'msg_b' }, newJob({ id: 'job_b', payload: { inboundId: 'msg_b' } }));
      expect(first).toEqual({ id: 'msg_a', duplicate: false });
      expect(again).toEqual({ id: 'msg_a', duplicate: true });
      expect(await h.store.getInbound('msg_b')).toBeNull();
      expect((await h.store.getInbound('msg_a'))?.state).toBe('queued');
      const leased = await h.jobs.lease(10, 60_000, T0);
      expect(leased.map((j) => j.id)).toEqual(['job_a']);
      // The same key on another platform is another message.
      const other = await h.store.acceptInbound({ ...row, platform: 'dingtalk', id: 'msg_c' }, newJob({ id: 'job_c' }));
      expect(other.duplicate).toBe(false);
      expect(await h.store.inboundByKey('feishu', 'om_1')).toEqual({ id: 'msg_a', state: 'queued', outcome: null });
      expect((await h.store.inboundByKey('dingtalk', 'om_1'))?.id).toBe('msg_c');
      expect(await h.store.inboundByKey('feishu', 'om_2')).toBeNull();
    });

    it('files a record that can be read back by code and by id, with its source, event, reply and job', async () => {
      const effects: Effects = {
        replies: [{ id: 'rpl_1', key: 'k:receipt', inboundMessageId: 'msg_1', recordId: null, target: { platform: 'feishu', chatId: 'oc_1' }, payload: { kind: 'text', text: '已登记' } }],
        jobs: [newJob({ id: 'job_reply', type: 'send_reply', payload: { replyKey: 'k:receipt' }, dedupeKey: 'reply:k:receipt' })],
      };
      const rec = newRecord(42, { townCode: TOWN_B });
      await h.store.fileRecord(rec, newSource('msg_1'), newEvent('created', null, 'registered'), effects, T0);
      expect(await h.store.getRecord(rec.id)).toMatchObject({ id: rec.id, code: 'JM-2026-0042', status: 'registered', townCode: TOWN_B, affectedCount: 1, categoryCode: '01' });
      expect((await h.store.getRecord('JM-2026-0042'))?.id).toBe(rec.id);
      expect((await h.store.getRecord(rec.id))?.code).toBe('JM-2026-0042');
      expect(await h.store.getRecord('JM-2026-9999')).toBeNull();
      expect(await h.store.recordSources(rec.id)).toHaveLength(1);
      expect((await h.store.recordEvents(rec.id)).map((e) => e.type)).toEqual(['created']);
      expect(await h.store.sourcedItems('msg_1')).toEqual([{ itemIndex: 0, recordId: rec.id }]);
      expect((await h.store.getReplyByKey('k:receipt'))?.state).toBe('pending');
      expect((await h.jobs.lease(10, 60_000, T0)).map((j) => j.type)).toEqual(['send_reply']);
    });

    it('counts a +1 when a source is added', async () => {
      const rec = await file(1);
      await h.store.addSource(rec.id, newSource(), newEvent('plus_one'), NO_EFFECTS, T0 + DAY);
      expect((await h.store.getRecord(rec.id))?.affectedCount).toBe(2);
      expect(await h.store.recordSources(rec.id)).toHaveLength(2);
      expect((await h.store.recordEvents(rec.id)).map((e) => e.type)).toEqual(['created', 'plus_one']);
    });

    it('lists the records a sender reported, filed or joined as "+1", most recently reported first, each once', async () => {
      const mine = await file(1);
      const byU2 = (code: number, at: number) => {
        const rec = newRecord(code, { filedBy: 'http:u2', filedByName: '林委员' });
        return h.store.fileRecord(rec, { ...newSource(), senderId: 'http:u2', senderName: '林委员' }, newEvent('created', null, 'registered'), NO_EFFECTS, at).then(() => rec);
      };
      const joined = await byU2(2, T0 + 2000);
      const theirs = await byU2(3, T0 + 3000);
      // u1 reports u2's first record four times: more reports than the page, all of one record.
      for (let i = 0; i < 4; i++) await h.store.addSource(joined.id, newSource(), newEvent('plus_one'), NO_EFFECTS, T0 + DAY + i);
      expect((await h.store.recordsReportedBy('http:u1', 10)).map((r) => r.code)).toEqual([joined.code, mine.code]);
      expect((await h.store.recordsReportedBy('http:u1', 2)).map((r) => r.code)).toEqual([joined.code, mine.code]);
      expect((await h.store.recordsReportedBy('http:u1', 1)).map((r) => r.code)).toEqual([joined.code]);
      expect((await h.store.recordsReportedBy('http:u2', 10)).map((r) => r.code)).toEqual([theirs.code, joined.code]);
      expect(await h.store.recordsReportedBy('http:u2', 10)).toMatchObject([{ filedBy: 'http:u2', townCode: TOWN_A }, { filedBy: 'http:u2', affectedCount: 5 }]);
      expect(await h.store.recordsReportedBy('http:u3', 10)).toEqual([]);
    });

    it('splits a source off into a new record carrying its words, once', async () => {
      const rec = await file(1);
      const joined = { ...newSource(), excerpt: '另一问题 电话13900139000', excerptMasked: '另一问题 电话139****9000' };
      await h.store.addSource(rec.id, joined, newEvent('plus_one'), NO_EFFECTS, T0 + DAY);
      const { text: _words, ...split } = newRecord(2, { textMasked: joined.excerptMasked });
      const events = { from: { ...newEvent('split'), id: `evt_split_${joined.id}` }, created: newEvent('created', null, 'registered') };
      const effects: Effects = { replies: [{ id: 'rpl_split', key: 'k:split', inboundMessageId: joined.inboundMessageId, recordId: split.id, target: { platform: 'http', chatId: 'http:c2' }, payload: { kind: 'text', text: '已单独登记' } }], jobs: [] };
      const view = await h.store.splitSource(rec.id, joined.id, split, events, effects, T0 + 2 * DAY);
      expect(view).toMatchObject({ id: split.id, code: 'JM-2026-0002', affectedCount: 1, textMasked: '另一问题 电话139****9000' });
      expect(await h.store.getRecord(rec.id)).toMatchObject({ affectedCount: 1, updatedAt: T0 + 2 * DAY });
      expect((await h.store.recordSources(rec.id)).map((x) => x.id)).not.toContain(joined.id);
      expect((await h.store.recordSources(split.id)).map((x) => x.id)).toEqual([joined.id]);
      expect(await h.store.sourcedItems(joined.inboundMessageId)).toEqual([{ itemIndex: 0, recordId: split.id }]);
      expect((await h.store.recordEvents(rec.id)).map((e) => e.type)).toEqual(['created', 'plus_one', 'split']);
      expect((await h.store.getReplyByKey('k:split'))?.recordId).toBe(split.id);
      expect(await h.store.nextSequence('record:JM:2026')).toBe(3);
      // The same report split again (a second 确认 racing the first): nothing is written.
      const again = { ...newRecord(3), id: uid('rec') };
      await expect(h.store.splitSource(rec.id, joined.id, again, { from: events.from, created: newEvent('created') }, NO_EFFECTS, T0 + 3 * DAY)).rejects.toThrow();
      expect(await h.store.getRecord(again.id)).toBeNull();
      expect((await h.store.getRecord(rec.id))?.affectedCount).toBe(1);
    });

    it('finds the message that filed a quoted bundle; the first filer stays', async () => {
      const row = { platform: 'feishu' as const, chatId: 'feishu:oc_1', senderId: 'feishu:ou_1', raw: '{}', receivedAt: T0 };
      await h.store.acceptInbound({ ...row, id: 'msg_r1', key: 'om_reply_1' }, newJob());
      await h.store.setInboundState('msg_r1', 'done', T0, { action: 'intake', bundle: true });
      expect(await h.store.quotedBundleFiler('feishu', 'om_bundle')).toBeNull();
      await h.store.rememberQuotedBundle('feishu', 'om_bundle', 'msg_r1', T0);
      await h.store.rememberQuotedBundle('feishu', 'om_bundle', 'msg_r2', T0 + 1);
      expect(await h.store.quotedBundleFiler('feishu', 'om_bundle')).toEqual({ id: 'msg_r1', state: 'done', outcome: { action: 'intake', bundle: true } });
      expect(await h.store.quotedBundleFiler('dingtalk', 'om_bundle')).toBeNull();
    });

    it('writes an event for every change', async () => {
      const rec = await file(1);
      const after = await h.store.changeRecord(rec.id, { status: 'assigned', department: '区建设局' }, newEvent('status', 'registered', 'assigned'), NO_EFFECTS, T0 + DAY);
      expect(after).toMatchObject({ status: 'assigned', department: '区建设局', updatedAt: T0 + DAY });
      const events = await h.store.recordEvents(rec.id);
      expect(events.at(-1)).toMatchObject({ type: 'status', from: 'registered', to: 'assigned', actorName: '张委员' });
    });

    it('returns events of the same moment in the order they were written, whatever their ids', async () => {
      const rec = await file(1);
      // Ids made in the same millisecond carry random tails: a later event's id may sort first.
      await h.store.changeRecord(rec.id, { status: 'resolved' }, { ...newEvent('status', 'registered', 'resolved'), id: 'evt_zz' }, NO_EFFECTS, T0 + DAY);
      await h.store.changeRecord(rec.id, { status: 'reopened' }, { ...newEvent('status', 'resolved', 'reopened'), id: 'evt_aa' }, NO_EFFECTS, T0 + DAY);
      expect((await h.store.recordEvents(rec.id)).map((e) => e.to)).toEqual(['registered', 'resolved', 'reopened']);
    });

    it('lists records by filter, newest first, page by page with a cursor', async () => {
      for (let i = 1; i <= 5; i++) await file(i, { category: i % 2 ? '01.02' : '03' });
      await file(6, { townCode: TOWN_B });
      await file(7, { status: 'rejected' });

      const all: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await h.store.listRecords({ townCode: TOWN_A, status: ['registered'], limit: 2, ...(cursor ? { cursor } : {}) });
        all.push(...res.records.map((r) => r.code));
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      expect(all).toEqual(['JM-2026-0005', 'JM-2026-0004', 'JM-2026-0003', 'JM-2026-0002', 'JM-2026-0001']);

      // A level-1 category and its children: two walks merged, still newest first and paged.
      const cat = await h.store.listRecords({ categoryCode: '01', limit: 50 });
      expect(cat.records.map((r) => r.code)).toEqual(['JM-2026-0007', 'JM-2026-0006', 'JM-2026-0005', 'JM-2026-0003', 'JM-2026-0001']);
      const first = await h.store.listRecords({ categoryCode: '01', limit: 3 });
      const rest = await h.store.listRecords({ categoryCode: '01', limit: 3, cursor: first.nextCursor! });
      expect([...first.records, ...rest.records].map((r) => r.code)).toEqual(cat.records.map((r) => r.code));
      expect(rest.nextCursor).toBeNull();
      const window = await h.store.listRecords({ since: T0 + 2000, until: T0 + 4000, limit: 50 });
      expect(window.records.map((r) => r.code)).toEqual(['JM-2026-0003', 'JM-2026-0002']);
      expect((await h.store.listRecords({ townCode: TOWN_B, limit: 50 })).records.map((r) => r.code)).toEqual(['JM-2026-0006']);
      await expect(h.store.listRecords({ limit: 2, cursor: 'not-a-cursor' })).rejects.toThrow();
    });

    it('offers only open records of the same town within the window as dedupe candidates', async () => {
      await file(1, {}, T0);
      await file(2, {}, T0 + 10 * DAY);
      await file(3, { townCode: TOWN_B }, T0 + 10 * DAY);
      await file(4, { status: 'rejected' satisfies RecordStatus }, T0 + 10 * DAY);
      await file(5, { status: 'awaiting_info' }, T0 + 11 * DAY);
      const { list: found } = await h.store.findDedupeCandidates(TOWN_A, T0 + 5 * DAY, 10);
      expect(found.map((c) => c.code).sort()).toEqual(['JM-2026-0002', 'JM-2026-0005']);
      expect(found[0]).toMatchObject({ fingerprint: expect.any(String), summary: expect.any(String) });
    });

    it('hands out the next sequence number after each filed record', async () => {
      expect(await h.store.nextSequence('record:JM:2026')).toBe(1);
      await file(1);
      expect(await h.store.nextSequence('record:JM:2026')).toBe(2);
      expect(await h.store.nextSequence('record:JM:2027')).toBe(1);
    });

    it('keeps one reply and one delivery job per reply key', async () => {
      const effects = (id: string): Effects => ({
        replies: [{ id, key: 'k:cmd', inboundMessageId: 'msg_9', recordId: null, target: { platform: 'feishu', chatId: 'oc_1' }, payload: { kind: 'text', text: `reply ${id}` } }],
        jobs: [newJob({ type: 'send_reply', payload: { replyKey: 'k:cmd' }, dedupeKey: 'reply:k:cmd' })],
      });
      await h.store.writeEffects(effects('rpl_first'), T0);
      await h.store.writeEffects(effects('rpl_second'), T0 + 1);
      const reply = await h.store.getReplyByKey('k:cmd');
      expect(reply).toMatchObject({ id: 'rpl_first', state: 'pending', payload: { text: 'reply rpl_first' } });
      expect(await h.store.repliesFor('msg_9')).toHaveLength(1);
      expect((await h.jobs.stats(T0)).queued).toBe(1);
      await h.store.markReplySent('rpl_first', 'om_sent', T0 + 2);
      expect(await h.store.getReplyByKey('k:cmd')).toMatchObject({ state: 'sent', platformMessageId: 'om_sent' });
    });

    it('finds a sent reply by the id its platform gave it', async () => {
      const rec = await file(1);
      const reply = (id: string, platform: 'feishu' | 'dingtalk') => ({ id, key: `k:${id}`, inboundMessageId: 'msg_8', recordId: rec.id, target: { platform, chatId: `${platform}:c` }, payload: { kind: 'text' as const, text: id } });
      await h.store.writeEffects({ replies: [reply('rpl_fs', 'feishu'), reply('rpl_dt', 'dingtalk')], jobs: [] }, T0);
      expect(await h.store.replyBySentId('feishu', 'om_bot_1')).toBeNull();
      await h.store.markReplySent('rpl_fs', 'om_bot_1', T0 + 1);
      expect(await h.store.replyBySentId('feishu', 'om_bot_1')).toMatchObject({ id: 'rpl_fs', recordId: rec.id, target: { platform: 'feishu' } });
      expect(await h.store.replyBySentId('dingtalk', 'om_bot_1')).toBeNull();
    });

    it('leases due jobs once, completes, retries and buries them', async () => {
      await h.jobs.enqueue(newJob({ id: 'j1', runAt: T0 }));
      await h.jobs.enqueue(newJob({ id: 'j2', runAt: T0 + 1 }));
      await h.jobs.enqueue(newJob({ id: 'j_later', runAt: T0 + DAY }));
      await h.jobs.enqueue(newJob({ id: 'j_dup', runAt: T0, dedupeKey: 'once' }));
      await h.jobs.enqueue(newJob({ id: 'j_dup2', runAt: T0, dedupeKey: 'once' }));

      const leased = await h.jobs.lease(10, 60_000, T0 + 10);
      expect(leased.map((j) => j.id).sort()).toEqual(['j1', 'j2', 'j_dup']);
      expect(leased.every((j) => j.attempts === 1)).toBe(true);
      expect(await h.jobs.lease(10, 60_000, T0 + 20)).toEqual([]);

      await h.jobs.complete('j1');
      await h.jobs.fail('j2', 'boom', T0 + 5000, T0 + 30);
      await h.jobs.fail('j_dup', 'fatal', null, T0 + 30);
      expect(await h.jobs.lease(10, 60_000, T0 + 100)).toEqual([]);
      const retried = await h.jobs.lease(10, 60_000, T0 + 5000);
      expect(retried.map((j) => [j.id, j.attempts])).toEqual([['j2', 2]]);
      expect(await h.jobs.stats(T0 + 5000)).toMatchObject({ queued: 1, running: 1, dead: 1 });
    });

    it('leases a job again once its lease expired (a worker died mid-job)', async () => {
      await h.jobs.enqueue(newJob({ id: 'j1', runAt: T0 }));
      expect((await h.jobs.lease(1, 60_000, T0)).map((j) => j.id)).toEqual(['j1']);
      expect(await h.jobs.lease(1, 60_000, T0 + 59_999)).toEqual([]);
      const again = await h.jobs.lease(1, 60_000, T0 + 60_000);
      expect(again.map((j) => [j.id, j.attempts])).toEqual([['j1', 2]]);
    });

    /** A message and its processing job, leased and failed for good, as the worker buries it. */
    async function deadMessage(n: number, at: number, error = 'boom') {
      const row = { id: `msg_d${n}`, platform: 'http' as const, key: `k_d${n}`, chatId: 'http:c1', senderId: 'http:u1', raw: '{}', receivedAt: at };
      await h.store.acceptInbound(row, newJob({ id: `job_d${n}`, type: 'process_message', payload: { inboundId: row.id }, runAt: at }));
      expect((await h.jobs.lease(1, 60_000, at)).map((j) => j.id)).toEqual([`job_d${n}`]);
      await h.jobs.fail(`job_d${n}`, error, null, at + 1);
      return { inboundId: row.id, jobId: `job_d${n}` };
    }

    it('marks the message of a dead processing job failed, and leaves a message already done alone', async () => {
      const { inboundId } = await deadMessage(1, T0, 'BotError: channel feishu is not configured');
      expect(await h.store.getInbound(inboundId)).toMatchObject({ state: 'failed', error: 'BotError: channel feishu is not configured' });
      // A job retried later leaves its message as it is: only a dead one is final.
      await h.store.acceptInbound({ id: 'msg_r', platform: 'http', key: 'k_r', chatId: 'http:c1', senderId: 'http:u1', raw: '{}', receivedAt: T0 },
        newJob({ id: 'job_r', type: 'process_message', payload: { inboundId: 'msg_r' }, runAt: T0 }));
      await h.jobs.lease(1, 60_000, T0);
      await h.jobs.fail('job_r', 'transient', T0 + 5000, T0 + 1);
      expect((await h.store.getInbound('msg_r'))?.state).toBe('queued');
      // The 微协商 check of a filed message dies on its own: the message stays filed.
      await h.store.setInboundState('msg_r', 'done', T0 + 2, { action: 'intake' });
      await h.jobs.enqueue(newJob({ id: 'job_cluster', type: 'cluster_check', payload: { inboundId: 'msg_r' }, runAt: T0 }));
      await h.jobs.lease(10, 60_000, T0);
      await h.jobs.fail('job_cluster', 'fatal', null, T0 + 3);
      expect(await h.store.getInbound('msg_r')).toMatchObject({ state: 'done', error: null });
    });

    it('lists jobs of one state, most recently updated first, with their error and the message they are about', async () => {
      await deadMessage(1, T0, 'first');
      await deadMessage(2, T0 + 10, 'second');
      await h.jobs.enqueue(newJob({ id: 'j_plain', type: 'send_reply', payload: { replyKey: 'k' }, runAt: T0 }));
      await h.jobs.lease(1, 60_000, T0 + 20);
      await h.jobs.fail('j_plain', 'HTTP 400', null, T0 + 30);
      await h.jobs.enqueue(newJob({ id: 'j_waiting', runAt: T0 + DAY }));
      await h.store.acceptInbound({ id: 'msg_gone', platform: 'http', key: 'k_gone', chatId: 'http:c1', senderId: 'http:u1', raw: '{}', receivedAt: T0 },
        newJob({ id: 'j_orphan', type: 'process_message', payload: { inboundId: 'msg_nowhere' }, runAt: T0 + DAY }));

      const dead = await h.jobs.list({ state: 'dead', limit: 10 });
      expect(dead.map((j) => j.id)).toEqual(['j_plain', 'job_d2', 'job_d1']);
      expect(dead[1]).toEqual({
        id: 'job_d2', type: 'process_message', state: 'dead', attempts: 1, runAt: T0 + 10, lastError: 'second',
        createdAt: T0 + 10, updatedAt: T0 + 11, inbound: { id: 'msg_d2', state: 'failed' },
      });
      expect(dead[0]).toMatchObject({ type: 'send_reply', lastError: 'HTTP 400', inbound: null });
      expect((await h.jobs.list({ state: 'dead', type: 'process_message', limit: 1 })).map((j) => j.id)).toEqual(['job_d2']);
      expect(await h.jobs.list({ state: 'dead', type: 'no_such_type', limit: 10 })).toEqual([]);
      const queued = await h.jobs.list({ state: 'queued', limit: 10 });
      expect(queued.map((j) => j.id).sort()).toEqual(['j_orphan', 'j_waiting']);
      expect(queued.find((j) => j.id === 'j_orphan')?.inbound).toEqual({ id: 'msg_nowhere', state: null });
      expect(await h.jobs.list({ state: 'running', limit: 10 })).toEqual([]);
    });

    it('requeues dead jobs by id, all or none: due now, from attempt 0, the last error kept, failed messages queued again', async () => {
      const one = await deadMessage(1, T0, 'down');
      const two = await deadMessage(2, T0, 'down');
      await h.jobs.enqueue(newJob({ id: 'j_alive', runAt: T0 + DAY }));

      for (const ids of [[one.jobId, 'job_missing'], [two.jobId, 'j_alive']]) {
        const refused = await h.jobs.requeueDead({ ids }, T0 + 100);
        expect(refused.requeued).toEqual([]);
        expect(refused.refused).toEqual([ids[1] === 'j_alive' ? { id: 'j_alive', state: 'queued' } : { id: 'job_missing', state: null }]);
      }
      expect(await h.jobs.stats(T0 + 100)).toMatchObject({ dead: 2, queued: 1 });
      expect((await h.store.getInbound(one.inboundId))?.state).toBe('failed');

      const done = await h.jobs.requeueDead({ ids: [one.jobId, one.jobId] }, T0 + 200);
      expect(done).toEqual({ requeued: [one.jobId], messages: 1, refused: [] });
      expect(await h.store.getInbound(one.inboundId)).toMatchObject({ state: 'queued', error: null });
      expect((await h.store.getInbound(two.inboundId))?.state).toBe('failed');
      expect((await h.jobs.list({ state: 'queued', limit: 10 })).find((j) => j.id === one.jobId))
        .toMatchObject({ attempts: 0, runAt: T0 + 200, lastError: 'down', updatedAt: T0 + 200 });
      // Requeued once, it is no longer dead: a second retry of it is refused.
      expect((await h.jobs.requeueDead({ ids: [one.jobId] }, T0 + 300)).refused).toEqual([{ id: one.jobId, state: 'queued' }]);
      const leased = await h.jobs.lease(10, 60_000, T0 + 200);
      expect(leased.map((j) => [j.id, j.attempts])).toEqual([[one.jobId, 1]]);
    });

    it('requeues every dead job, or every dead job of one type', async () => {
      const msg = await deadMessage(1, T0);
      for (const id of ['j_reply_1', 'j_reply_2']) {
        await h.jobs.enqueue(newJob({ id, type: 'send_reply', payload: { replyKey: id }, runAt: T0 }));
      }
      await h.jobs.lease(10, 60_000, T0);
      await h.jobs.fail('j_reply_1', 'HTTP 400', null, T0 + 1);
      await h.jobs.fail('j_reply_2', 'HTTP 400', null, T0 + 1);

      const replies = await h.jobs.requeueDead({ type: 'send_reply' }, T0 + 50);
      expect(replies.requeued.sort()).toEqual(['j_reply_1', 'j_reply_2']);
      expect(replies.messages).toBe(0);
      expect((await h.jobs.list({ state: 'dead', limit: 10 })).map((j) => j.id)).toEqual([msg.jobId]);
      expect((await h.store.getInbound(msg.inboundId))?.state).toBe('failed');

      expect(await h.jobs.requeueDead({}, T0 + 60)).toEqual({ requeued: [msg.jobId], messages: 1, refused: [] });
      expect((await h.store.getInbound(msg.inboundId))?.state).toBe('queued');
      expect(await h.jobs.requeueDead({}, T0 + 70)).toEqual({ requeued: [], messages: 0, refused: [] });
      expect(await h.jobs.stats(T0 + 70)).toMatchObject({ queued: 3, running: 0, dead: 0 });
    });
  });
}
