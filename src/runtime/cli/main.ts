import { parseArgs } from 'node:util';
import { type Config, parseConfig } from '../config.js';
import { backupCommand, restoreCommand } from './backup-command.js';
import { classifyCommand } from './classify-command.js';
import { classifyLlmCommand } from './classify-llm-command.js';
import { demoCommand } from './demo-command.js';
import { exportCommand } from './export-command.js';
import { importCommand } from './import-command.js';
import { out, UsageError } from './io.js';
import { recordsCommand } from './records-command.js';
import { seedCommand } from './seed-command.js';
import { statsCommand } from './stats-command.js';

const USAGE = `usage: minyi <command>
  demo                      the whole job on a temporary database (start here)
  classify [--llm]          JSON lines {"id","text"} on stdin → one JSON line per input (offline; --llm uses LLM_*)
  import <file.jsonl> [--skip-invalid]
                            messages through the real pipeline into DATABASE_PATH (a bad line: nothing imported)
  records [--status s] [--town t] [--limit n] [--json]
  seed [office.json]        seed the district; import people, chats and place aliases
  export [--out f.xlsx] [--raw] [--status s] [--town t]   the 台账 as xlsx (masked unless --raw)
  stats                     records by classifier source, LLM tokens, job backlog
  backup <file>             online copy of the database, safe while the server runs
  restore <file> [--force]  replace DATABASE_PATH with a backup (refused while a server runs)
Environment as for npm start (DATABASE_PATH, DISTRICT_CODE, …).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true, strict: false,
    options: { out: { type: 'string' }, raw: { type: 'boolean' }, status: { type: 'string' }, town: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, llm: { type: 'boolean' }, force: { type: 'boolean' }, 'skip-invalid': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, arg] = positionals;
  if (!command || values.help) {
    out(USAGE);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    process.stderr.write(`minyi: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (command) {
    case 'demo': return demoCommand(config);
    case 'classify': return values.llm === true ? classifyLlmCommand(config) : classifyCommand(config);
    case 'stats': return statsCommand(config);
    case 'import': return importCommand(config, arg, values['skip-invalid'] === true);
    case 'records': {
      const opts: { status?: string; town?: string; limit?: string; json?: boolean } = { json: values.json === true };
      for (const k of ['status', 'town', 'limit'] as const) {
        const v = str(values[k]);
        if (v !== undefined) opts[k] = v;
      }
      return recordsCommand(config, opts);
    }
    case 'seed': return seedCommand(config, arg);
    case 'backup': return backupCommand(config, arg);
    case 'restore': return restoreCommand(config, arg, values.force === true);
    case 'export': {
      const opts: { out?: string; raw?: boolean; status?: string; town?: string } = { raw: values.raw === true };
      for (const k of ['out', 'status', 'town'] as const) {
        const v = str(values[k]);
        if (v !== undefined) opts[k] = v;
      }
      return exportCommand(config, opts);
    }
    default:
      out(`unknown command: ${command}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      out(error.message);
      process.exit(2);
    }
    process.stderr.write(`minyi: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
