import { BotError } from '../core/errors.js';
import type { OutputsRepo } from '../core/outputs-ports.js';
import type { NewEvent } from '../core/ports.js';
import { categoryLabel, departmentsFor, LOCAL_TOWN_DEPARTMENT } from '../core/taxonomy.js';
import type { AppDeps } from './deps.js';
import type { Actor } from './record-actions.js';

export function outputsOf(deps: AppDeps): OutputsRepo {
  if (!deps.outputs) throw new BotError('config_invalid', 'outputs store is not wired (AppDeps.outputs)');
  return deps.outputs;
}

/** Staff and admins only; returns the town they are limited to (null: district-wide). */
export function requireStaff(actor: Actor, what: string): string | null {
  const p = actor.person;
  if (!p || p.role === 'member') throw new BotError('forbidden', `${what}仅限工作人员使用`);
  return p.role === 'admin' ? null : p.townCode;
}

export function assertTownScope(scope: string | null, townCode: string | null, deps: AppDeps): void {
  if (scope !== null && townCode !== scope) {
    throw new BotError('forbidden', `您负责的是${townName(deps, scope)}，不能处理${townCode ? townName(deps, townCode) : '未确定镇街'}的事项`);
  }
}

export function townName(deps: AppDeps, code: string | null): string {
  if (!code) return deps.district.name;
  return deps.district.towns.find((t) => t.code === code)?.name ?? code;
}

/** Departments for a category, with 属地镇街 replaced by the town's own name. */
export function departments(deps: AppDeps, categoryCode: string, townCode: string | null): string[] {
  const list = deps.taxonomy.byCode.has(categoryCode) ? departmentsFor(deps.taxonomy, categoryCode) : [];
  return list.map((d) => (d === LOCAL_TOWN_DEPARTMENT ? townName(deps, townCode) : d));
}

export function labelOf(deps: AppDeps, categoryCode: string, fallback: string): string {
  return deps.taxonomy.byCode.has(categoryCode) ? categoryLabel(deps.taxonomy, categoryCode) : fallback;
}

export function outputEvent(deps: AppDeps, actor: { id: string; name: string | null }, type: string, from: string | null, to: string | null, note: string | null): NewEvent {
  return { id: deps.ids.next('evt'), type, actorId: actor.id, actorName: actor.name, from, to, note };
}

export const SYSTEM_ACTOR = { id: 'system', name: '民意助手' };
