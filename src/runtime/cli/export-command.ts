import { ledgerExport } from '../../app/export-ledger.js';
import { findTown } from '../../core/place-decision.js';
import { formatShanghai } from '../../core/time.js';
import { ledgerWorkbook } from '../../http/ledger-xlsx.js';
import type { Config } from '../config.js';
import { jsonLogger } from '../logger.js';
import { buildNodeRuntime } from '../node-deps.js';
import { out, statusesOption, UsageError, writeOutputFile } from './io.js';

/**
 * `minyi export [--out file.xlsx] [--raw] [--status s] [--town t]`: the 台账 as xlsx. Masked unless --raw;
 * whoever can read the database file is treated as the admin (they could read the raw text anyway).
 */
export async function exportCommand(config: Config, opts: { out?: string; raw?: boolean; status?: string; town?: string }): Promise<number> {
  const status = statusesOption(opts.status);
  const runtime = await buildNodeRuntime(config, jsonLogger('warn'), { worker: false });
  try {
    const town = opts.town ? findTown(runtime.deps.district.towns, opts.town) : null;
    if (opts.town && !town) throw new UsageError(`unknown town: ${opts.town}`);
    const data = await ledgerExport(runtime.deps, {
      ...(status?.length ? { status } : {}),
      ...(town ? { townCode: town.code } : {}),
    }, opts.raw === true);
    const file = opts.out ?? `minyi-ledger-${formatShanghai(Date.now()).slice(0, 10)}.xlsx`;
    writeOutputFile(file, await ledgerWorkbook(data));
    out(`wrote ${data.rows.length} record(s) to ${file}${opts.raw ? ' (UNMASKED: handle as personal data)' : ' (personal data masked)'}`);
    return 0;
  } finally {
    await runtime.close();
  }
}
