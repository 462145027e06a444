import { parseArgs } from 'node:util';
import { startupConfig } from '../env-file.js';
import { backupCommand, restoreCommand } from './backup-command.js';
import { classifyCommand } from './classify-command.js';
import { classifyLlmCommand } from './classify-llm-command.js';
import { demoCommand } from './demo-command.js';
import { exportCommand } from './export-command.js';
import { importCommand } from './import-command.js';
import { jobsCommand, RETRY_SYNOPSIS, retryCommand } from './jobs-command.js';
import { out, UsageError } from './io.js';
import { recordsCommand } from './records-command.js';
import { seedCommand } from './seed-command.js';
import { statsCommand } from './stats-command.js';

const OPTIONS = {
  out: { type: 'string' }, raw: { type: 'boolean' }, status: { type: 'string' }, town: { type: 'string' }, limit: { type: 'string' },
  json: { type: 'boolean' }, llm: { type: 'boolean' }, force: { type: 'boolean' }, 'skip-invalid': { type: 'boolean' },
  state: { type: 'string' }, type: { type: 'string' }, dead: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
type Option = keyof typeof OPTIONS;

/** Each command's options and how many arguments it takes: anything else is a usage error, never ignored. */
const COMMANDS: Record<string, { synopsis: string; about: string; options: Option[]; args: [number, number] }> = {
  demo: { synopsis: 'demo', about: 'the whole job on a temporary database (start here)', options: [], args: [0, 0] },
  classify: { synopsis: 'classify [--llm]', about: 'JSON lines {"id","text"} on stdin → one JSON line per input (offline; --llm uses LLM_*)', options: ['llm'], args: [0, 0] },
  import: { synopsis: 'import <file.jsonl> [--skip-invalid]', about: 'messages through the real pipeline into DATABASE_PATH (a bad line: nothing imported)', options: ['skip-invalid'], args: [1, 1] },
  records: { synopsis: 'records [--status s] [--town t] [--limit n] [--json]', about: '', options: ['status', 'town', 'limit', 'json'], args: [0, 0] },
  seed: { synopsis: 'seed [office.json]', about: 'seed the district; import people, chats and place aliases', options: [], args: [0, 1] },
  export: { synopsis: 'export [--out f.xlsx] [--raw] [--status s] [--town t]', about: 'the 台账 as xlsx (masked unless --raw)', options: ['out', 'raw', 'status', 'town'], args: [0, 0] },
  stats: { synopsis: 'stats', about: 'records by classifier source, LLM tokens, job backlog', options: [], args: [0, 0] },
  jobs: { synopsis: 'jobs [--state dead|queued|running] [--type t] [--limit n] [--json]', about: 'jobs (dead ones unless --state), newest first, with their last error', options: ['state', 'type', 'limit', 'json'], args: [0, 0] },
  retry: { synopsis: RETRY_SYNOPSIS, about: 'dead jobs back in the queue to run now (safe while the server runs)', options: ['dead', 'type'], args: [0, Infinity] },
  backup: { synopsis: 'backup <file>', about: 'online copy of the database, safe while the server runs', options: [], args: [1, 1] },
  restore: { synopsis: 'restore <file> [--force]', about: 'replace DATABASE_PATH with a backup (refused while a server runs)', options: ['force'], args: [1, 1] },
};

const USAGE = [
  'usage: minyi <command>',
  ...Object.values(COMMANDS).map(({ synopsis, about }) =>
    !about ? `  ${synopsis}` : synopsis.length < 26 ? `  ${synopsis.padEnd(26)}${about}` : `  ${synopsis}\n${' '.repeat(28)}${about}`),
  '  help                      this text',
  'Environment as for npm start (DATABASE_PATH, DISTRICT_CODE, …).',
].join('\n');

/**
 * Parses leniently (strict mode's messages are long and name no command), then checks every option token
 * against the command's own list: `records --frob` or `records --limit` without a value must not run unfiltered.
 */
function parseCommandLine(argv: string[]) {
  const { positionals, values, tokens } = parseArgs({ args: argv, allowPositionals: true, strict: false, tokens: true, options: OPTIONS });
  const [command, ...args] = positionals;
  const spec = command === undefined ? undefined : COMMANDS[command];
  if (values.help === true || command === 'help') return { help: true as const };
  if (command === undefined) throw new UsageError(`no command given\n${USAGE}`);
  if (!spec) throw new UsageError(`unknown command: ${command}\n${USAGE}`);
  const fail = (problem: string) => new UsageError(`${command}: ${problem}\nusage: minyi ${spec.synopsis}`);
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const option = OPTIONS[t.name as Option] as { type: string } | undefined;
    if (!option || !spec.options.includes(t.name as Option)) throw fail(`unknown option ${t.rawName}`);
    // Without `=`, a value that looks like an option is the next option, so the value is missing.
    if (option.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) throw fail(`${t.rawName} needs a value`);
    if (option.type === 'boolean' && t.value !== undefined) throw fail(`${t.rawName} takes no value`);
  }
  const [min, max] = spec.args;
  if (args.length < min) throw fail('missing argument');
  if (args.length > max) throw fail(`unexpected argument ${args[max]}`);
  return { help: false as const, command, arg: args[0], args, values };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.help) {
    out(USAGE);
    return 0;
  }
  const { command, arg, args, values } = parsed;
  const config = startupConfig();
  if (!config) return 1;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  /** The string options among `keys` that were given: a command's options object without undefined members. */
  const given = <K extends Option>(keys: readonly K[]): Partial<Record<K, string>> =>
    Object.fromEntries(keys.flatMap((k) => (str(values[k]) === undefined ? [] : [[k, str(values[k])!]]))) as Partial<Record<K, string>>;
  switch (command) {
    case 'demo': return demoCommand(config);
    case 'classify': return values.llm === true ? classifyLlmCommand(config) : classifyCommand(config);
    case 'stats': return statsCommand(config);
    case 'import': return importCommand(config, arg, values['skip-invalid'] === true);
    case 'records': return recordsCommand(config, { ...given(['status', 'town', 'limit']), json: values.json === true });
    case 'jobs': return jobsCommand(config, { ...given(['state', 'type', 'limit']), json: values.json === true });
    case 'retry': {
      const type = str(values.type);
      return retryCommand(config, args, { dead: values.dead === true, ...(type !== undefined && { type }) });
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
      throw new UsageError(`unknown command: ${command}\n${USAGE}`);
  }
}

// A reader that stops early (`minyi demo | head`) closes the pipe, and the next write fails with EPIPE. Unheard,
// that error ends the process mid-command, before the command's own cleanup (the demo's temporary database)
// runs; heard, the command finishes with its remaining output unread.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // On stderr, so `records --json | …` never reads a usage message as data.
    if (error instanceof UsageError) {
      process.stderr.write(`minyi: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`minyi: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
