/**
 * The `causeway` command: the headless face of the same code the app uses.
 * Results go to stdout (JSON with --json), progress to stderr, errors as one line with exit ≠ 0.
 */
import { parseArgs } from 'node:util';
import { requestedEngine } from '../engine/engine-choice.js';
import { CliError, UsageError } from './cli-error.js';
import { buildCommand, buildUsage } from './commands/build.js';
import { evalCommand, evalUsage } from './commands/eval.js';
import { infoCommand, infoUsage } from './commands/info.js';
import { queryCommand, queryUsage } from './commands/query.js';
import { evaluateCommand, evaluateFlags, evaluateUsage } from './commands/evaluate.js';
import { rankCommand, rankUsage } from './commands/rank.js';
import { cemapCommand, cemapUsage, cemapValues } from './commands/cemap.js';
import { adversarialCommand, adversarialUsage, adversarialValues } from './commands/adversarial.js';
import { propertiesCommand, propertiesUsage, propertiesValues } from './commands/properties.js';
import { reportCommand, reportUsage, reportValues } from './commands/report.js';
import { graphCommand, graphUsage, graphValues } from './commands/graph.js';
import { repairCommand, repairUsage, repairValues } from './commands/repair.js';
import type { Flags } from './options.js';
import { progressPrinter } from './progress-printer.js';
import { buildFlags, projectFlags } from './project-options.js';
import type { ProgressListener } from '../util/progress.js';

type Command = (
  flags: Flags,
  onText?: (text: string) => void,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
) => Promise<{ json: unknown; text: string; warnings?: string[] }>;

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
  build: { run: buildCommand, usage: buildUsage, values: [...projectFlags, ...buildFlags], switches: ['json', 'wait'] },
  query: { run: queryCommand, usage: queryUsage, values: [...projectFlags, 'do', 'mode'], switches: ['json', 'verify'] },
  rank: { run: rankCommand, usage: rankUsage, values: [...projectFlags, 'layer', 'mode'], switches: ['json'] },
  evaluate: { run: evaluateCommand, usage: evaluateUsage, values: [...projectFlags, ...evaluateFlags], switches: ['json'] },
  cemap: { run: cemapCommand, usage: cemapUsage, values: [...projectFlags, ...cemapValues], switches: ['json'] },
  adversarial: {
    run: adversarialCommand,
    usage: adversarialUsage,
    values: [...projectFlags, ...adversarialValues],
    switches: ['json'],
  },
  properties: { run: propertiesCommand, usage: propertiesUsage, values: [...projectFlags, ...propertiesValues], switches: ['json'] },
  report: { run: reportCommand, usage: reportUsage, values: reportValues, switches: [] },
  graph: { run: graphCommand, usage: graphUsage, values: [...projectFlags, ...graphValues], switches: ['json'] },
  repair: { run: repairCommand, usage: repairUsage, values: [...projectFlags, ...repairValues], switches: ['json'] },
};

/**
 * A feature's own name beside the command's older one (docs/ARCHITECTURE.md: one name per feature):
 * both run the same command, so existing scripts keep working.
 */
const aliases: Record<string, string> = { 'pixel-effects': 'cemap', explain: 'graph' };

function usage(): string {
  return [
    'usage: npm run causeway -- <command> [options] [--engine ort|tfjs]',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    `  ${Object.entries(aliases).map(([name, command]) => `${name} = ${command}`).join(', ')} (each feature's name in the app)`,
    '  --engine picks the engine of forward work (default: ONNX Runtime where it can run the model, else TensorFlow.js)',
  ].join('\n');
}

/** `--engine ort|tfjs` (every command): sets CAUSEWAY_ENGINE for this run and the workers it starts. */
function applyEngineFlag(flags: Flags): () => void {
  const value = flags.engine;
  if (typeof value !== 'string') return () => undefined;
  try {
    requestedEngine(value);
  } catch {
    throw new UsageError(`--engine must be ort, tfjs or auto, got "${value}"`);
  }
  const before = process.env.CAUSEWAY_ENGINE;
  process.env.CAUSEWAY_ENGINE = value;
  return () => {
    if (before === undefined) delete process.env.CAUSEWAY_ENGINE;
    else process.env.CAUSEWAY_ENGINE = before;
  };
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands[aliases[name] ?? name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    const { values } = parseArgs({ args: rest, options: optionsFor(command), strict: true, allowPositionals: false });
    const flags = values as Flags;
    const restoreEngine = applyEngineFlag(flags);
    const showText = process.stderr.isTTY || process.env.CAUSEWAY_PROGRESS === '1';
    const printer = progressPrinter();
    // Ctrl-C stops long work at the next batch; a second Ctrl-C exits at once.
    const abort = new AbortController();
    const onSigint = () => (abort.signal.aborted ? process.exit(130) : abort.abort());
    process.on('SIGINT', onSigint);
    const result = await command
      .run(
        flags,
        (text) => {
          if (showText) process.stderr.write(`\r${text}\x1b[K`);
        },
        printer.update,
        abort.signal,
      )
      .finally(() => {
        process.off('SIGINT', onSigint);
        printer.done();
        restoreEngine();
      });
    if (showText) process.stderr.write('\r\x1b[K');
    process.stdout.write(flags.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
    // With --json the warnings are in the JSON (its `warnings`); a person reading the text sees them on stderr.
    if (!flags.json) for (const w of result.warnings ?? []) process.stderr.write(`causeway ${name}: warning: ${w}\n`);
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
  const options: Record<string, { type: 'string' | 'boolean' }> = { engine: { type: 'string' } };
  for (const flag of command.values) options[flag] = { type: 'string' };
  for (const flag of command.switches) options[flag] = { type: 'boolean' };
  return options;
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
