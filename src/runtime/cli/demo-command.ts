import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskPersonalData } from '../../core/masking.js';
import { renderText } from '../../core/render-text.js';
import { statusLabel } from '../../core/status.js';
import { type Config, parseConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { DEMO_MESSAGES, DEMO_OFFICE } from './demo-messages.js';
import { acceptApiMessage } from './intake-runner.js';
import { out, pad } from './io.js';

function countBy<T>(items: T[], key: (t: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

/** `minyi demo`: the whole job on a fresh temporary database, in a minute of reading. */
export async function demoCommand(base: Config): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-demo-'));
  const config = parseConfig({ DATABASE_PATH: join(dir, 'demo.db'), DISTRICT_CODE: base.DISTRICT_CODE });
  const runtime = await buildNodeRuntime(config, silentLogger);
  const { deps } = runtime;
  try {
    const now = Date.now();
    for (const p of DEMO_OFFICE.people) {
      await deps.store.upsertPerson({ id: `person:${p.name}`, name: p.name, role: p.role, townCode: deps.district.towns.find((t) => t.name === p.town)?.code ?? null, identities: [{ platform: 'http', externalId: `http:${p.http}` }] }, now);
    }
    out(`minyi demo — ${deps.district.name}，${deps.district.towns.length} 个镇街/单位，${deps.district.places.length} 个社区/村；临时数据库 ${config.DATABASE_PATH}\n`);
    for (const [i, m] of DEMO_MESSAGES.entries()) {
      const { id } = await acceptApiMessage(deps, m);
      await runtime.worker?.drain();
      const replies = await deps.store.repliesFor(id);
      // The transcript is output like any other: masked, as the receipts below are.
      const { text } = maskPersonalData(m.text);
      out(`── 消息 ${i + 1}（${m.sender.name}）：${text.length > 40 ? `${text.slice(0, 40)}…` : text}`);
      for (const r of replies) out(renderText(r.payload).split('\n').map((l) => `   ${l}`).join('\n'));
    }
    // The bot asked where message 16 happened; the sender answers, as a member would in chat.
    const { id: answer } = await acceptApiMessage(deps, { sender: { id: 'resident-guest', name: '热心群众' }, text: '杏滨街道' });
    await runtime.worker?.drain();
    out('── 热心群众回答：杏滨街道');
    for (const r of await deps.store.repliesFor(answer)) out(renderText(r.payload).split('\n').map((l) => `   ${l}`).join('\n'));

    const { records } = await deps.store.listRecords({ limit: 500 });
    const open = records.filter((r) => !['duplicate', 'rejected'].includes(r.status));
    out('\n== 在办记录（按镇街、分类）');
    for (const [town, n] of countBy(open, (r) => r.townName ?? '待确认')) {
      out(`${pad(town, 12)} ${n} 件`);
      for (const r of open.filter((x) => (x.townName ?? '待确认') === town)) {
        out(`   ${pad(r.code, 14)} ${pad(r.categoryName, 16)} ${pad(statusLabel(r.status), 8)} ${r.affectedCount > 1 ? `×${r.affectedCount} ` : ''}${r.summary}`);
      }
    }

    // Staff run the week from the chat: the same front door, other commands.
    const staff = { id: 'staff-wang', name: '王干事' };
    const first = records.at(-1)!.code;
    for (const text of ['本周待办', `交办 ${first} 区市政园林局 7天`, '确认', '周报']) {
      const { id } = await acceptApiMessage(deps, { sender: staff, text });
      await runtime.worker?.drain();
      out(`\n── 王干事：${text}`);
      for (const r of await deps.store.repliesFor(id)) out(renderText(r.payload).split('\n').map((l) => `   ${l}`).join('\n'));
    }
    return 0;
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
