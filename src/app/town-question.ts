import { correctionCommand } from '../core/commands.js';
import { isTownship } from '../core/place-decision.js';
import type { OutgoingReply, ReplyButton } from '../core/replies.js';
import type { AppDeps } from './deps.js';

const MAX_TOWN_BUTTONS = 10;

type Question = Extract<OutgoingReply, { kind: 'question' }>;

interface Asked {
  id: string;
  code: string;
}

/** One button per town, in the district's order; pressed, or typed as 「更正 …」 where buttons only send text. */
export function townButtons(deps: AppDeps, record: Asked, codes: string[]): ReplyButton[] {
  return deps.district.towns.filter((t) => codes.includes(t.code)).slice(0, MAX_TOWN_BUTTONS)
    .map((t) => ({ label: t.name, value: { action: 'set_town', record: record.id, town: t.code }, command: correctionCommand(record.code, '镇街', t.name) }));
}

/** The 镇街 (not the farms and forest farms listed beside them): the towns offered when the text named none. */
export function townshipCodes(deps: AppDeps): string[] {
  return deps.district.towns.filter(isTownship).map((t) => t.code);
}

/**
 * 「发生在哪个镇街？」 with a button per town the text named, or per 镇街 when it named none; the other units
 * (第二农场, 天马华侨农场 …) are named in the question, to be typed.
 */
export function townQuestion(deps: AppDeps, record: Asked, candidates: string[]): Question {
  const named = deps.district.towns.filter((t) => candidates.includes(t.code)).map((t) => t.name);
  const others = deps.district.towns.filter((t) => !isTownship(t)).map((t) => t.name);
  const question = named.length > 0
    ? `这条社情民意提到${named.join('、')}，发生在哪个镇街？请回复镇街名称或点选`
    : `这条社情民意发生在哪个镇街？请回复镇街名称或点选${others.length > 0 ? `；${others.join('、')}请直接回复名称` : ''}`;
  return { kind: 'question', recordCode: record.code, question, options: townButtons(deps, record, named.length > 0 ? candidates : townshipCodes(deps)) };
}

/** The question as it was put for a record awaiting its town (read back from the reply that asked it). */
export async function askedQuestion(deps: AppDeps, record: Asked): Promise<Question> {
  const [source] = await deps.store.recordSources(record.id);
  const asked = source ? await deps.store.getReplyByKey(`${source.inboundMessageId}:${source.itemIndex}:question`) : null;
  return asked?.payload.kind === 'question' ? asked.payload : townQuestion(deps, record, []);
}
