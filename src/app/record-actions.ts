import { BotError } from '../core/errors.js';
import { reported } from '../core/permissions.js';
import { namedPlaceIn, placeInTown } from '../core/place-decision.js';
import type { RecordPatch } from '../core/ports.js';
import type { OutgoingReply } from '../core/replies.js';
import type { Person, RecordView, ReplyTarget } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { replyEffects } from './reply-effects.js';

export interface Actor {
  id: string;
  name: string | null;
  person: Person | null;
}

/** `place`: the 社区/村 a typed answer named along with the town (「在岑东社区」). */
export type Choice =
  | { action: 'set_town'; record: string; town: string; place?: string | null }
  | { action: 'set_category'; record: string; category: string };

/**
 * Staff of its town and admins may correct a record's place and category; the member who filed it only until
 * staff take it up (已登记 or 待补充): moved to another town later, it would leave the hands of the staff
 * working on it.
 */
export function mayCorrect(actor: Actor, r: RecordView): boolean {
  const p = actor.person;
  if (p && p.role !== 'member' && (p.role === 'admin' || p.townCode === null || p.townCode === r.townCode)) return true;
  return r.filedBy === actor.id && (r.status === 'registered' || r.status === 'awaiting_info');
}

/**
 * Why `actor` may not correct `r`. A member whose report joined it as "+1" is one of its 反映人 too, but the
 * record's place and category stay with the member who filed it and staff: several members' corrections
 * would undo each other.
 */
async function correctionRefused(deps: AppDeps, actor: Actor, r: RecordView): Promise<BotError> {
  if (r.filedBy === actor.id) return new BotError('forbidden', `${r.code} 已由工作人员办理，如需更正镇街或分类请联系负责的工作人员`);
  if (reported(actor.id, r, await deps.store.recordSources(r.id))) {
    return new BotError('forbidden', `你的反映已并入 ${r.code}（+1），镇街和分类由登记这条记录的委员或负责的工作人员更正；如有误，请告知负责的工作人员`);
  }
  return new BotError('forbidden', '只有登记这条记录的委员和负责的工作人员可以更正这条记录');
}

/**
 * Applies a correction chosen on a button or typed as an answer. Returns the updated record and posts an
 * updated receipt (or what `replyFor` says) to `target` (keyed by the event, so a repeated click posts nothing new).
 */
export async function applyChoice(
  deps: AppDeps,
  actor: Actor,
  choice: Choice,
  target: ReplyTarget | null,
  /** The chat message that made the choice, so its replies can be read back (GET /api/messages/:id). */
  inboundId: string | null = null,
  replyFor: (updated: RecordView, before: RecordView) => OutgoingReply = (updated) => ({ kind: 'receipt', record: updated, similar: [], categoryChoices: [], townChoices: [] }),
): Promise<RecordView> {
  const r = await deps.store.getRecord(choice.record);
  if (!r) throw new BotError('not_found', `没有找到记录 ${choice.record}`);
  if (!mayCorrect(actor, r)) throw await correctionRefused(deps, actor, r);
  const now = deps.clock.now();
  let patch: RecordPatch;
  let from: string | null;
  let to: string;
  let type: string;
  let note: string | null = null;
  if (choice.action === 'set_town') {
    const town = deps.district.towns.find((t) => t.code === choice.town);
    if (!town) throw new BotError('bad_request', `未知镇街 ${choice.town}`);
    const place = choice.place ?? r.place ?? namedPlaceIn(deps.district, r.textMasked, town.code);
    if (r.townCode === town.code && !r.townAssumed && place === r.place) return r;
    // A 社区/村 of the old town would read as lying in the new one (灌口镇 · 岑西社区): it goes with the old town.
    const keepPlace = place !== null && placeInTown(deps.district, place, town.code);
    if (r.place && !keepPlace) note = `原社区/村「${r.place}」不属于${town.name}，已清除`;
    else if (keepPlace && place !== r.place) note = `社区/村：${place}`;
    patch = {
      townCode: town.code, townAssumed: false, place: keepPlace ? place : null,
      ...(r.status === 'awaiting_info' ? { status: 'registered' as const } : {}),
    };
    from = r.townName;
    to = town.name;
    type = 'town';
  } else {
    const cat = deps.taxonomy.byCode.get(choice.category);
    if (!cat) throw new BotError('bad_request', `未知分类 ${choice.category}`);
    if (r.categoryCode === cat.code) return r;
    patch = { categoryCode: cat.code, categoryName: cat.name, categorySource: 'staff' };
    from = r.categoryName;
    to = cat.name;
    type = 'category';
  }
  const eventId = deps.ids.next('evt');
  const townName = choice.action === 'set_town' ? (deps.district.towns.find((t) => t.code === choice.town)?.name ?? null) : r.townName;
  const updated: RecordView = { ...r, ...patch, townName, updatedAt: now } as RecordView;
  const payload = replyFor(updated, r);
  const effects = target
    ? replyEffects(deps, { key: inboundId ? `${inboundId}:receipt` : `${r.id}:${eventId}:receipt`, target, inboundId, recordId: r.id, payload })
    : { replies: [], jobs: [] };
  const event = { id: eventId, type, actorId: actor.id, actorName: actor.name, from, to, note };
  // A record that waited for its town is registered by the answer: 查询's history shows that step too.
  const registered = patch.status === 'registered'
    ? [{ ...event, id: deps.ids.next('evt'), type: 'status', from: r.status, to: 'registered', note: null }]
    : [];
  return deps.store.changeRecord(r.id, patch, [event, ...registered], effects, now);
}
