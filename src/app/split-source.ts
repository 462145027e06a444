import { defaultDueAt } from '../core/due-dates.js';
import { BotError } from '../core/errors.js';
import { decidePlace, type PlaceDecision } from '../core/place-decision.js';
import type { NewEvent, NewRecord } from '../core/ports.js';
import { counterName, formatRecordCode } from '../core/record-code.js';
import { fingerprint } from '../core/similarity.js';
import { statusLabel } from '../core/status.js';
import { formatShanghai, shanghaiDate } from '../core/time.js';
import type { RecordSource, RecordView, ReplyTarget } from '../core/types.js';
import type { AppDeps } from './deps.js';
import type { Actor } from './record-actions.js';
import { replyEffects } from './reply-effects.js';
import { joinedThread } from './reporter-threads.js';

// 拆分 undoes a wrong "+1": dedupe joins by wording, so two short reports of different problems at one place
// can land on one record. Staff take the report back out and it is filed as the record it should have been.

/**
 * The `ordinal`-th report of `r` (as 查询 numbers them, oldest first: 1 filed the record, later ones joined as
 * "+1"), if it may be split off; a refusal says why and changes nothing.
 */
export function splittableSource(r: RecordView, sources: RecordSource[], ordinal: number): RecordSource {
  if (r.status === 'duplicate') throw new BotError('invalid_transition', `${r.code} 已合并到 ${r.duplicateOf ?? '另一记录'}，不能再拆分`);
  if (ordinal === 1) throw new BotError('bad_request', `第 1 条是登记 ${r.code} 的原始反映，不能拆出；可拆分的是之后并入的第 2–${Math.max(2, sources.length)} 条`);
  const source = sources[ordinal - 1];
  if (!source) {
    throw new BotError('not_found', sources.length > 1 ? `${r.code} 只有 ${sources.length} 条反映，请写第 2–${sources.length} 条之一` : `${r.code} 只有 1 条反映，没有可拆出的`);
  }
  return source;
}

/** One line of a report, as previews and 查询 show it: who, when, and its start (masked). */
export function sourceLine(s: RecordSource, ordinal: number, chars = 60): string {
  const words = s.excerptMasked.replace(/\s+/g, ' ').trim();
  const start = words.length > chars ? `${words.slice(0, chars)}…` : words;
  return `${ordinal}. ${formatShanghai(s.at).slice(5)}${s.senderName ? ` ${s.senderName}` : ''}：${start}`;
}

/** The evidence-based place of the split report; without a place word it stays in the record's town. */
function placeOf(deps: AppDeps, r: RecordView, words: string): PlaceDecision {
  const match = deps.resolvePlace(words);
  if (match.townCode || !r.townCode) return decidePlace(match, null, null);
  return { kind: 'known', townCode: r.townCode, place: match.place, assumed: r.townAssumed, evidence: [`原记录 ${r.code} 的镇街`] };
}

/**
 * Files the report `sourceId` of `r` as a new record: classified and placed again from its own words, never
 * joined back by dedupe. The person who sent the report hears it in the thread where they were told it joined.
 */
export async function splitSource(deps: AppDeps, actor: Actor, r: RecordView, sourceId: string): Promise<{ record: RecordView; ordinal: number }> {
  const sources = await deps.store.recordSources(r.id);
  const at = sources.findIndex((s) => s.id === sourceId);
  if (at < 0) throw new BotError('invalid_transition', `这条反映已不在 ${r.code} 中（可能已经拆分）`);
  const source = splittableSource(r, sources, at + 1);
  const words = source.excerptMasked;
  const classification = await deps.classifier.classify({ text: words, masked: words });
  const decision = placeOf(deps, r, words);
  const known = decision.kind === 'known';
  // Where the sender was told "+1"; a report without that reply (none today) falls back to the record's thread.
  const target: ReplyTarget = (await joinedThread(deps, source)) ?? (await deps.store.getReplyTarget(r.id)) ?? { platform: r.sourcePlatform, chatId: r.sourceChatId };
  const ordinal = at + 1;
  // Under the filing lock, as intake files: the code's sequence number is read and used without another filer between.
  const write = async (): Promise<RecordView> => {
    const now = deps.clock.now();
    const year = shanghaiDate(now).year;
    const counter = counterName(deps.settings.codePrefix, year);
    const seq = await deps.store.nextSequence(counter);
    const code = formatRecordCode(deps.settings.codePrefix, year, seq);
    const record: Omit<NewRecord, 'text'> = {
      id: deps.ids.next('rec'), code, counter: { name: counter, value: seq }, classification,
      status: known ? 'registered' : 'awaiting_info', townCode: known ? decision.townCode : null, townAssumed: known && decision.assumed,
      place: known ? decision.place : null, placeEvidence: decision.evidence, textMasked: words, fingerprint: fingerprint(words),
      dueAt: defaultDueAt(now, classification.urgency, classification.categoryCode), filedBy: source.senderId, filedByName: source.senderName,
      sourcePlatform: target.platform, sourceChatId: target.chatId, sourceMessageId: target.messageId ?? null, replyTarget: target,
    };
    const events: { from: NewEvent; created: NewEvent } = {
      // Derived from the source: a second split of the same report fails as a whole instead of filing it twice.
      from: { id: `evt_split_${source.id}`, type: 'split', actorId: actor.id, actorName: actor.name, from: null, to: null, note: `第 ${ordinal} 条反映另行登记为 ${code}` },
      created: { id: deps.ids.next('evt'), type: 'created', actorId: actor.id, actorName: actor.name, from: null, to: record.status, note: `从 ${r.code} 拆出；${classification.rationale}` },
    };
    const townName = known ? (deps.district.towns.find((t) => t.code === decision.townCode)?.name ?? null) : null;
    const where = townName ? `${townName}${record.place ? ` · ${record.place}` : ''}` : `镇街待确认，请回复「更正 ${code} 镇街 <镇街>」`;
    const text = `${formatShanghai(source.at).slice(5)} 反映的「${classification.summary}」原并入 ${r.code}，经工作人员核实是另一问题，已单独登记为 ${code}（${classification.categoryName}，${where}，${statusLabel(record.status)}）。后续进展会在这里告知。`;
    const effects = replyEffects(deps, { key: `${record.id}:split`, target, inboundId: source.inboundMessageId, recordId: record.id, payload: { kind: 'text', text } });
    return deps.store.splitSource(r.id, source.id, record, events, effects, now);
  };
  const filed = deps.filing ? await deps.filing.run(write) : await write();
  return { record: filed, ordinal };
}
