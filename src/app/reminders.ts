import { endOfLocalDay } from '../core/due-dates.js';
import type { ChatInput, StoredPerson } from '../core/ports.js';
import type { OutgoingReply } from '../core/replies.js';
import { reminderText } from '../core/reminder-text.js';
import { formatShanghai } from '../core/time.js';
import type { TrackedItem } from '../core/tracked-items.js';
import type { RecordView, ReplyTarget } from '../core/types.js';
import { openItemsDueBefore } from './consultation-items.js';
import type { AppDeps } from './deps.js';
import { replyEffects } from './reply-effects.js';

const MAX_ITEMS = 2000;
/** Platforms that can send 1:1 from an identity alone (DingTalk staff id, Feishu open_id, the API's id). */
const DIRECT_PLATFORMS = new Set(['dingtalk', 'feishu', 'http']);

function chatTarget(c: ChatInput): ReplyTarget {
  return { platform: c.platform, chatId: c.externalId, chatType: 'group' };
}

function personTargets(people: StoredPerson[]): ReplyTarget[] {
  return people.flatMap((p) => p.identities.filter((i) => DIRECT_PLATFORMS.has(i.platform))
    .map((i) => ({ platform: i.platform, chatId: i.externalId, userId: bareUserId(i.externalId), chatType: 'p2p' as const })));
}

/** Identities carry the platform prefix (dingtalk:<staffId>); DingTalk's send API wants the bare id (Feishu's messenger strips its own). */
function bareUserId(externalId: string): string {
  return externalId.startsWith('dingtalk:') ? externalId.slice('dingtalk:'.length) : externalId;
}

/**
 * The 09:07 reminder: overdue and due-today records and consultation decisions (分工) of each town go to
 * that town's staff chats (or, with no staff chat, to its staff in 1:1), the whole district to the office
 * chats (or district staff). One post per chat per day, even if the schedule fires twice. Returns how many
 * posts were newly queued.
 */
export async function sendDailyReminders(deps: AppDeps, now: number): Promise<number> {
  const until = endOfLocalDay(now) + 1;
  const items = await deps.store.listOpenDue(undefined, until, MAX_ITEMS);
  const actionItems = deps.outputs ? await openItemsDueBefore(deps, until) : [];
  if (!items.length && !actionItems.length) return 0;
  const [staffChats, officeChats, staff] = await Promise.all([deps.store.listChats('staff'), deps.store.listChats('office'), deps.store.listPeople('staff')]);
  const byTown = new Map<string, { records: RecordView[]; actionItems: TrackedItem[] }>();
  const townOf = (code: string) => byTown.get(code) ?? byTown.set(code, { records: [], actionItems: [] }).get(code)!;
  for (const r of items) if (r.townCode) townOf(r.townCode).records.push(r);
  for (const i of actionItems) townOf(i.townCode).actionItems.push(i);

  const posts: { scope: string; target: ReplyTarget; reply: OutgoingReply }[] = [];
  const post = (scope: string, targets: ReplyTarget[], scopeLabel: string, rs: RecordView[], ai: TrackedItem[]) => {
    const { title, text } = reminderText(scopeLabel, now, rs, ai);
    for (const target of targets) posts.push({ scope, target, reply: { kind: 'text', title, text } });
  };
  for (const [townCode, due] of byTown) {
    const chats = staffChats.filter((c) => c.townCode === townCode).map(chatTarget);
    const name = deps.district.towns.find((t) => t.code === townCode)?.name ?? townCode;
    post(townCode, chats.length ? chats : personTargets(staff.filter((p) => p.townCode === townCode)), name, due.records, due.actionItems);
  }
  const office = officeChats.map(chatTarget);
  post('district', office.length ? office : personTargets(staff.filter((p) => p.townCode === null)), `${deps.district.name}全区`, items, actionItems);

  const day = formatShanghai(now).slice(0, 10);
  let sent = 0;
  for (const p of posts) {
    const key = `reminder:${day}:${p.scope}:${p.target.platform}:${p.target.chatId}`;
    if (await deps.store.getReplyByKey(key)) continue;
    await deps.store.writeEffects(replyEffects(deps, { key, target: p.target, inboundId: null, recordId: null, payload: p.reply }), now);
    sent += 1;
  }
  deps.notifyJobs();
  deps.log.info('reminders.sent', { day, items: items.length, actionItems: actionItems.length, posts: sent });
  return sent;
}
