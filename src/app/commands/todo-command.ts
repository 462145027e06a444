import { BotError } from '../../core/errors.js';
import { workScope } from '../../core/permissions.js';
import type { OutgoingReply } from '../../core/replies.js';
import { shanghaiWeek } from '../../core/time.js';
import { trackedItemBlocks } from '../../core/tracked-items.js';
import { weekTodo } from '../../core/week-todo.js';
import { openItemsDueBefore } from '../consultation-items.js';
import type { AppDeps } from '../deps.js';
import type { ChatContext } from '../pending.js';

/** Enough for a real week's list; beyond it the counts read "N+" and the staff narrow by town. */
const GROUP_LIMIT = 100;

/** 本周待办 for the asker's scope: their town's records, or the district's for district staff and admins. */
export async function todoReply(deps: AppDeps, ctx: ChatContext): Promise<OutgoingReply> {
  const scope = workScope(ctx.actor.person);
  if (scope.kind === 'none') throw new BotError('forbidden', '本周待办供工作人员使用；查看自己反映的记录请发「我的记录」');
  const now = deps.clock.now();
  const townCode = scope.kind === 'town' ? scope.townCode : undefined;
  const scopeLabel = townCode ? (deps.district.towns.find((t) => t.code === townCode)?.name ?? townCode) : `${deps.district.name}全区`;
  const [waiting, due] = await Promise.all([
    deps.store.listRecords({ status: ['registered', 'awaiting_info'], limit: GROUP_LIMIT, ...(townCode ? { townCode } : {}) }),
    deps.store.listOpenDue(townCode, shanghaiWeek(now).end, GROUP_LIMIT),
  ]);
  const week = shanghaiWeek(now);
  const consults = (await deps.outputs?.listConsultations({ ...(townCode ? { townCode } : {}), statuses: ['scheduled', 'held'] })) ?? [];
  const consultations = consults.filter((c) => c.scheduledAt !== null && c.scheduledAt >= week.start && c.scheduledAt < week.end)
    .map((c) => ({ code: c.code, title: c.topic, at: c.scheduledAt! }));
  const truncated = { waiting: waiting.nextCursor !== null, due: due.length >= GROUP_LIMIT };
  const todo = weekTodo({ scopeLabel, now, waiting: waiting.records, due, consultations, truncated });
  // Consultation decisions (分工) overdue or due this week, after the records.
  const items = deps.outputs ? trackedItemBlocks(await openItemsDueBefore(deps, week.end, townCode), now, '本周到期') : [];
  const empty = todo.groups.every((g) => g.total === 0);
  const text = items.length ? [...(empty ? [] : [todo.text]), ...items].join('\n\n') : todo.text;
  return { kind: 'text', title: todo.title, text };
}
