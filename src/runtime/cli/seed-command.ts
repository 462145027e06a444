import { z } from 'zod';
import { findTown } from '../../core/place-decision.js';
import type { Town } from '../../core/gazetteer.js';
import type { Platform } from '../../core/types.js';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { err, out, readInputFile } from './io.js';

const townRef = z.string().min(1).nullable().optional();

/** The office's own data: who is who, which chats are liaison groups, what local names mean. */
export const officeDataSchema = z.object({
  people: z.array(z.object({
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    role: z.enum(['member', 'staff', 'admin']),
    town: townRef,
    feishu: z.string().min(1).optional(),
    dingtalk: z.string().min(1).optional(),
    http: z.string().min(1).optional(),
  })).default([]),
  chats: z.array(z.object({
    platform: z.enum(['feishu', 'dingtalk', 'http']),
    id: z.string().min(1),
    name: z.string().min(1),
    role: z.enum(['liaison', 'office', 'staff', 'other']),
    town: townRef,
  })).default([]),
  aliases: z.array(z.object({ alias: z.string().min(2), town: z.string().min(1), place: z.string().optional() })).default([]),
  /** 民主党派 paired with a 镇街 for 智力支持型 微协商. */
  pairings: z.array(z.object({ town: z.string().min(1), party: z.string().min(1), expertise: z.string().optional() })).optional(),
});

export type OfficeData = z.infer<typeof officeDataSchema>;

/** The word 添加工作人员 uses for a district-wide person; in the file, as an omitted town, it means no 镇街. */
const DISTRICT_WIDE = '全区';

/** A position in the file as one writes it in JSON: `people[2].role` (arrays count from 0). */
function position(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(file)';
}

/** Every problem of the file is collected, so one run names them all rather than one per attempt. */
type Problems = string[];

function townCode(towns: Town[], ref: string | null | undefined, where: string, problems: Problems): string | null {
  if (!ref || ref === DISTRICT_WIDE) return null;
  const t = findTown(towns, ref);
  if (!t) problems.push(`${where}.town: unknown town "${ref}"`);
  return t?.code ?? null;
}

/** Platform ids are stored prefixed ("feishu:ou_…"), as every channel normalises them. */
function prefixed(platform: Platform, id: string): string {
  return id.startsWith(`${platform}:`) ? id : `${platform}:${id}`;
}

/**
 * A person without an `id` is keyed by name, so two entries with one key would become one person with the
 * last one's town and both people's accounts: refused, the office tells them apart with an `id`.
 */
function checkDistinctPeople(people: OfficeData['people'], problems: Problems): void {
  const first = new Map<string, number>();
  people.forEach((p, i) => {
    const key = p.id ?? `person:${p.name}`;
    const j = first.get(key);
    if (j === undefined) return void first.set(key, i);
    problems.push(people[j]!.id === undefined && p.id === undefined
      ? `people[${j}] and people[${i}] are both named "${p.name}"; give each an "id" to tell them apart`
      : `people[${j}] and people[${i}] have the same id "${key}"`);
  });
}

/** Every town reference of the file, resolved before anything is written: one bad entry changes nothing. */
function resolveTowns(data: OfficeData, towns: Town[], problems: Problems) {
  const townOf = (ref: string | null | undefined, where: string) => townCode(towns, ref, where, problems);
  // An alias or a pairing is about one 镇街: 全区 names none.
  const requiredTown = (ref: string, where: string) => {
    if (ref === DISTRICT_WIDE) problems.push(`${where}.town: needs one 镇街, not ${DISTRICT_WIDE}`);
    return townOf(ref, where) ?? '';
  };
  // A member speaks for one 镇街 (添加委员 needs one too); only staff and admins may be district-wide.
  data.people.forEach((p, i) => {
    if (p.role === 'member' && p.town === DISTRICT_WIDE) problems.push(`people[${i}].town: a member belongs to one 镇街, not ${DISTRICT_WIDE}`);
  });
  return {
    people: data.people.map((p, i) => ({
      id: p.id ?? `person:${p.name}`, name: p.name, role: p.role, townCode: townOf(p.town, `people[${i}]`),
      identities: (['feishu', 'dingtalk', 'http'] as const).flatMap((pl) => (p[pl] ? [{ platform: pl, externalId: prefixed(pl, p[pl]!) }] : [])),
    })),
    chats: data.chats.map((c, i) => {
      const externalId = prefixed(c.platform, c.id);
      return { id: externalId, platform: c.platform, externalId, name: c.name, role: c.role, townCode: townOf(c.town, `chats[${i}]`) };
    }),
    aliases: data.aliases.map((a, i) => ({ alias: a.alias, townCode: requiredTown(a.town, `aliases[${i}]`), ...(a.place ? { placeName: a.place } : {}) })),
    pairings: (data.pairings ?? []).map((p, i) => ({ townCode: requiredTown(p.town, `pairings[${i}]`), party: p.party, expertise: p.expertise ?? null })),
  };
}

/** Nothing of a file with a problem is imported; each problem on its own line, on stderr. */
function refuse(file: string, problems: Problems): number {
  for (const p of problems) err(`${file}: ${p}`);
  err(`${file}: ${problems.length} problem(s), nothing imported (positions count from 0: people[0] is the first entry)`);
  return 1;
}

/** `minyi seed [file.json]`: seeds the district (always) and imports people, chats and aliases. */
export async function seedCommand(config: Config, file: string | undefined): Promise<number> {
  const runtime = await buildNodeRuntime(config, jsonLogger('warn'), { worker: false });
  try {
    const { towns } = runtime.deps.district;
    out(`district ${runtime.deps.district.name} (${config.DISTRICT_CODE}): ${towns.length} towns, ${runtime.deps.district.places.length} 社区/村`);
    if (!file) return 0;
    let json: unknown;
    try {
      json = JSON.parse(readInputFile(file));
    } catch (error) {
      err(error instanceof SyntaxError ? `${file}: not valid JSON: ${error.message}` : (error as Error).message);
      return 1;
    }
    const parsed = officeDataSchema.safeParse(json);
    if (!parsed.success) return refuse(file, parsed.error.issues.map((issue) => `${position(issue.path)}: ${issue.message}`));
    const data = parsed.data;
    const problems: Problems = [];
    checkDistinctPeople(data.people, problems);
    const resolved = resolveTowns(data, towns, problems);
    if (problems.length) return refuse(file, problems);
    const { people, chats, aliases, pairings } = resolved;
    const now = Date.now();
    for (const person of people) await runtime.deps.store.upsertPerson(person, now);
    for (const chat of chats) await runtime.deps.store.upsertChat(chat, now);
    await runtime.reference.addAliases(aliases);
    for (const p of pairings) await runtime.deps.outputs?.upsertPairing(p.townCode, p.party, p.expertise, now);
    out(`imported ${data.people.length} people, ${data.chats.length} chats, ${data.aliases.length} aliases, ${data.pairings?.length ?? 0} pairings`);
    return 0;
  } finally {
    await runtime.close();
  }
}
