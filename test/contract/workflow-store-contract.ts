import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PendingAction } from '../../src/core/pending-action.js';
import type { NewEvent, NewRecord, NewSource } from '../../src/core/ports.js';
import type { StoreHarness } from './store-contract.js';

const T0 = 1_778_637_600_000; // 2026-05-13T02:00:00Z
const NONE = { replies: [], jobs: [] };
let seq = 0;
const uid = (p: string) => `${p}_${(++seq).toString(36).padStart(6, '0')}`;

function rec(n: number, over: Partial<NewRecord> = {}): NewRecord {
  return {
    id: uid('rec'), code: `JM-2026-${String(n).padStart(4, '0')}`, counter: { name: 'record:JM:2026', value: n },
    classification: { categoryCode: '01', categoryName: '城乡建设', appealType: '求助', urgency: 'normal', summary: `摘要${n}`, confidence: 0.9, alternatives: [], source: 'local', rationale: 't' },
    status: 'registered', townCode: '350211001', townAssumed: false, place: null, placeEvidence: [], text: '原文', textMasked: '原文',
    fingerprint: `fp${n}`, dueAt: null, filedBy: 'http:u1', filedByName: null, sourcePlatform: 'http', sourceChatId: 'http:c1',
    sourceMessageId: null, replyTarget: { platform: 'http', chatId: 'http:c1', messageId: `m${n}` }, ...over,
  };
}
const src = (): NewSource => ({ id: uid('src'), inboundMessageId: uid('msg'), itemIndex: 0, senderId: 'http:u1', senderName: null, excerpt: 'x', excerptMasked: 'x' });
const evt = (type: string, to: string | null = null): NewEvent => ({ id: uid('evt'), type, actorId: 'http:staff', actorName: '小王', from: null, to, note: null });

/** The workflow half of the Store port, run on every implementation (better-sqlite3 and D1). */
export function workflowStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`workflow store contract: ${name}`, () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close?.();
    });

    it('claims a pending action once; a new preview supersedes the author\'s earlier one in that chat only', async () => {
      const pending = (chatId: string, at: number): PendingAction => ({ id: uid('pnd'), actorId: 'http:s', actorName: null, platform: 'http', chatId, change: { kind: 'add_person', name: `李明${at}`, role: 'member', townCode: null }, summary: '添加', state: 'pending', createdAt: at, expiresAt: at + 60_000 });
      const first = pending('http:c', T0);
      const elsewhere = pending('http:d', T0 + 1);
      const second = pending('http:c', T0 + 2);
      await h.store.createPending(first);
      await h.store.createPending(elsewhere);
      expect((await h.store.findPending('http:c', 'http:s', null))?.id).toBe(first.id);
      await h.store.createPending(second);
      expect((await h.store.findPending('http:c', 'http:s', null))?.id).toBe(second.id);
      expect((await h.store.getPending(first.id))?.state).toBe('superseded');
      expect((await h.store.getPending(elsewhere.id))?.state).toBe('pending');
      expect(await h.store.findPending('http:c', 'http:other', null)).toBeNull();
      // A reference finds its own preview whatever became of it, and only the author's, in that chat.
      expect((await h.store.findPending('http:c', 'http:s', first.id.slice(-6)))?.state).toBe('superseded');
      expect(await h.store.findPending('http:d', 'http:s', first.id.slice(-6))).toBeNull();
      expect(await h.store.findPending('http:c', 'http:other', second.id.slice(-6))).toBeNull();

      expect(await h.store.decidePending(second.id, 'confirmed', T0 + 3)).toBe(true);
      expect(await h.store.decidePending(second.id, 'cancelled', T0 + 4)).toBe(false);
      expect(await h.store.findPending('http:c', 'http:s', null)).toBeNull();
      // A confirmation whose change failed is put back, and can be claimed again once.
      await h.store.reopenPending(second.id);
      expect((await h.store.findPending('http:c', 'http:s', null))?.id).toBe(second.id);
      expect(await h.store.decidePending(second.id, 'confirmed', T0 + 5)).toBe(true);
      await h.store.reopenPending(first.id);
      expect((await h.store.getPending(first.id))?.state).toBe('superseded');
    });

    it('merges: the source becomes a duplicate, the target gains its affected count, both get events', async () => {
      const a = rec(1);
      const b = rec(2);
      await h.store.fileRecord(a, src(), evt('created', 'registered'), NONE, T0);
      await h.store.fileRecord(b, src(), evt('created', 'registered'), NONE, T0);
      await h.store.addSource(b.id, src(), evt('plus_one'), NONE, T0);
      const into = await h.store.mergeRecords(b.id, a.id, { from: evt('status', 'duplicate'), into: evt('merged') }, NONE, T0 + 1);
      expect(into.affectedCount).toBe(3);
      expect(await h.store.getRecord(b.id)).toMatchObject({ status: 'duplicate', duplicateOf: a.code });
      expect((await h.store.recordEvents(a.id)).map((e) => e.type)).toEqual(['created', 'merged']);
      expect(await h.store.getReplyTarget(a.id)).toEqual({ platform: 'http', chatId: 'http:c1', messageId: 'm1' });
    });

    it('lists open records due before a time, by town, earliest first', async () => {
      await h.store.fileRecord(rec(11, { dueAt: T0 + 3000 }), src(), evt('created'), NONE, T0);
      await h.store.fileRecord(rec(12, { dueAt: T0 + 1000, townCode: '350211102' }), src(), evt('created'), NONE, T0);
      await h.store.fileRecord(rec(13, { dueAt: T0 + 2000, status: 'rejected' }), src(), evt('created'), NONE, T0);
      await h.store.fileRecord(rec(14, { dueAt: T0 + 9000 }), src(), evt('created'), NONE, T0);
      expect((await h.store.listOpenDue(undefined, T0 + 5000, 10)).map((r) => r.code)).toEqual(['JM-2026-0012', 'JM-2026-0011']);
      expect((await h.store.listOpenDue('350211001', T0 + 5000, 10)).map((r) => r.code)).toEqual(['JM-2026-0011']);
    });

    it('binds an identity with a one-time code, once, before it expires', async () => {
      await h.store.upsertPerson({ id: 'psn_1', name: '李明', role: 'member', townCode: '350211001', identities: [] }, T0);
      await h.store.createBindCode('123456', 'psn_1', 'http:admin', T0 + 1000);
      await h.store.createBindCode('654321', 'psn_1', 'http:admin', T0 - 1);
      expect(await h.store.useBindCode('654321', { platform: 'http', externalId: 'http:x' }, T0)).toBeNull();
      expect((await h.store.useBindCode('123456', { platform: 'dingtalk', externalId: 'staff01' }, T0))?.identities).toEqual([{ platform: 'dingtalk', externalId: 'staff01' }]);
      expect(await h.store.useBindCode('123456', { platform: 'http', externalId: 'http:y' }, T0)).toBeNull();
      expect((await h.store.findPerson('dingtalk', 'staff01'))?.name).toBe('李明');
      expect((await h.store.listPeople('member')).map((p) => p.name)).toEqual(['李明']);
    });
  });
}
