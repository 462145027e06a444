import { actorName } from '../core/actor-name.js';
import { isBundle } from '../core/message-text.js';
import { maskPersonalData } from '../core/masking.js';
import { maySee } from '../core/permissions.js';
import type { InboundRow } from '../core/ports.js';
import type { InboundMessage, Person, RecordView } from '../core/types.js';
import type { AppDeps } from './deps.js';
import { replyEffects } from './reply-effects.js';

/**
 * Members forward a bundle (合并转发) and then type a line of their own ("这是岑东社区的，第三次反映了").
 * Within this window, same chat and same sender, that line is a note on the bundle's record, not a new item.
 */
export const NOTE_WINDOW_MS = 10_000;
/** A note is a line or two; a long message is a resident's problem forwarded on its own. */
const NOTE_MAX_CHARS = 200;

/** Attaches a member's note to the record their bundle just filed; false when it is not such a note. */
export async function attachNoteToBundle(deps: AppDeps, row: InboundRow, msg: InboundMessage, sender: Person | null): Promise<boolean> {
  if (isBundle(msg) || !msg.text.trim() || msg.text.length > NOTE_MAX_CHARS) return false;
  const prev = await deps.store.previousInbound(row.platform, row.chatId, row.senderId, row.receivedAt, row.receivedAt - NOTE_WINDOW_MS);
  // A bundle still in flight (e.g. its fetch is being retried) cannot take the note; the note is then filed on its own.
  return noteOnBundleRecord(deps, row, msg, sender, prev);
}

/**
 * A reply to a bundle the bot has already filed (Feishu carries the quoted bundle with it): the member's words
 * are a note on that record, not the bundle again, which would count its residents twice as a "+1". A reply to
 * a bundle the bot never saw (forwarded in a group without @bot) is how such a bundle gets filed: false.
 */
export async function attachReplyToFiledBundle(deps: AppDeps, row: InboundRow, msg: InboundMessage, sender: Person | null): Promise<boolean> {
  if (!msg.quotes) return false;
  // Filed as itself (sent to the bot directly), or through an earlier reply quoting it (a group's @bot reply).
  const own = await deps.store.inboundByKey(row.platform, msg.quotes);
  const bundle = isFiledBundle(own) ? own : await deps.store.quotedBundleFiler(row.platform, msg.quotes);
  return noteOnBundleRecord(deps, row, msg, sender, bundle);
}

/** After a reply filed the bundle it quotes: later replies quoting it find its records (attachReplyToFiledBundle). */
export async function rememberFiledQuote(deps: AppDeps, row: InboundRow, msg: InboundMessage): Promise<void> {
  if (msg.quotes && isBundle(msg)) await deps.store.rememberQuotedBundle(row.platform, msg.quotes, row.id, deps.clock.now());
}

type BundleRow = Pick<InboundRow, 'id' | 'state' | 'outcome'>;

function isFiledBundle(m: BundleRow | null): m is BundleRow {
  return m !== null && m.state === 'done' && m.outcome?.bundle === true;
}

/**
 * As for a reply to a receipt (receipt-note.ts): only the member who forwarded the bundle, or someone who may see
 * its record, adds a note to it or is told where it is filed. Anyone else's reply in the group is their own
 * message, as if they had forwarded the bundle with those words: a note would tell them the record's code and
 * summary and let them write into a record they may not read.
 */
async function noteOnBundleRecord(deps: AppDeps, row: InboundRow, msg: InboundMessage, sender: Person | null, bundle: BundleRow | null): Promise<boolean> {
  if (!isFiledBundle(bundle)) return false;
  const record = await noteRecord(deps, bundle.id, msg.text);
  if (!record) return false;
  const forwarder = (await deps.store.getInbound(bundle.id))?.senderId;
  if (forwarder !== msg.senderId && !maySee(msg.senderId, sender, record, await deps.store.recordSources(record.id))) return false;
  if (msg.text.trim()) return addNote(deps, row, msg, record);
  const key = `${row.id}:note`;
  if (await deps.store.getReplyByKey(key)) return true; // answered before a crash
  const text = `这组聊天记录已登记为 ${record.code}（${record.summary}）。补充说明请直接回复文字。`;
  await deps.store.writeEffects(replyEffects(deps, { key, target: msg.reply, inboundId: row.id, recordId: record.id, payload: { kind: 'text', text } }), deps.clock.now());
  return true;
}

/**
 * Which of the bundle's records a note is for: a bundle of residents at several places filed a record each
 * (bundle-items.ts), and 「溪西村那个是第三次反映了」 is about the one at 溪西村. A note that names no place of
 * theirs, or several, goes to the first; its answer names the record, so the member can reply to another's
 * receipt instead.
 */
async function noteRecord(deps: AppDeps, bundleId: string, note: string): Promise<RecordView | null> {
  const ids = [...new Set((await deps.store.sourcedItems(bundleId)).map((i) => i.recordId))];
  const records = (await Promise.all(ids.map((id) => deps.store.getRecord(id)))).filter((r): r is RecordView => r !== null);
  if (records.length <= 1 || !note.trim()) return records[0] ?? null;
  const { townCode, place } = deps.resolvePlace(note);
  const matching = townCode === null ? [] : records.filter((r) => r.townCode === townCode && (place === null || r.place === place));
  return matching.length === 1 ? matching[0]! : records[0]!;
}

/** The member's words become a note event on the record, and the member is told which record took them. */
export async function addNote(deps: AppDeps, row: InboundRow, msg: InboundMessage, record: RecordView): Promise<true> {
  const key = `${row.id}:note`;
  if (await deps.store.getReplyByKey(key)) return true; // attached before a crash
  const sender = await deps.store.findPerson(msg.platform, msg.senderId);
  const text = `已将补充说明记入 ${record.code}（${record.summary}）。`;
  await deps.store.changeRecord(
    record.id,
    {},
    { id: deps.ids.next('evt'), type: 'note', actorId: msg.senderId, actorName: actorName(sender, msg.senderName), from: null, to: null, note: maskPersonalData(msg.text.trim()).text },
    replyEffects(deps, { key, target: msg.reply, inboundId: row.id, recordId: record.id, payload: { kind: 'text', text } }),
    deps.clock.now(),
  );
  return true;
}
