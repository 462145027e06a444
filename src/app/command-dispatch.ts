import { type Command, helpText, isWriteAttempt } from '../core/commands.js';
import { BotError, isRefusal } from '../core/errors.js';
import { maySee } from '../core/permissions.js';
import { findTown } from '../core/place-decision.js';
import type { OutgoingReply } from '../core/replies.js';
import type { RecordView } from '../core/types.js';
import { consultationReply, proposeConsultationWrite } from './commands/consultation-commands.js';
import { bindReply, peopleReply, proposeAddPerson } from './commands/people-commands.js';
import { mineReply, proposeRecordWrite, queryReply } from './commands/record-commands.js';
import { todoReply } from './commands/todo-command.js';
import { proposeWriteupWrite, writeupShowReply } from './commands/writeup-commands.js';
import type { AppDeps } from './deps.js';
import { bulletinCommand, draftAgendaCommand, memberFiguresCommand, writeupCommand } from './outputs.js';
import { type ChatContext, cancelPending, confirmPending, dropOpenPreview } from './pending.js';
import { applyChoice, type Choice } from './record-actions.js';

/**
 * Routes a parsed command to its use case. Reads answer at once; writes answer with a preview that applies
 * on 确认. Refusals and mistakes come back as a polite reply and change nothing.
 */
export async function dispatchCommand(deps: AppDeps, ctx: ChatContext, command: Command): Promise<OutgoingReply> {
  let reply: OutgoingReply;
  try {
    reply = await route(deps, ctx, command);
    if (command.name !== 'usage') return reply;
  } catch (error) {
    if (!isRefusal(error)) throw error;
    deps.log.info('command.refused', { command: command.name, actor: ctx.actor.id, code: error.code });
    reply = { kind: 'text', text: politeText(error) };
  }
  const dropped = isWriteAttempt(command) ? await dropOpenPreview(deps, ctx) : null;
  return dropped && reply.kind === 'text' ? { ...reply, text: `${reply.text}\n（之前的预览「${dropped}」已作废，未执行）` } : reply;
}

function politeText(e: BotError): string {
  if (e.code === 'internal') return `暂时无法完成：${e.message}`;
  return e.message;
}

async function route(deps: AppDeps, ctx: ChatContext, c: Command): Promise<OutgoingReply> {
  const { actor } = ctx;
  switch (c.name) {
    case 'correct':
      return correctReply(deps, ctx, c);
    case 'help':
      return { kind: 'text', title: '民意助手使用说明', text: helpText(actor.person?.role ?? null) };
    case 'usage':
      return { kind: 'text', title: '用法', text: c.usage };
    case 'mine':
      return mineReply(deps, ctx);
    case 'query':
      return queryReply(deps, ctx, c.code);
    case 'todo':
      return todoReply(deps, ctx);
    case 'assign':
    case 'close':
    case 'reject':
    case 'visit':
    case 'merge':
    case 'split':
      return proposeRecordWrite(deps, ctx, c);
    case 'confirm':
      return (await confirmPending(deps, ctx, { ref: c.ref })).reply;
    case 'cancel':
      return cancelPending(deps, ctx, { ref: c.ref });
    case 'add_person':
      return proposeAddPerson(deps, ctx, c.role, c.personName, c.town);
    case 'bind':
      return bindReply(deps, ctx, c.bindCode);
    case 'people':
      return peopleReply(deps, ctx);
    case 'agenda':
      return draftAgendaCommand(deps, actor, { codes: c.codes, topic: c.topic });
    case 'writeup':
      return writeupCommand(deps, actor, c.code);
    case 'bulletin': {
      const town = c.town ? findTown(deps.district.towns, c.town) : null;
      if (c.town && !town) throw new BotError('bad_request', `未知镇街「${c.town}」`);
      return bulletinCommand(deps, actor, { week: c.week, townCode: town?.code ?? null });
    }
    case 'figures':
      return memberFiguresCommand(deps, actor);
    case 'consultation_show':
      return consultationReply(deps, ctx, c.code);
    case 'consultation_schedule':
    case 'consultation_held':
    case 'consultation_item_done':
    case 'consultation_close':
    case 'consultation_decline':
      return proposeConsultationWrite(deps, ctx, c);
    case 'writeup_show':
      return writeupShowReply(deps, ctx, c.code);
    case 'writeup_submit':
    case 'writeup_adopt':
    case 'writeup_instruct':
      return proposeWriteupWrite(deps, ctx, c);
  }
}

/** A correction applies at once, as the card buttons do on Feishu; who may correct is checked in applyChoice. */
async function correctReply(deps: AppDeps, ctx: ChatContext, c: Extract<Command, { name: 'correct' }>): Promise<OutgoingReply> {
  const r = await deps.store.getRecord(c.code);
  if (!r) throw new BotError('not_found', `没有找到记录 ${c.code}`);
  let choice: Choice;
  if (c.field === 'town') {
    const town = findTown(deps.district.towns, c.value);
    if (!town) throw new BotError('bad_request', `未知镇街「${c.value}」`);
    choice = { action: 'set_town', record: r.id, town: town.code };
  } else {
    const cat = deps.taxonomy.byName.get(c.value) ?? deps.taxonomy.byCode.get(c.value);
    if (!cat) throw new BotError('bad_request', `未知分类「${c.value}」`);
    choice = { action: 'set_category', record: r.id, category: cat.code };
  }
  const record = await applyChoice(deps, ctx.actor, choice, null);
  // What the receipt would not show: the 社区/村 that went with the old town, and that the record left the actor's view.
  const notes = [
    ...(r.place && record.place !== r.place ? [`原社区/村「${r.place}」不属于${record.townName ?? '新镇街'}，已清除。`] : []),
    ...(record.townCode !== r.townCode && !maySee(ctx.actor.id, ctx.actor.person, record, await deps.store.recordSources(record.id)) ? [`这条记录现由${record.townName ?? '新镇街'}的工作人员办理，你之后将无法查询它。`] : []),
  ];
  if (notes.length === 0) return { kind: 'receipt', record, similar: [], categoryChoices: [], townChoices: [] };
  const where = (x: RecordView) => `${x.townName ?? '待确认'}${x.place ? ` · ${x.place}` : ''}`;
  return { kind: 'text', title: `已更正 ${record.code}`, text: [`镇街：${where(r)} → ${where(record)}`, ...notes, `摘要：${record.summary}`].join('\n') };
}
