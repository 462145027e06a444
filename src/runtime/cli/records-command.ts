import { findTown } from '../../core/place-decision.js';
import { maskDeep } from '../../http/mask-answer.js';
import { statusLabel } from '../../core/status.js';
import { formatShanghai } from '../../core/time.js';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { limitOption, out, pad, statusesOption, UsageError } from './io.js';

/** `minyi records [--status s] [--town t] [--limit n]`: a quick look at the ledger. */
export async function recordsCommand(config: Config, opts: { status?: string; town?: string; limit?: string; json?: boolean }): Promise<number> {
  const status = statusesOption(opts.status);
  const limit = limitOption(opts.limit, 50, 500);
  const runtime = await buildNodeRuntime(config, jsonLogger('warn'), { worker: false });
  try {
    const town = opts.town ? findTown(runtime.deps.district.towns, opts.town) : null;
    if (opts.town && !town) throw new UsageError(`unknown town: ${opts.town}`);
    const { records } = await runtime.deps.store.listRecords({
      limit,
      ...(status?.length ? { status } : {}),
      ...(town ? { townCode: town.code } : {}),
    });
    if (opts.json) {
      // Masked as the API answers (names, ids a caller chose): a terminal or a file it goes to leaves the database too.
      for (const r of records) out(JSON.stringify(maskDeep(r)));
      return 0;
    }
    for (const r of records) {
      out([pad(r.code, 14), pad(statusLabel(r.status), 14), pad(r.townName ?? '待确认', 10), pad(r.categoryName, 14), formatShanghai(r.createdAt), r.affectedCount > 1 ? `×${r.affectedCount} ` : '', r.summary].join(' '));
    }
    out(`${records.length} record(s)`);
    return 0;
  } finally {
    await runtime.close();
  }
}
