import { BotError } from '../../core/errors.js';
import type { ProposedChange } from '../../core/pending-action.js';
import { mayManagePeople } from '../../core/permissions.js';
import { findTown } from '../../core/place-decision.js';
import type { OutgoingReply } from '../../core/replies.js';
import type { Role } from '../../core/types.js';
import type { AppDeps } from '../deps.js';
import { type ChatContext, propose } from '../pending.js';
import type { Actor } from '../record-actions.js';

const ROLE_LABELS: Record<Role, string> = { member: '委员', staff: '工作人员', admin: '管理员' };
const BIND_TTL_MS = 7 * 86_400_000;

/** No 0/O, 1/I/L: read aloud or copied by hand, a code must survive. */
const BIND_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * 8 characters of 31 (≈ 8.5 × 10¹¹): at the chat's own flood limit a guesser needs millions of years per code.
 * Six digits could be guessed within a code's seven days.
 */
function bindCode(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(8)), (n) => BIND_ALPHABET[n % BIND_ALPHABET.length]).join('');
}

function townLabel(deps: AppDeps, townCode: string | null): string {
  return townCode ? (deps.district.towns.find((t) => t.code === townCode)?.name ?? townCode) : '全区';
}

export async function proposeAddPerson(deps: AppDeps, ctx: ChatContext, role: Role, name: string, town: string | null): Promise<OutgoingReply> {
  if (!mayManagePeople(ctx.actor.person)) throw new BotError('forbidden', '只有管理员可以添加人员');
  const t = town ? findTown(deps.district.towns, town) : null;
  if (town && !t) throw new BotError('bad_request', `未知镇街「${town}」`);
  const change: ProposedChange = { kind: 'add_person', name, role, townCode: t?.code ?? null };
  // Often the same person added twice (a new town, a second account): say so before a second one is made.
  const namesakes = (await deps.store.listPeople()).filter((p) => p.name === name);
  const warning = namesakes.length
    ? [`注意：已有同名人员 ${namesakes.map((p) => `${p.name}（${ROLE_LABELS[p.role]}，${townLabel(deps, p.townCode)}，${p.identities.length ? '已绑定' : '未绑定'}）`).join('、')}。确认后将另外新增一人；如是同一人，请取消。`]
    : [];
  return propose(deps, ctx, change, `添加${ROLE_LABELS[role]} ${name}`, [`姓名：${name}`, `角色：${ROLE_LABELS[role]}`, `镇街：${townLabel(deps, change.townCode)}`, ...warning]);
}

/** Creates the person and a one-time code the person sends the bot to bind their chat account. */
export async function addPerson(deps: AppDeps, actor: Actor, c: Extract<ProposedChange, { kind: 'add_person' }>): Promise<OutgoingReply> {
  const now = deps.clock.now();
  const id = deps.ids.next('psn');
  await deps.store.upsertPerson({ id, name: c.name, role: c.role, townCode: c.townCode, identities: [] }, now);
  const code = bindCode();
  await deps.store.createBindCode(code, id, actor.id, now + BIND_TTL_MS);
  deps.log.info('person.added', { id, role: c.role, by: actor.id });
  return {
    kind: 'text',
    title: `已添加${ROLE_LABELS[c.role]} ${c.name}（${townLabel(deps, c.townCode)}）`,
    text: `请把绑定码 ${code} 交给本人：在飞书或钉钉里给我发送「绑定 ${code}」即可关联账号（7 天内有效，只能用一次）。`,
  };
}

export async function bindReply(deps: AppDeps, ctx: ChatContext, code: string): Promise<OutgoingReply> {
  const person = await deps.store.useBindCode(code, { platform: ctx.platform, externalId: ctx.actor.id }, deps.clock.now());
  if (!person) throw new BotError('not_found', '绑定码无效、已使用或已过期，请向管理员重新索取');
  const before = ctx.actor.person;
  deps.log.info('person.bound', { id: person.id, platform: ctx.platform, ...(before && before.id !== person.id ? { replaced: before.id } : {}) });
  // A new code re-links an account (a member who became staff); say so, so a surprise is noticed at once.
  const replaced = before && before.id !== person.id ? `此账号原先绑定的「${before.name}」已解除。` : '';
  return { kind: 'text', text: `绑定成功：${person.name}，${ROLE_LABELS[person.role]}，${townLabel(deps, person.townCode)}。${replaced}发送「帮助」查看可用命令。` };
}

export async function peopleReply(deps: AppDeps, ctx: ChatContext): Promise<OutgoingReply> {
  if (!mayManagePeople(ctx.actor.person)) throw new BotError('forbidden', '只有管理员可以查看人员名单');
  const people = await deps.store.listPeople();
  const lines = people.map((p) => `${p.name}｜${ROLE_LABELS[p.role]}｜${townLabel(deps, p.townCode)}｜${p.identities.length ? p.identities.map((i) => i.platform).join('、') : '未绑定'}`);
  return { kind: 'text', title: `人员名单（${people.length}）`, text: lines.join('\n') || '还没有人员' };
}
