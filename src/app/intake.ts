import { actorName } from '../core/actor-name.js';
import { findDuplicate, isResend } from '../core/dedupe.js';
import { townPlaceWords } from '../core/district.js';
import { defaultDueAt } from '../core/due-dates.js';
import { maskPersonalData } from '../core/masking.js';
import type { District, PlaceMatch } from '../core/gazetteer.js';
import { isStaff } from '../core/permissions.js';
import { decidePlace, findTown, namedPlaceIn, type PlaceDecision } from '../core/place-decision.js';
import type { NewEvent } from '../core/ports.js';
import { maskResidentNames, residentNames, residentWords } from '../core/resident-words.js';
import { counterName, formatRecordCode } from '../core/record-code.js';
import { recordViewOf } from '../core/record-view.js';
import type { OutgoingReply, SimilarHint } from '../core/replies.js';
import { fingerprint } from '../core/similarity.js';
import { statusLabel } from '../core/status.js';
import { shanghaiDate } from '../core/time.js';
import type { Classification, InboundMessage, Person } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { replyEffects } from './reply-effects.js';
import { townButtons, townQuestion, townshipCodes } from './town-question.js';

export interface IntakeItem {
  index: number;
  text: string;
}

export type IntakeOutcome =
  | { item: number; action: 'filed'; code: string; status: string; relatedReports: number }
  | { item: number; action: 'joined'; code: string; similarity: number; relatedReports: number }
  /** The sender's own earlier report again: answered, not counted (no source, no 反映人次, no cluster). */
  | { item: number; action: 'repeated'; code: string; relatedReports: 0 };

/** Most recent open records of a town compared per item; older ones are rarely repeated word for word. */
const DEDUPE_CANDIDATES = 300;

/**
 * The residents' words of `text` (a bundle's `name time：` headers off, see core/resident-words.ts): as
 * written, for the gazetteer; with the bundle's residents' names masked, for the classifier (an LLM prompt
 * and the summary it writes never see them); and masked as the record stores them. A display name that
 * reads as a place (「上头亭」) is left alone: masking it would hide where the problem is.
 */
export function residentText(deps: AppDeps, msg: InboundMessage, text: string): { words: string; unnamed: string; masked: string } {
  const words = residentWords(msg, text);
  const names = residentNames(msg).filter((n) => deps.resolvePlace(n).evidence.length === 0);
  const unnamed = maskResidentNames(words, names);
  return { words, unnamed, masked: maskPersonalData(unnamed).text };
}

/** Files one item: classify, place, dedupe, then either a new record or a "+1" on an open one. */
export async function intakeItem(deps: AppDeps, inboundId: string, msg: InboundMessage, sender: Person | null, item: IntakeItem): Promise<IntakeOutcome> {
  const { words, unnamed, masked } = residentText(deps, msg, item.text);
  const classification = await deps.classifier.classify({ text: unnamed, masked });
  const explicitTown = findTown(deps.district.towns, msg.townHint);
  const match = withLlmTown(deps.district, words, deps.resolvePlace(words), explicitTown === null ? classification : null);
  const decision = decidePlace(match, explicitTown, sender?.townCode ?? null);
  const placed: Placed = { inboundId, msg, sender, item, masked, classification, decision };
  return deps.filing ? deps.filing.run(() => fileItem(deps, placed)) : fileItem(deps, placed);
}

interface Placed {
  inboundId: string;
  msg: InboundMessage;
  sender: Person | null;
  item: IntakeItem;
  masked: string;
  classification: Classification;
  decision: PlaceDecision;
}

/** Dedupe, then a record or a "+1": nothing here waits for the outside world, so the filing lock is short. */
async function fileItem(deps: AppDeps, { inboundId, msg, sender, item, masked, classification, decision }: Placed): Promise<IntakeOutcome> {
  const now = deps.clock.now();
  const fp = fingerprint(masked);
  const actor = { actorId: msg.senderId, actorName: actorName(sender, msg.senderName) };
  const source = {
    id: deps.ids.next('src'), inboundMessageId: inboundId, itemIndex: item.index, senderId: msg.senderId,
    senderName: actor.actorName, excerpt: item.text, excerptMasked: masked,
  };

  let similar: SimilarHint[] = [];
  let relatedReports = 0;
  if (decision.kind === 'known') {
    const since = now - deps.settings.dedupeWindowDays * 86_400_000;
    const candidates = await deps.store.findDedupeCandidates(decision.townCode, since, DEDUPE_CANDIDATES);
    const dup = findDuplicate(fp, candidates, deps.settings.dedupeThreshold, {
      categoryCode: classification.categoryCode, place: decision.place, placeNamed: !decision.assumed, text: masked, placeWords: () => [...decision.evidence, ...townPlaceWords(deps.district, decision.townCode)],
    });
    relatedReports = dup.relatedReports;
    if (dup.match) {
      const code = dup.match.candidate.code;
      const event: NewEvent = { id: deps.ids.next('evt'), type: 'plus_one', ...actor, from: null, to: null, note: `同一问题再次反映（相似度 ${dup.match.score.toFixed(2)}）` };
      const before = await deps.store.getRecord(dup.match.candidate.id);
      if (!before) throw new Error(`dedupe candidate ${code} disappeared`);
      if (isResend(msg.senderId, masked, await deps.store.recordSources(before.id))) {
        const repeated: OutgoingReply = {
          kind: 'text', title: `已在 ${code} 中`,
          text: [`这条与你此前反映的 ${code} 相同，已在记录中，不重复计数。`, `状态：${statusLabel(before.status)}`, `摘要：${before.summary}`].join('\n'),
        };
        await deps.store.writeEffects(replyEffects(deps, { key: `${inboundId}:${item.index}:repeated`, target: msg.reply, inboundId, recordId: before.id, payload: repeated }), now);
        return { item: item.index, action: 'repeated', code, relatedReports: 0 };
      }
      const joined: OutgoingReply = { kind: 'joined', record: { ...before, affectedCount: before.affectedCount + 1 }, similarity: dup.match.score };
      await deps.store.addSource(dup.match.candidate.id, source, event, replyEffects(deps, { key: `${inboundId}:${item.index}:joined`, target: msg.reply, inboundId, recordId: before.id, payload: joined }), now);
      return { item: item.index, action: 'joined', code, similarity: dup.match.score, relatedReports };
    }
    // Staff see what the similar records are about; a member sees only their codes: those may be other members' reports.
    similar = dup.similar.map((s) => ({ code: s.candidate.code, summary: isStaff(sender) ? s.candidate.summary : null }));
  }

  const year = shanghaiDate(now).year;
  const counter = counterName(deps.settings.codePrefix, year);
  const seq = await deps.store.nextSequence(counter);
  const code = formatRecordCode(deps.settings.codePrefix, year, seq);
  const known = decision.kind === 'known';
  const record = {
    id: deps.ids.next('rec'), code, counter: { name: counter, value: seq }, classification,
    status: known ? ('registered' as const) : ('awaiting_info' as const),
    townCode: known ? decision.townCode : null, townAssumed: known && decision.assumed,
    place: known ? decision.place : null, placeEvidence: decision.evidence, text: item.text, textMasked: masked,
    fingerprint: fp, dueAt: defaultDueAt(now, classification.urgency, classification.categoryCode), filedBy: msg.senderId,
    filedByName: actor.actorName, sourcePlatform: msg.platform, sourceChatId: msg.chatId,
    sourceMessageId: msg.reply.messageId ?? null, replyTarget: msg.reply,
  };
  const townName = known ? (deps.district.towns.find((t) => t.code === decision.townCode)?.name ?? null) : null;
  const view = recordViewOf(record, townName, now);
  const reply: OutgoingReply = known
    ? {
        kind: 'receipt', record: view, similar,
        categoryChoices: classification.alternatives.slice(0, 2).map((a) => ({ label: a.name, value: { action: 'set_category', record: record.id, category: a.code } })),
        townChoices: decision.assumed ? townButtons(deps, record, decision.among ?? townshipCodes(deps)) : [],
      }
    : townQuestion(deps, record, decision.candidates);
  const event: NewEvent = { id: deps.ids.next('evt'), type: 'created', ...actor, from: null, to: record.status, note: classification.rationale };
  await deps.store.fileRecord(record, source, event, replyEffects(deps, { key: `${inboundId}:${item.index}:${reply.kind}`, target: msg.reply, inboundId, recordId: record.id, payload: reply }), now);
  return { item: item.index, action: 'filed', code, status: record.status, relatedReports };
}

/**
 * Pipeline step 5: the gazetteer's match; when it found several towns, the LLM may pick one of them; else
 * what decidePlace does next. A town the LLM names with no place word in the text behind it is a guess (or
 * the resident's text steering it), so it is not taken: the member's own town, marked assumed, or a question.
 * Its 社区/村 is not taken either: the place is the one the text names in full in that town, if any.
 */
function withLlmTown(district: District, words: string, match: PlaceMatch, c: Classification | null): PlaceMatch {
  const town = c?.townCode;
  if (match.townCode || !town || !match.candidates.includes(town)) return match;
  const place = match.place ?? namedPlaceIn(district, words, town);
  return { ...match, townCode: town, townName: null, place, evidence: [...match.evidence, 'LLM 判断'], candidates: [] };
}
