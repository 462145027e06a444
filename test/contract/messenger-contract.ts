import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Messenger } from '../../src/core/ports.js';
import type { OutgoingReply } from '../../src/core/replies.js';
import type { RecordView, ReplyTarget } from '../../src/core/types.js';

/** What the platform fake saw, reduced to what a person in the chat would read and could press. */
export interface SeenMessage {
  text: string;
  buttons: string[];
}

export interface MessengerHarness {
  messenger: Messenger;
  target: ReplyTarget;
  /** Messages the fake platform actually delivered into the chat, in order. */
  delivered(): Promise<SeenMessage[]>;
  close(): Promise<void>;
}

export function sampleRecord(over: Partial<RecordView> = {}): RecordView {
  return {
    id: 'rec_1', code: 'JM-2026-0042', status: 'registered', categoryCode: '01', categoryName: '城乡建设',
    categorySource: 'local', appealType: '求助', townCode: '350211005', townName: '灌口镇', townAssumed: false,
    place: '上头社区', summary: '上头社区路口积水严重', textMasked: '上头社区路口积水严重，电话138****5678',
    urgency: 'normal', confidence: 0.91, rationale: '本地模型', affectedCount: 1, duplicateOf: null, department: null,
    dueAt: null, filedBy: 'feishu:ou_1', filedByName: '张委员', sourcePlatform: 'feishu', sourceChatId: 'feishu:oc_1',
    createdAt: 1_764_000_000_000, updatedAt: 1_764_000_000_000, ...over,
  };
}

/**
 * One suite every Messenger passes (Feishu, DingTalk, …): the same reply reads the same to a person, and
 * a retried send never posts twice.
 */
export function messengerContract(name: string, makeHarness: () => Promise<MessengerHarness>): void {
  describe(`Messenger contract: ${name}`, () => {
    let h: MessengerHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('a receipt shows code, category, town, status and offers corrections', async () => {
      const reply: OutgoingReply = {
        kind: 'receipt', record: sampleRecord(), similar: [{ code: 'JM-2026-0007', summary: '上头社区积水' }],
        categoryChoices: [{ label: '环境保护', value: { action: 'set_category', record: 'rec_1', category: '02' } }],
        townChoices: [],
      };
      await h.messenger.send(h.target, reply, 'contract-receipt-1');
      const [msg, ...rest] = await h.delivered();
      expect(rest).toHaveLength(0);
      for (const needle of ['JM-2026-0042', '城乡建设', '灌口镇', '已登记', 'JM-2026-0007']) expect(msg!.text).toContain(needle);
      expect(msg!.buttons.join(' ')).toContain('环境保护');
    });

    it('an assumed town is marked as such', async () => {
      const reply: OutgoingReply = { kind: 'receipt', record: sampleRecord({ townAssumed: true }), similar: [], categoryChoices: [], townChoices: [] };
      await h.messenger.send(h.target, reply, 'contract-receipt-assumed');
      const [msg] = await h.delivered();
      expect(msg!.text).toContain('推定');
    });

    it('a clarifying question offers one choice per candidate town', async () => {
      const reply: OutgoingReply = {
        kind: 'question', recordCode: 'JM-2026-0043', question: '这条社情民意发生在哪个镇街？',
        options: ['集美街道', '侨英街道', '灌口镇'].map((t, i) => ({ label: t, value: { action: 'set_town', record: 'rec_2', town: String(i) } })),
      };
      await h.messenger.send(h.target, reply, 'contract-question-1');
      const [msg] = await h.delivered();
      expect(msg!.text).toContain('哪个镇街');
      expect(msg!.buttons).toEqual(expect.arrayContaining(['集美街道', '侨英街道', '灌口镇']));
    });

    it('a status update names both states and the note', async () => {
      const reply: OutgoingReply = { kind: 'status', record: sampleRecord({ status: 'assigned' }), from: 'registered', to: 'assigned', note: '交区建设局办理' };
      await h.messenger.send(h.target, reply, 'contract-status-1');
      const [msg] = await h.delivered();
      for (const needle of ['JM-2026-0042', '已登记', '已交办', '交区建设局办理']) expect(msg!.text).toContain(needle);
    });

    it('sending again with the same key posts once', async () => {
      const reply: OutgoingReply = { kind: 'text', text: '只应出现一次' };
      await h.messenger.send(h.target, reply, 'contract-idem-1');
      await h.messenger.send(h.target, reply, 'contract-idem-1');
      const seen = (await h.delivered()).filter((m) => m.text.includes('只应出现一次'));
      expect(seen).toHaveLength(1);
    });
  });
}
