/**
 * The `causeway` command: the headless face of the same code the app uses.
 * Results go to stdout (JSON with --json), progress to stderr, errors as one line with exit ≠ 0.
 */
import { parseArgs } from 'node:util';
import { CliError, UsageError } from './cli-error.js';
import { evalCommand, evalUsage } from './commands/eval.js';
import { infoCommand, infoUsage } from './commands/info.js';
import type { Flags } from './options.js';

type Command = (flags: Flags, onProgress?: (text: string) => void) => Promise<{ json: unknown; text: string }>;

interface CommandEntry {
  run: Command;
  usage: string;
  /** Flags that take a value, and flags that are switches. */
  values: string[];
  switches: string[];
}

const preprocessingFlags = ['scale', 'mean', 'std', 'resize'];

const commands: Record<string, CommandEntry> = {
  info: { run: infoCommand, usage: infoUsage, values: ['model'], switches: ['json'] },
  eval: {
    run: evalCommand,
    usage: evalUsage,
    values: ['model', 'data', 'limit', 'seed', 'split', ...preprocessingFlags],
    switches: ['json', 'stratified'],
  },
};

function usage(): string {
  return ['usage: npm run causeway -- <command> [options]', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    const { values } = parseArgs({ args: rest, options: optionsFor(command), strict: true, allowPositionals: false });
    const flags = values as Flags;
    const showProgress = process.stderr.isTTY || process.env.CAUSEWAY_PROGRESS === '1';
    const result = await command.run(flags, (text) => {
      if (showProgress) process.stderr.write(`\r${text}\x1b[K`);
    });
    if (showProgress) process.stderr.write('\r\x1b[K');
    process.stdout.write(flags.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`causeway ${name}: ${message.split('\n')[0]}\n`);
    if (error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`usage: npm run causeway -- ${command?.usage ?? '<command>'}\n`);
      return 2;
    }
    if (process.env.CAUSEWAY_DEBUG && error instanceof Error && !(error instanceof CliError)) {
      process.stderr.write(`${error.stack}\n`);
    }
    return 1;
  }
}

/** parseArgs options from a command's flags; anything else is rejected (exit 2). */
function optionsFor(command: CommandEntry) {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const flag of command.values) options[flag] = { type: 'string' };
  for (const flag of command.switches) options[flag] = { type: 'boolean' };
  return options;
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
