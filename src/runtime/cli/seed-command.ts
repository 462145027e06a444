import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { findTown } from '../../core/place-decision.js';
import type { Town } from '../../core/gazetteer.js';
import type { Platform } from '../../core/types.js';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { out } from './io.js';

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

function townCode(towns: Town[], ref: string | null | undefined, where: string): string | null {
  if (!ref) return null;
  const t = findTown(towns, ref);
  if (!t) throw new Error(`${where}: unknown town "${ref}"`);
  return t.code;
}

/** Platform ids are stored prefixed ("feishu:ou_…"), as every channel normalises them. */
function prefixed(platform: Platform, id: string): string {
  return id.startsWith(`${platform}:`) ? id : `${platform}:${id}`;
}

/**
 * A person without an `id` is keyed by name, so two entries with one key would become one person with the
 * last one's town and both people's accounts: refused, the office tells them apart with an `id`.
 */
function checkDistinctPeople(people: OfficeData['people']): void {
  const first = new Map<string, number>();
  people.forEach((p, i) => {
    const key = p.id ?? `person:${p.name}`;
    const j = first.get(key);
    if (j === undefined) return void first.set(key, i);
    throw new Error(people[j]!.id === undefined && p.id === undefined
      ? `people[${j}] and people[${i}] are both named "${p.name}"; give each an "id" to tell them apart`
      : `people[${j}] and people[${i}] have the same id "${key}"`);
  });
}

/** Every town reference of the file, resolved before anything is written: one bad entry changes nothing. */
function resolveTowns(data: OfficeData, towns: Town[]) {
  return {
    people: data.people.map((p, i) => ({
      id: p.id ?? `person:${p.name}`, name: p.name, role: p.role, townCode: townCode(towns, p.town, `people[${i}]`),
      identities: (['feishu', 'dingtalk', 'http'] as const).flatMap((pl) => (p[pl] ? [{ platform: pl, externalId: prefixed(pl, p[pl]!) }] : [])),
    })),
    chats: data.chats.map((c, i) => {
      const externalId = prefixed(c.platform, c.id);
      return { id: externalId, platform: c.platform, externalId, name: c.name, role: c.role, townCode: townCode(towns, c.town, `chats[${i}]`) };
    }),
    aliases: data.aliases.map((a, i) => ({ alias: a.alias, townCode: townCode(towns, a.town, `aliases[${i}]`)!, ...(a.place ? { placeName: a.place } : {}) })),
    pairings: (data.pairings ?? []).map((p, i) => ({ townCode: townCode(towns, p.town, `pairings[${i}]`)!, party: p.party, expertise: p.expertise ?? null })),
  };
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
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      out(`${file}: ${(error as Error).message}`);
      return 1;
    }
    const parsed = officeDataSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      out(`${file}: ${issue.path.join('.')}: ${issue.message}`);
      return 1;
    }
    const data = parsed.data;
    let resolved: ReturnType<typeof resolveTowns>;
    try {
      checkDistinctPeople(data.people);
      resolved = resolveTowns(data, towns);
    } catch (error) {
      out(`${file}: ${(error as Error).message}; nothing imported`);
      return 1;
    }
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
