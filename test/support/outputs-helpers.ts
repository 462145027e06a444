import type { AppDeps } from '../../src/app/deps.js';
import type { Actor } from '../../src/app/record-actions.js';
import type { Role } from '../../src/core/types.js';
import type { TestServer } from './runtime.js';

/** Files one message through POST /api/messages and waits for the worker; returns the filed/joined code. */
export async function file(s: TestServer, text: string, sender = 'm1', town?: string): Promise<string> {
  const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text, sender: { id: sender, name: `委员${sender}` }, chat: { id: `chat-${sender}` }, ...(town ? { town } : {}) }) });
  const { id } = (await res.json()) as { id: string };
  await s.settle();
  const msg = (await (await s.api(`/api/messages/${id}`)).json()) as { replies: { payload: { record?: { code: string }; recordCode?: string } }[] };
  const p = msg.replies[0]?.payload;
  const code = p?.record?.code ?? p?.recordCode;
  if (!code) throw new Error(`no record for: ${text} → ${JSON.stringify(msg)}`);
  return code;
}

export function townCode(deps: AppDeps, name: string): string {
  const t = deps.district.towns.find((x) => x.name === name);
  if (!t) throw new Error(`no town ${name}`);
  return t.code;
}

export async function person(deps: AppDeps, id: string, name: string, role: Role, town: string | null): Promise<Actor> {
  await deps.store.upsertPerson({ id, name, role, townCode: town, identities: [{ platform: 'http', externalId: `http:${id}` }] }, deps.clock.now());
  return { id: `http:${id}`, name, person: { id, name, role, townCode: town } };
}

/** 2026-06-01 is a Monday; Shanghai midnight of that day, in UTC ms. */
export const MONDAY = Date.UTC(2026, 5, 1) - 8 * 3600_000;
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
