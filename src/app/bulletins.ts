/**
 * The weekly bulletin: each town's liaison chats get their town's, the office chats the district's. Every
 * post is keyed by (week, chat), so a re-run of the task — a retry, a restart, a catch-up — posts nothing twice.
 */
import { type Bulletin, buildBulletin, bulletinChart, renderBulletin, typicalCodes, type WeekWord } from '../core/bulletin.js';
import type { Effects } from '../core/ports.js';
import type { OutgoingReply } from '../core/replies.js';
import { level1Of } from '../core/taxonomy.js';
import { shanghaiWeek } from '../core/time.js';
import type { AppDeps } from './deps.js';
import { outputsOf, townName } from './outputs-common.js';
import { groupQuote } from './outward-text.js';
import { bulletinProseData, writerOf } from './prose-data.js';
import { replyEffects } from './reply-effects.js';
import { writtenBy } from '../core/template-writer.js';

export async function buildWeekBulletin(deps: AppDeps, townCode: string | null, period: { start: number; end: number }): Promise<Bulletin> {
  const asOf = Math.min(period.end, deps.clock.now());
  const data = await outputsOf(deps).bulletinData(townCode, townName(deps, townCode), period.start, period.end, asOf);
  // Bulletins count by level-1 category: level 2 splits a week's few records too finely.
  const l1 = (code: string, name: string) => (deps.taxonomy.byCode.has(code) ? level1Of(deps.taxonomy, code).name : name);
  const towns = new Map(deps.district.towns.map((t) => [t.code, t.name]));
  const week = data.week.map(({ townCode, ...g }) => ({
    ...g, categoryName: l1(g.categoryCode, g.categoryName), townName: townCode === null ? null : towns.get(townCode) ?? townCode,
  }));
  const typical = await outputsOf(deps).maskedTexts(typicalCodes(week));
  return buildBulletin({ ...data, week }, new Map([...typical].map(([code, text]) => [code, groupQuote(text)])), weekWord(deps.clock.now(), period.start));
}

/** 本周 while the week runs; a week asked for afterwards (周报 上周, a bulletin sent late) is not 本周. */
function weekWord(now: number, start: number): WeekWord {
  if (start >= shanghaiWeek(now).start) return '本周';
  return start === shanghaiWeek(now, -1).start ? '上周' : '该周';
}

export function bulletinReply(b: Bulletin): OutgoingReply {
  return { kind: 'text', title: `${b.title}（${b.period}）`, text: renderBulletin(b), chart: bulletinChart(b) };
}

/** The bulletin with its prose from the deployment's writer (the template text when there is no LLM). */
export async function writtenBulletinReply(deps: AppDeps, b: Bulletin): Promise<OutgoingReply> {
  const base = bulletinReply(b);
  if (base.kind !== 'text') return base;
  const w = await writerOf(deps).write('bulletin', bulletinProseData(b), base.text);
  return { ...base, text: `${w.text}${writtenBy(w)}` };
}

/** Week key: the Shanghai date of its Monday. */
export function weekKey(start: number): string {
  return new Date(start + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Posts the bulletin of the week containing `at` (the scheduled time). Returns how many chats got one. */
export async function sendWeeklyBulletins(deps: AppDeps, at: number): Promise<number> {
  const week = shanghaiWeek(at);
  const key = weekKey(week.start);
  const chats = [...(await deps.store.listChats('liaison')), ...(await deps.store.listChats('office'))];
  const cache = new Map<string, OutgoingReply>();
  const effects: Effects = { replies: [], jobs: [] };
  let posted = 0;
  for (const chat of chats) {
    // Liaison groups get their town's bulletin; office chats (and a liaison chat with no town) the district's.
    const scope = chat.role === 'liaison' ? chat.townCode : null;
    const replyKey = `bulletin:${key}:${chat.id}`;
    if (await deps.store.getReplyByKey(replyKey)) continue;
    const cacheKey = scope ?? '*';
    let payload = cache.get(cacheKey);
    if (!payload) {
      payload = await writtenBulletinReply(deps, await buildWeekBulletin(deps, scope, week));
      cache.set(cacheKey, payload);
    }
    const e = replyEffects(deps, { key: replyKey, target: { platform: chat.platform, chatId: chat.externalId, chatType: 'group' }, inboundId: null, recordId: null, payload });
    effects.replies.push(...e.replies);
    effects.jobs.push(...e.jobs);
    posted += 1;
  }
  if (posted) {
    await deps.store.writeEffects(effects, deps.clock.now());
    deps.notifyJobs();
  }
  deps.log.info('bulletin.sent', { week: key, chats: posted });
  return posted;
}
