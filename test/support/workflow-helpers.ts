import type { PersonInput } from '../../src/core/ports.js';
import type { RecordEvent, RecordView, Role } from '../../src/core/types.js';
import { FixedClock, type TestServer } from './runtime.js';

/** 2026-05-13 10:00 Asia/Shanghai, a Wednesday: the week runs Mon 05-11 … Sun 05-17. */
export const WED_10AM = Date.UTC(2026, 4, 13, 2, 0, 0);
export const DAY = 86_400_000;
export const JIMEI = '350211001';
export const GUANKOU = '350211102';

export interface Said {
  id: string;
  state: string;
  outcome: { action?: string; items?: Array<{ code: string; action: string }> } | null;
  replies: Array<{ kind: string; text: string; payload: Record<string, unknown> }>;
}

/** Registers a person whose generic-API sender id is `sender` (stored as http:<sender>). */
export async function addPerson(s: TestServer, sender: string, name: string, role: Role, townCode: string | null): Promise<void> {
  const p: PersonInput = { id: `p_${sender}`, name, role, townCode, identities: [{ platform: 'http', externalId: `http:${sender}` }] };
  await s.deps.store.upsertPerson(p, s.deps.clock.now());
}

/** Sends a message as `sender` (1:1 unless `chat` is given) and returns the message with the bot's replies. */
export async function say(s: TestServer, sender: string, text: string, extra: { chat?: string; town?: string; name?: string } = {}): Promise<Said> {
  const body = { text, sender: { id: sender, ...(extra.name ? { name: extra.name } : {}) }, ...(extra.chat ? { chat: { id: extra.chat } } : {}), ...(extra.town ? { town: extra.town } : {}) };
  // Messages arrive over time; replies are listed in time order, so each one gets its own second.
  if (s.deps.clock instanceof FixedClock) s.deps.clock.advance(1000);
  const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`POST /api/messages → ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  await s.settle();
  return message(s, id);
}

export async function message(s: TestServer, id: string): Promise<Said> {
  return (await (await s.api(`/api/messages/${id}`)).json()) as Said;
}

/** The text of the bot's (only) answer to a command. */
export async function ask(s: TestServer, sender: string, text: string, chat?: string): Promise<string> {
  const m = await say(s, sender, text, chat ? { chat } : {});
  if (m.replies.length !== 1) throw new Error(`expected one reply to 「${text}」, got ${m.replies.length}`);
  return m.replies[0]!.text;
}

/** Files one record as a member and returns its code and the id of the message it came from. */
export async function file(s: TestServer, sender: string, text: string, town: string): Promise<{ code: string; messageId: string }> {
  const m = await say(s, sender, text, { town });
  const item = m.outcome?.items?.[0];
  if (!item || item.action !== 'filed') throw new Error(`not filed: ${JSON.stringify(m.outcome)}`);
  return { code: item.code, messageId: m.id };
}

export async function record(s: TestServer, code: string): Promise<RecordView> {
  const r = await s.deps.store.getRecord(code);
  if (!r) throw new Error(`no record ${code}`);
  return r;
}

export async function events(s: TestServer, code: string): Promise<RecordEvent[]> {
  return s.deps.store.recordEvents((await record(s, code)).id);
}

/**
 * One of each role around a 集美街道 record, for role × command matrices: its filer, another member of the
 * town, staff of another town, the town's staff, district staff, an admin, and a stranger nobody registered.
 */
export const ROLE_CAST = {
  filer: 'm1',
  member: 'm2',
  otherTownStaff: 's-gk',
  townStaff: 's-jm',
  districtStaff: 's-dist',
  admin: 'a1',
  unknown: 'stranger',
} as const;
export type CastRole = keyof typeof ROLE_CAST;
export const CAST_ROLES = Object.keys(ROLE_CAST) as CastRole[];

/** Registers everyone in ROLE_CAST except the stranger. */
export async function addRoleCast(s: TestServer): Promise<void> {
  await addPerson(s, 'm1', '陈委员', 'member', JIMEI);
  await addPerson(s, 'm2', '林委员', 'member', JIMEI);
  await addPerson(s, 's-gk', '灌口小李', 'staff', GUANKOU);
  await addPerson(s, 's-jm', '集美小王', 'staff', JIMEI);
  await addPerson(s, 's-dist', '区政协小周', 'staff', null);
  await addPerson(s, 'a1', '管理员老郑', 'admin', null);
}

/** Posts a message as `sender` and returns its id once accepted, without waiting for it to be processed. */
export async function post(s: TestServer, text: string, sender: string): Promise<string> {
  const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text, sender: { id: sender } }) });
  if (res.status !== 202) throw new Error(`POST /api/messages → ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** The records a message filed or joined, in item order. */
export async function recordsOfMessage(s: TestServer, inboundId: string): Promise<RecordView[]> {
  const out: RecordView[] = [];
  for (const i of await s.deps.store.sourcedItems(inboundId)) out.push(await record(s, i.recordId));
  return out;
}
